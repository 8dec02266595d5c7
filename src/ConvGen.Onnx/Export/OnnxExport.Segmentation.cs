using System.Text;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Export;

/// <summary>
/// The encoder-decoder layers: Conv2DTranspose as ConvTranspose, UpSampling2D as Resize,
/// Concatenate as Concat over the channels, Cropping2D as Slice. Constant operands (scales, slice
/// bounds) are Constant nodes, so the graph's initializers stay exactly the network's parameters.
/// </summary>
public static partial class OnnxExport
{
    /// <summary>
    /// ConvTranspose with weights <c>[in][filters][kh][kw]</c> (ONNX's layout, from Keras's
    /// <c>[kh][kw][filters][in]</c>). The far pads ConvGen resolved may be negative (rows the output
    /// padding adds): ONNX writes those as <c>output_padding</c> with a zero pad.
    /// </summary>
    private static string ExportConvTranspose(OnnxGraphBuilder builder, INetwork network, LayerInfo layer, string x)
    {
        var config = layer.RequireConfig<TransposedConvolutionConfig>();
        string name = layer.Name;
        int channels = layer.InputShape.Channels, filters = config.Filters;
        float[] iohw = WeightLayouts.HwoiToIohw(Parameter(network, layer, ".weight"), config.KernelHeight, config.KernelWidth, filters, channels);
        string weight = builder.Initializer(name + ".weight", iohw, channels, filters, config.KernelHeight, config.KernelWidth);
        string[] inputs = config.UseBias ? [x, weight, builder.Initializer(name + ".bias", Parameter(network, layer, ".bias"), filters)] : [x, weight];
        string linear = config.Activation == Activation.Linear ? name : name + ".linear";
        builder.Node("ConvTranspose", name, inputs, linear,
            OnnxAttribute.FromInts("kernel_shape", config.KernelHeight, config.KernelWidth),
            OnnxAttribute.FromInts("strides", config.StrideHeight, config.StrideWidth),
            OnnxAttribute.FromInts("dilations", config.DilationHeight, config.DilationWidth),
            Pads(config.PadTop, System.Math.Max(config.PadBottom, 0), config.PadLeft, System.Math.Max(config.PadRight, 0)),
            OnnxAttribute.FromInts("output_padding", System.Math.Max(-config.PadBottom, 0), System.Math.Max(-config.PadRight, 0)));
        return Activate(builder, linear, name, config.Activation, config.Alpha, spatial: true);
    }

    /// <summary>
    /// Resize by the factors: nearest as <c>asymmetric</c> coordinates rounded down (output <c>y</c>
    /// reads <c>floor(y / sh)</c>), bilinear as <c>linear</c> with <c>half_pixel</c> coordinates, the convention of Keras's <c>tf.image.resize</c>.
    /// </summary>
    private static string ExportUpSampling(OnnxGraphBuilder builder, LayerInfo layer, string x)
    {
        var config = layer.RequireConfig<UpSamplingConfig>();
        string name = layer.Name;
        string scales = Constant(builder, name + ".scales", OnnxTensor.FromFloats(name + ".scales", [1f, 1f, config.SizeHeight, config.SizeWidth], 4));
        bool bilinear = config.Interpolation == UpSamplingInterpolation.Bilinear;
        return builder.Node("Resize", name, [x, "", scales], name,
            Text("mode", bilinear ? "linear" : "nearest"),
            Text("coordinate_transformation_mode", bilinear ? "half_pixel" : "asymmetric"),
            Text("nearest_mode", "floor"));
    }

    /// <summary>Slice of rows <c>top..H-bottom</c> and columns <c>left..W-right</c> (axes 2 and 3 of NCHW).</summary>
    private static string ExportCropping(OnnxGraphBuilder builder, LayerInfo layer, string x)
    {
        var config = layer.RequireConfig<CroppingConfig>();
        string name = layer.Name;
        TensorShape input = layer.InputShape;
        string starts = Constant(builder, name + ".starts", OnnxTensor.FromInt64s(name + ".starts", [config.Top, config.Left], 2));
        string ends = Constant(builder, name + ".ends", OnnxTensor.FromInt64s(name + ".ends", [input.Height - config.Bottom, input.Width - config.Right], 2));
        string axes = Constant(builder, name + ".axes", OnnxTensor.FromInt64s(name + ".axes", [2, 3], 2));
        return builder.Node("Slice", name, [x, starts, ends, axes], name);
    }

    /// <summary>Concat over the channels: axis 1 of NCHW, and of an <c>[N, C]</c> vector.</summary>
    private static string ExportConcatenate(OnnxGraphBuilder builder, LayerInfo layer, string[] sources, bool spatial) =>
        builder.Node("Concat", layer.Name, sources, layer.Name, OnnxAttribute.FromInt("axis", 1));

    private static string Constant(OnnxGraphBuilder builder, string name, OnnxTensor value) =>
        builder.Node("Constant", name + ".constant", [], name, new OnnxAttribute { Name = "value", Type = OnnxAttributeType.Tensor, Tensor = value });

    private static OnnxAttribute Text(string name, string value) => new() { Name = name, Type = OnnxAttributeType.String, String = Encoding.UTF8.GetBytes(value) };
}
