using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ConvGen.Tool.Visualize;

/// <summary>
/// A spatial layer's configuration, read back from the layer description the generator writes
/// into the layer table (e.g. <c>16@3x3 s1 valid relu</c>, <c>2x2 s2 valid</c>, <c>relu</c>).
/// </summary>
internal sealed partial record LayerGeometry(
    string Kind,
    int Filters,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int Dilation,
    bool Same,
    string Activation,
    bool UseBias)
{
    /// <summary>The layers the reference forward pass can run.</summary>
    public const string Supported = "Conv2D, MaxPool2D, AvgPool2D, Activation, Dropout";

    /// <summary>Reads <paramref name="layer"/>'s description; null for a kind the reference pass does not run.</summary>
    public static LayerGeometry? Of(LayerInfo layer)
    {
        switch (layer.Kind)
        {
            case "Conv2D":
                var conv = Convolution().Match(layer.Description);
                if (!conv.Success)
                {
                    throw new FormatException($"layer {layer.Index} '{layer.Name}': description '{layer.Description}' is not 'FILTERS@KHxKW sS [dD] same|valid [activation] [no-bias]'.");
                }
                return new LayerGeometry("Conv2D", Int(conv, "filters"), Int(conv, "kh"), Int(conv, "kw"), Int(conv, "sh"),
                    conv.Groups["sw"].Success ? Int(conv, "sw") : Int(conv, "sh"), conv.Groups["d"].Success ? Int(conv, "d") : 1,
                    conv.Groups["pad"].Value == "same", conv.Groups["act"].Success ? conv.Groups["act"].Value : "linear", !conv.Groups["nobias"].Success);
            case "MaxPool2D" or "AvgPool2D":
                var pool = Pooling().Match(layer.Description);
                if (!pool.Success)
                {
                    throw new FormatException($"layer {layer.Index} '{layer.Name}': description '{layer.Description}' is not 'KHxKW sS same|valid'.");
                }
                return new LayerGeometry(layer.Kind, layer.OutputShape.Channels, Int(pool, "kh"), Int(pool, "kw"), Int(pool, "sh"),
                    pool.Groups["sw"].Success ? Int(pool, "sw") : Int(pool, "sh"), 1, pool.Groups["pad"].Value == "same", "linear", false);
            case "Activation":
                return new LayerGeometry("Activation", layer.OutputShape.Channels, 1, 1, 1, 1, 1, false, layer.Description, false);
            case "Dropout":
                return new LayerGeometry("Dropout", layer.OutputShape.Channels, 1, 1, 1, 1, 1, false, "linear", false);
            default:
                return null;
        }
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<filters>\d+)@(?<kh>\d+)x(?<kw>\d+) s(?<sh>\d+)(x(?<sw>\d+))?( d(?<d>\d+))? (?<pad>same|valid)( (?<act>[a-z_]+))??(?<nobias> no-bias)?$")]
    private static partial Regex Convolution();

    [GeneratedRegex(@"^(?<kh>\d+)x(?<kw>\d+) s(?<sh>\d+)(x(?<sw>\d+))? (?<pad>same|valid)$")]
    private static partial Regex Pooling();
}
