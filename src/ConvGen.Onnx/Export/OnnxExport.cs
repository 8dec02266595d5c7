using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Export;

/// <summary>
/// Writes a ConvGen network (inference graph, opset 13) as ONNX.
/// <para>
/// Layout choice: the ONNX graph takes the same NHWC input as <see cref="INetwork.Predict"/>
/// (<c>input</c>: [N,H,W,C]) and starts with one Transpose to NCHW, because ONNX's Conv and
/// pooling operators are defined on NCHW. Weights are converted once (HWIO → OIHW). Before a
/// Flatten the map is transposed back to NHWC, so the flattened vector — and therefore every
/// Dense weight (IO, used as Gemm B unchanged) — is in ConvGen's order; a spatial output is
/// transposed back as well. Outputs thus equal Predict's element for element.
/// </para>
/// <para>
/// Layers that read an earlier layer (<see cref="LayerInfo.Inputs"/>) and Add take that layer's
/// value; BatchNorm becomes BatchNormalization with the running statistics; explicit pads are
/// written as they are. Every layer's settings come from <see cref="LayerInfo.Config"/> (LeakyRelu
/// and Elu with the layer's own alpha); a table without it (code generated before it was recorded)
/// is refused with the layer's name. Dropout is omitted (identity at inference).
/// </para>
/// </summary>
public static partial class OnnxExport
{
    /// <summary>Default-domain opset the exporter targets (Softmax with a single axis, Gemm with optional C).</summary>
    public const int OpsetVersion = 13;

    /// <summary>Writes <paramref name="network"/>'s current parameters and structure to <paramref name="path"/>.</summary>
    public static void Write(INetwork network, string path) => Build(network).Save(path);

    /// <summary>The ONNX model for <paramref name="network"/>.</summary>
    public static OnnxModel Build(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var model = new OnnxModel
        {
            IrVersion = 8,
            ProducerName = "ConvGen.Onnx",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{network.GetType().Name}: input NHWC {network.InputShape}, output {network.OutputShape}.",
        };
        model.OpsetImports.Add(new OnnxOpsetImport("", OpsetVersion));
        model.Graph.Name = network.GetType().Name;
        var builder = new OnnxGraphBuilder(model.Graph);

        TensorShape input = network.InputShape;
        model.Graph.Inputs.Add(Declare("input", input));
        string current = "input";
        bool spatial = input.Rank == 3;
        if (spatial)
        {
            current = builder.Node("Transpose", "input_to_nchw", [current], "input_nchw", OnnxAttribute.FromInts("perm", 0, 3, 1, 2));
        }

        // Each layer's ONNX value, so that layers reading an earlier one (Input, Add) find it.
        var values = new System.Collections.Generic.Dictionary<string, (string Value, bool Spatial)> { ["input"] = (current, spatial) };
        foreach (LayerInfo layer in network.Layers)
        {
            if (layer.Inputs is { Count: > 0 } sources)
            {
                (current, spatial) = values[sources[0]];
            }
            string? second = layer.Kind is "Add" or "Multiply" && layer.Inputs is { Count: 2 } summands ? values[summands[1]].Value : null;
            (current, spatial) = layer.Kind == "Concatenate"
                ? (ExportConcatenate(builder, layer, layer.Inputs!.Select(s => values[s].Value).ToArray(), spatial), spatial)
                : ExportLayer(builder, network, layer, current, spatial, second);
            values[layer.Name] = (current, spatial);
        }

        if (spatial)
        {
            current = builder.Node("Transpose", "output_to_nhwc", [current], "output", OnnxAttribute.FromInts("perm", 0, 2, 3, 1));
        }
        else
        {
            current = builder.Node("Identity", "output", [current], "output");
        }
        model.Graph.Outputs.Add(Declare(current, network.OutputShape));
        return model;
    }

    private static OnnxValueInfo Declare(string name, TensorShape shape)
    {
        OnnxValueInfo info = shape.Rank == 3
            ? OnnxValueInfo.FloatTensor(name, 0, shape.Height, shape.Width, shape.Channels)
            : OnnxValueInfo.FloatTensor(name, 0, shape.Channels);
        info.Shape![0] = new OnnxDimension(null, "N"); // any batch size
        return info;
    }

