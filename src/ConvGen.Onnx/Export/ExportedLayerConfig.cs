using System;
using System.Globalization;
using System.Linq;

namespace ConvGen.Onnx.Export;

/// <summary>
/// A layer's configuration recovered from <see cref="LayerInfo.Description"/>, the only place
/// <see cref="INetwork"/> exposes it today (e.g. <c>16@3x3 s2 d2 same relu no-bias</c>,
/// <c>2x2 s2 valid</c>, <c>64 softmax</c>, <c>leaky_relu</c>).
/// </summary>
internal sealed record ExportedLayerConfig(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int Dilation, bool Same, Activation Activation, bool UseBias)
{
    /// <summary>Explicit padding (<c>pad top,bottom,left,right</c> in the description), or null.</summary>
    public int[]? Pads { get; init; }

    /// <summary>BatchNorm's <c>eps</c> and <c>momentum</c>.</summary>
    public double Epsilon { get; init; }

    public double Momentum { get; init; }

    public static ExportedLayerConfig Parse(LayerInfo layer)
    {
        string[] tokens = layer.Description.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int kh = 0, kw = 0, sh = 1, sw = 1, dilation = 1;
        bool same = false, useBias = true;
        Activation activation = Activation.Linear;
        int[]? pads = null;
        double epsilon = 0, momentum = 0;
        if (layer.Kind == "Add" && layer.Inputs is { } summands)
        {
            // "a + b relu": the names are not configuration.
            string names = string.Join(" + ", summands);
            tokens = layer.Description.StartsWith(names, StringComparison.Ordinal)
                ? layer.Description[names.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : tokens;
        }
        for (int t = 0; t < tokens.Length; t++)
        {
            string token = tokens[t];
            if (token is "pad" or "eps" or "momentum" && t + 1 < tokens.Length)
            {
                string value = tokens[++t];
                if (token == "pad")
                {
                    pads = value.Split(',').Select(v => Int(v, layer)).ToArray();
                }
                else
                {
                    double number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
                        ? parsed
                        : throw new NotSupportedException($"layer {layer.Index} '{layer.Name}': '{value}' in '{layer.Description}' is not a number.");
                    if (token == "eps") epsilon = number; else momentum = number;
                }
                continue;
            }
            if (token.Contains('@') || (layer.Kind is "MaxPool2D" or "AvgPool2D" && token.Contains('x') && kh == 0))
            {
                string kernel = token[(token.IndexOf('@') + 1)..];
                (kh, kw) = Pair(kernel, layer);
            }
            else if (token.StartsWith('s') && token.Length > 1 && char.IsAsciiDigit(token[1]))
            {
                (sh, sw) = Pair(token[1..], layer);
            }
            else if (token.StartsWith('d') && token.Length > 1 && char.IsAsciiDigit(token[1]))
            {
                dilation = Int(token[1..], layer);
            }
            else if (token is "same" or "valid")
            {
                same = token == "same";
            }
            else if (token == "no-bias")
            {
                useBias = false;
            }
            else if (TryActivation(token, out Activation parsed))
            {
                activation = parsed;
            }
            else if (!(layer.Kind == "Dense" && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out _)) && layer.Kind != "Dropout")
            {
                throw new NotSupportedException($"layer {layer.Index} '{layer.Name}' ({layer.Kind}): cannot read '{token}' in its description '{layer.Description}'.");
            }
        }
        return new ExportedLayerConfig(kh, kw, sh, sw, dilation, same, activation, useBias) { Pads = pads, Epsilon = epsilon, Momentum = momentum };
    }

    private static bool TryActivation(string token, out Activation activation)
    {
        activation = token switch
        {
            "relu" => Activation.Relu,
            "leaky_relu" => Activation.LeakyRelu,
            "sigmoid" => Activation.Sigmoid,
            "tanh" => Activation.Tanh,
            "softmax" => Activation.Softmax,
            "elu" => Activation.Elu,
            "gelu" => Activation.Gelu,
            "linear" => Activation.Linear,
            _ => (Activation)(-1),
        };
        return (int)activation >= 0;
    }

    /// <summary><c>3</c> or <c>3x2</c>.</summary>
    private static (int, int) Pair(string text, LayerInfo layer)
    {
        int x = text.IndexOf('x');
        return x < 0 ? (Int(text, layer), Int(text, layer)) : (Int(text[..x], layer), Int(text[(x + 1)..], layer));
    }

    private static int Int(string text, LayerInfo layer) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new NotSupportedException($"layer {layer.Index} '{layer.Name}': '{text}' in '{layer.Description}' is not a number.");
}
