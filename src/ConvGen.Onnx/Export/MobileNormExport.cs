using System;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Export;

/// <summary>
/// Reshape and the per-sample normalisations in opset 13 operators. ConvGen's tensors are NHWC
/// and the exported graph's NCHW, so a Reshape of a map goes through NHWC; GroupNormalization
/// (opset 18 normalises with per-group, 21 with per-channel scale) is InstanceNormalization on
/// [N, groups, rest] followed by the per-channel gamma and beta; LayerNormalization over
/// channels (opset 17's normalises the trailing axes, not axis 1) is ReduceMean arithmetic.
/// </summary>
internal static class MobileNormExport
{
    public static string Reshape(OnnxGraphBuilder builder, LayerInfo layer, string x, bool spatial)
    {
        string name = layer.Name;
        TensorShape target = layer.OutputShape;
        string nhwc = spatial ? builder.Node("Transpose", name + ".to_nhwc", [x], name + ".nhwc", OnnxAttribute.FromInts("perm", 0, 2, 3, 1)) : x;
        if (target.Rank == 1)
        {
            return builder.Node("Reshape", name, [nhwc, builder.Int64s(name + ".shape", 0, target.Channels)], name);
        }
        string reshaped = builder.Node("Reshape", name + ".reshape", [nhwc, builder.Int64s(name + ".shape", 0, target.Height, target.Width, target.Channels)], name + ".nhwc_out");
        return builder.Node("Transpose", name, [reshaped], name, OnnxAttribute.FromInts("perm", 0, 3, 1, 2));
    }

    /// <summary>The normalisation, then gamma and beta when the layer learns them.</summary>
    /// <param name="builder">The graph being written.</param>
    /// <param name="layer">The GroupNormalization or LayerNormalization layer.</param>
    /// <param name="x">Its input value (NCHW, or [N, C]).</param>
    /// <param name="spatial">Whether the input is a map.</param>
    /// <param name="parameter">The layer's tensor ending in the given suffix, or null when it has none (Center / Scale false).</param>
    public static string Normalize(OnnxGraphBuilder builder, LayerInfo layer, string x, bool spatial, Func<string, float[]?> parameter)
    {
        string name = layer.Name;
        var config = layer.RequireConfig<NormalizationConfig>();
        int c = layer.OutputShape.Channels;
        string normalized = layer.Kind == "GroupNormalization"
            ? GroupNormalized(builder, name, x, spatial, c, config.Groups, (float)config.Epsilon)
            : ChannelNormalized(builder, name, x, (float)config.Epsilon);
        // Per-channel gamma and beta broadcast along axis 1: [C, 1, 1] on NCHW, [C] on vectors.
        long[] dims = spatial ? [c, 1, 1] : [c];
        float[]? gamma = parameter(".gamma");
        float[]? beta = parameter(".beta");
        string current = normalized;
        if (gamma is not null)
        {
            current = builder.Node("Mul", name + ".scale", [current, builder.Initializer(name + ".gamma", gamma, dims)], beta is null ? name : name + ".scaled");
        }
        if (beta is not null)
        {
            current = builder.Node("Add", name + ".shift", [current, builder.Initializer(name + ".beta", beta, dims)], name);
        }
        return current == name ? current : builder.Node("Identity", name, [current], name);
    }

    /// <summary>InstanceNormalization normalises each (n, channel) over the rest: on [N, groups, C/groups * H * W] that is one group's statistics.</summary>
    private static string GroupNormalized(OnnxGraphBuilder builder, string name, string x, bool spatial, int channels, int groups, float epsilon)
    {
        string grouped = builder.Node("Reshape", name + ".group", [x, builder.Int64s(name + ".group_shape", 0, groups, -1)], name + ".grouped");
        var ones = new float[groups];
        Array.Fill(ones, 1f);
        string normalized = builder.Node("InstanceNormalization", name + ".instance_norm",
            [grouped, builder.Initializer(name + ".group_scale", ones, groups), builder.Initializer(name + ".group_bias", new float[groups], groups)], name + ".grouped_normalized",
            OnnxAttribute.FromFloat("epsilon", epsilon));
        // Back to the input's shape (taken from the input itself, so the batch stays symbolic).
        string shape = builder.Node("Shape", name + ".input_shape", [x], name + ".shape_of_input");
        return builder.Node("Reshape", name + ".ungroup", [normalized, shape], name + ".normalized");
    }

    /// <summary>(x - mean) / sqrt(var + eps) over axis 1 (the channels of NCHW, or of a vector).</summary>
    private static string ChannelNormalized(OnnxGraphBuilder builder, string name, string x, float epsilon)
    {
        var axes = OnnxAttribute.FromInts("axes", 1);
        string mean = builder.Node("ReduceMean", name + ".mean", [x], name + ".mean_out", axes);
        string centered = builder.Node("Sub", name + ".center", [x, mean], name + ".centered");
        string squared = builder.Node("Mul", name + ".square", [centered, centered], name + ".squared");
        string variance = builder.Node("ReduceMean", name + ".variance", [squared], name + ".variance_out", axes);
        string shifted = builder.Node("Add", name + ".add_eps", [variance, builder.Scalar(name + ".epsilon", epsilon)], name + ".variance_eps");
        string std = builder.Node("Sqrt", name + ".sqrt", [shifted], name + ".std");
        return builder.Node("Div", name + ".divide", [centered, std], name + ".normalized");
    }
}