    private static (string Output, bool Spatial) ExportLayer(OnnxGraphBuilder builder, INetwork network, LayerInfo layer, string x, bool spatial, string? second)
    {
        string name = layer.Name;
        switch (layer.Kind)
        {
            case "Add":
            {
                var config = layer.RequireConfig<AddConfig>();
                string linear = config.Activation == Activation.Linear ? name : name + ".linear";
                builder.Node("Add", name, [x, second ?? throw new InvalidOperationException($"layer {layer.Index} '{name}': Add without a second summand.")], linear);
                return (Activate(builder, linear, name, config.Activation, config.Alpha, spatial), spatial);
            }
            case "BatchNorm":
            {
                // ONNX normalises axis 1: the channels of NCHW, or of an [N, C] vector.
                var config = layer.RequireConfig<BatchNormConfig>();
                int c = layer.OutputShape.Channels;
                string[] inputs = [x,
                    builder.Initializer(name + ".gamma", Parameter(network, layer, ".gamma"), c),
                    builder.Initializer(name + ".beta", Parameter(network, layer, ".beta"), c),
                    builder.Initializer(name + ".running_mean", Parameter(network, layer, ".running_mean"), c),
                    builder.Initializer(name + ".running_var", Parameter(network, layer, ".running_var"), c)];
                return (builder.Node("BatchNormalization", name, inputs, name,
                    OnnxAttribute.FromFloat("epsilon", (float)config.Epsilon), OnnxAttribute.FromFloat("momentum", (float)config.Momentum)), spatial);
            }
            case "Conv2D":
            {
                var config = layer.RequireConfig<ConvolutionConfig>();
                TensorShape i = layer.InputShape, o = layer.OutputShape;
                float[] hwio = Parameter(network, layer, ".weight");
                string weight = builder.Initializer(name + ".weight", WeightLayouts.HwioToOihw(hwio, config.KernelHeight, config.KernelWidth, i.Channels, o.Channels),
                    o.Channels, i.Channels, config.KernelHeight, config.KernelWidth);
                string[] inputs = config.UseBias
                    ? [x, weight, builder.Initializer(name + ".bias", Parameter(network, layer, ".bias"), o.Channels)]
                    : [x, weight];
                string linear = config.Activation == Activation.Linear ? name : name + ".linear";
                builder.Node("Conv", name, inputs, linear,
                    OnnxAttribute.FromInts("kernel_shape", config.KernelHeight, config.KernelWidth),
                    OnnxAttribute.FromInts("strides", config.StrideHeight, config.StrideWidth),
                    OnnxAttribute.FromInts("dilations", config.DilationHeight, config.DilationWidth),
                    Pads(config.PadTop, config.PadBottom, config.PadLeft, config.PadRight));
                return (Activate(builder, linear, name, config.Activation, config.Alpha, spatial: true), true);
            }
            case "MaxPool2D" or "AvgPool2D":
            {
                var config = layer.RequireConfig<PoolConfig>();
                // AveragePool's default count_include_pad=0 is ConvGen's rule: padded cells are not counted.
                return (builder.Node(layer.Kind == "MaxPool2D" ? "MaxPool" : "AveragePool", name, [x], name,
                    OnnxAttribute.FromInts("kernel_shape", config.KernelHeight, config.KernelWidth),
                    OnnxAttribute.FromInts("strides", config.StrideHeight, config.StrideWidth),
                    Pads(config.PadTop, config.PadBottom, config.PadLeft, config.PadRight)), true);
            }
            case "GlobalAvgPool2D" or "GlobalMaxPool2D":
            {
                if (layer.OutputShape.Rank == 3)
                {
                    // KeepDims: ONNX's global pools keep [N, C, 1, 1] anyway.
                    return (builder.Node(layer.Kind == "GlobalAvgPool2D" ? "GlobalAveragePool" : "GlobalMaxPool", name, [x], name), true);
                }
                string pooled = builder.Node(layer.Kind == "GlobalAvgPool2D" ? "GlobalAveragePool" : "GlobalMaxPool", name, [x], name + ".nchw");
                return (builder.Node("Flatten", name + ".flatten", [pooled], name, OnnxAttribute.FromInt("axis", 1)), false);
            }
            case "Flatten":
                if (!spatial)
                {
                    return (x, false);
                }
                // Back to NHWC first: ConvGen flattens (h, w, c) and its Dense weights expect that order.
                string nhwc = builder.Node("Transpose", name + ".to_nhwc", [x], name + ".nhwc", OnnxAttribute.FromInts("perm", 0, 2, 3, 1));
                return (builder.Node("Flatten", name, [nhwc], name, OnnxAttribute.FromInt("axis", 1)), false);
            case "Dense":
            {
                var config = layer.RequireConfig<DenseConfig>();
                int inputs = layer.InputShape.Length, units = layer.OutputShape.Length;
                string weight = builder.Initializer(name + ".weight", Parameter(network, layer, ".weight"), inputs, units);
                string[] operands = config.UseBias
                    ? [x, weight, builder.Initializer(name + ".bias", Parameter(network, layer, ".bias"), units)]
                    : [x, weight];
                if (spatial)
                {
                    // A [1,1,C] map: [N, C, 1, 1] flattens to [N, C] in the same order, and the result goes back to [N, units, 1, 1].
                    operands[0] = builder.Node("Flatten", name + ".flatten", [x], name + ".flat", OnnxAttribute.FromInt("axis", 1));
                    string flat = builder.Node("Gemm", name, operands, name + ".gemm");
                    string map = builder.Node("Reshape", name + ".to_map", [flat, builder.Int64s(name + ".map_shape", 0, units, 1, 1)], name + ".map");
                    return (Activate(builder, map, name, config.Activation, config.Alpha, spatial: true), true);
                }
                string linear = config.Activation == Activation.Linear ? name : name + ".linear";
                builder.Node("Gemm", name, operands, linear);
                return (Activate(builder, linear, name, config.Activation, config.Alpha, spatial: false), false);
            }
            case "Dropout":
                return (x, spatial); // inference: identity
            case "Activation":
            {
                var config = layer.RequireConfig<ActivationConfig>();
                return (Activate(builder, x, name, config.Activation, config.Alpha, spatial), spatial);
            }
            case "Conv2DTranspose":
                return (ExportConvTranspose(builder, network, layer, x), true);
            case "UpSampling2D":
                return (ExportUpSampling(builder, layer, x), true);
            case "Cropping2D":
                return (ExportCropping(builder, layer, x), true);
            case "DepthwiseConv2D":
            {
                var config = layer.RequireConfig<DepthwiseConvolutionConfig>();
                string linear = config.Activation == Activation.Linear ? name : name + ".linear";
                MobileConvExport.Depthwise(builder, layer, x, linear, layer.Name + ".weight", Parameter(network, layer, ".weight"),
                    config.UseBias ? Parameter(network, layer, ".bias") : null, MobileConvExport.DepthwiseWindow.Of(config));
                return (Activate(builder, linear, name, config.Activation, config.Alpha, spatial: true), true);
            }
            case "SeparableConv2D":
            {
                // Two Convs: the grouped depthwise one, then the pointwise 1x1 (the importer reads them back as two layers).
                var config = layer.RequireConfig<SeparableConvolutionConfig>();
                string depthwise = MobileConvExport.Depthwise(builder, layer, x, name + ".depthwise", layer.Name + ".depthwise_weight", Parameter(network, layer, ".depthwise_weight"), null,
                    MobileConvExport.DepthwiseWindow.Of(config));
                string linear = config.Activation == Activation.Linear ? name : name + ".linear";
                MobileConvExport.Pointwise(builder, layer.Name, depthwise, linear, Parameter(network, layer, ".pointwise_weight"),
                    config.UseBias ? Parameter(network, layer, ".bias") : null, layer.InputShape.Channels * config.DepthMultiplier, config.Filters);
                return (Activate(builder, linear, name, config.Activation, config.Alpha, spatial: true), true);
            }
            case "ZeroPadding2D":
                return (MobileConvExport.ZeroPadding(builder, x, name, layer.RequireConfig<ZeroPaddingConfig>()), true);
            case "Multiply":
                // ONNX broadcasts [N, C, 1, 1] over [N, C, H, W] in either order, as ConvGen does.
                return (builder.Node("Mul", name, [x, second ?? throw new InvalidOperationException($"layer {layer.Index} '{name}': Multiply without a second factor.")], name),
                    layer.OutputShape.Rank == 3);
            case "Reshape":
                return (MobileNormExport.Reshape(builder, layer, x, spatial), layer.OutputShape.Rank == 3);
            case "GroupNormalization" or "LayerNormalization":
                return (MobileNormExport.Normalize(builder, layer, x, spatial,
                    tensor => network.ParameterTensors.Any(p => p.LayerIndex == layer.Index && p.Name.EndsWith(tensor, StringComparison.Ordinal)) ? Parameter(network, layer, tensor) : null), spatial);
            default:
                throw new NotSupportedException($"layer {layer.Index} '{layer.Name}': {layer.Kind} has no ONNX export yet.");
        }
    }

