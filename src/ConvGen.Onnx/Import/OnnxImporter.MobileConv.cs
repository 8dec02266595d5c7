using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Depthwise convolutions (<c>Conv</c> with <c>group</c> = input channels and one input channel
/// per group, any multiplier) and zero padding (<c>Pad</c> of the spatial axes with zeros). A
/// separable convolution arrives as two Convs and becomes a DepthwiseConv2D and a 1x1 Conv2D.
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>A Conv with <paramref name="group"/> above 1: a DepthwiseConv2D when each group is one input channel, refused otherwise.</summary>
    private void MapDepthwiseConv(OnnxNode node, Value x, OnnxTensor w, long group)
    {
        int[] dims = WeightDims(w, "weight", 4, "OIHW");
        int filters = dims[0], perGroup = dims[1], kh = dims[2], kw = dims[3];
        int channels = x.Shape.Channels;
        if (group != channels || perGroup != 1 || filters % channels != 0)
        {
            throw Unsupported($"attribute 'group' = {group} with weight '{w.Name}' [{string.Join(",", w.Dims)}] on {channels} input channels: "
                + "only group=1 and depthwise convolutions (group = input channels, weight [channels x multiplier, 1, kh, kw]) are supported");
        }
        int multiplier = filters / channels;
        var window = ReadWindow(node, x.Shape, kh, kw, allowDilation: true);
        string name = NewLayerName(node, "depthwise");
        // OIHW [C*m, 1, kh, kw] is HWIO [kh, kw, 1, C*m] after the Conv2D conversion: Keras's [kh, kw, C, m].
        AddWeight(name + ".weight", WeightLayouts.OihwToHwio(w.ToFloatArray(), filters, 1, kh, kw), kh, kw, channels, multiplier);
        bool useBias = HasInput(node, 2);
        if (useBias)
        {
            float[] bias = Initializer(node, 2, "bias").ToFloatArray();
            CheckLength(bias, filters, "bias");
            AddWeight(name + ".bias", bias, filters);
        }
        AddLayer(node, window.ToLayer(name, ImportedLayerKind.DepthwiseConv2D, x, filters, Describe(node)) with
        {
            Units = filters,
            DepthMultiplier = multiplier,
            UseBias = useBias,
        });
    }

    /// <summary>
    /// <c>Pad</c> in constant mode with value 0 on the two spatial axes of NCHW: ZeroPadding2D. The
    /// pads come from the second input (opset 11 and later) or the <c>pads</c> attribute (earlier).
    /// </summary>
    private void MapPad(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        string mode = StringAttribute(node, "mode", "constant");
        if (mode != "constant")
        {
            throw Unsupported($"mode '{SourceText.Escape(mode)}': only constant (zero) padding is supported");
        }
        long[] pads = HasInput(node, 1) ? Initializer(node, 1, "pads").ToInt64Array() : IntsAttribute(node, "pads", 8, long.MinValue, long.MaxValue) ?? [];
        if (pads.Length != 8)
        {
            throw Unsupported($"pads [{Join(pads)}] are not 8 values (begin and end of N, C, H, W)");
        }
        float value = HasInput(node, 2) ? SingleFloat(Initializer(node, 2, "constant_value")) : FloatAttribute(node, "value", 0f);
        if (value != 0f)
        {
            throw Unsupported($"constant value {F(value)}: only zeros are supported");
        }
        if (HasInput(node, 3))
        {
            throw Unsupported("input 'axes' is not supported; give pads for all four axes");
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
        {
            throw Unsupported($"pads [{Join(pads)}] pad the batch or channel axis; only height and width can be padded");
        }
        long[] spatial = [pads[2], pads[6], pads[3], pads[7]];
        if (spatial.Any(p => p < 0 || p > MaxDimension))
        {
            throw Unsupported($"pads [{Join(pads)}]: each spatial side must be 0 to {MaxDimension} (negative pads crop)");
        }
        int top = (int)spatial[0], bottom = (int)spatial[1], left = (int)spatial[2], right = (int)spatial[3];
        var output = TensorShape.Spatial(x.Shape.Height + top + bottom, x.Shape.Width + left + right, x.Shape.Channels);
        AddLayer(node, new ImportedLayer(NewLayerName(node, "zero_padding"), ImportedLayerKind.ZeroPadding2D, [x.Layer], x.Shape, output, [Describe(node)])
        {
            PadTop = top,
            PadBottom = bottom,
            PadLeft = left,
            PadRight = right,
        });
    }

    private static float SingleFloat(OnnxTensor tensor)
    {
        float[] values = tensor.ToFloatArray();
        return values.Length == 1 ? values[0] : throw Unsupported($"constant_value '{tensor.Name}' holds {values.Length} values, not one");
    }
}