    /// <summary>ONNX pads are [top, left, bottom, right]; the generator resolved "same" to explicit sides already.</summary>
    private static OnnxAttribute Pads(int top, int bottom, int left, int right) => OnnxAttribute.FromInts("pads", top, left, bottom, right);

    private static string Activate(OnnxGraphBuilder builder, string x, string name, Activation activation, float alpha, bool spatial)
    {
        string op = name + "." + activation.ToString().ToLowerInvariant();
        switch (activation)
        {
            case Activation.Linear:
                return x == name ? x : builder.Node("Identity", op, [x], name);
            case Activation.Relu: return builder.Node("Relu", op, [x], name);
            case Activation.Sigmoid: return builder.Node("Sigmoid", op, [x], name);
            case Activation.Tanh: return builder.Node("Tanh", op, [x], name);
            case Activation.LeakyRelu:
                return builder.Node("LeakyRelu", op, [x], name, OnnxAttribute.FromFloat("alpha", alpha));
            case Activation.Elu:
                return builder.Node("Elu", op, [x], name, OnnxAttribute.FromFloat("alpha", alpha));
            case Activation.Softmax:
                // Over channels: axis 1 in NCHW, the last axis of a vector.
                return builder.Node("Softmax", op, [x], name, OnnxAttribute.FromInt("axis", spatial ? 1 : -1));
            case Activation.Gelu:
            {
                // Opset 13 has no Gelu: 0.5·x·(1 + erf(x/√2)), the exact form ConvGen computes.
                string scaled = builder.Node("Div", op + ".div", [x, builder.Scalar(op + ".sqrt2", MathF.Sqrt(2f))], op + ".scaled");
                string erf = builder.Node("Erf", op + ".erf", [scaled], op + ".erf_out");
                string onePlus = builder.Node("Add", op + ".add", [erf, builder.Scalar(op + ".one", 1f)], op + ".one_plus");
                string half = builder.Node("Mul", op + ".half", [x, builder.Scalar(op + ".half_const", 0.5f)], op + ".half_x");
                return builder.Node("Mul", op, [half, onePlus], name);
            }
            case Activation.Relu6:
                return builder.Node("Clip", op, [x, builder.Scalar(op + ".min", 0f), builder.Scalar(op + ".max", 6f)], name);
            case Activation.HardSigmoid:
                // ONNX's max(0, min(1, alpha·x + beta)) with Keras 3's relu6(x + 3) / 6.
                return HardSigmoid(builder, x, op, name);
            case Activation.HardSwish:
                // Opset 13 has no HardSwish (14 has): x · hard_sigmoid(x).
                return builder.Node("Mul", op, [x, HardSigmoid(builder, x, op + ".hard_sigmoid", op + ".gate")], name);
            case Activation.Silu:
                return builder.Node("Mul", op, [x, builder.Node("Sigmoid", op + ".sigmoid", [x], op + ".gate")], name);
            case Activation.Mish:
            {
                // Opset 13 has no Mish (18 has): x · tanh(softplus(x)).
                string softplus = builder.Node("Softplus", op + ".softplus", [x], op + ".softplus_out");
                return builder.Node("Mul", op, [x, builder.Node("Tanh", op + ".tanh", [softplus], op + ".gate")], name);
            }
            default:
                throw new NotSupportedException($"'{name}': activation {activation} has no ONNX export yet.");
        }
    }

    private static string HardSigmoid(OnnxGraphBuilder builder, string x, string op, string name) =>
        builder.Node("HardSigmoid", op, [x], name, OnnxAttribute.FromFloat("alpha", 1f / 6f), OnnxAttribute.FromFloat("beta", 0.5f));

    private static float[] Parameter(INetwork network, LayerInfo layer, string suffix)
    {
        ParameterInfo info = network.ParameterTensors.FirstOrDefault(p => p.LayerIndex == layer.Index && p.Name.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"layer {layer.Index} '{layer.Name}' has no parameter tensor '*{suffix}'.");
        return network.Parameters.Slice(info.Offset, info.Length).ToArray();
    }
}
