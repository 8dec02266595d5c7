using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>
/// An independent statement of when a network is an error, written from the rules (Keras shape
/// arithmetic, the documented limits) rather than from the generator's code: the randomised test
/// holds the generator to it in both directions.
/// </summary>
internal static class FuzzOracle
{
    /// <summary>The largest .NET array, the limit on every tensor and on the parameter buffer.</summary>
    private const long MaxLength = 0x7FFFFFC7;

    public static bool HasError(FuzzNetwork network, out string reason)
    {
        reason = Check(network) ?? "";
        return reason.Length > 0;
    }

    private static string? Check(FuzzNetwork network)
    {
        if (network.ClassVariant != "ok")
        {
            return "class: " + network.ClassVariant;
        }
        if (network.Layers.FirstOrDefault(l => l.Broken is not null) is { } broken)
        {
            return $"C# error: {broken.Kind} {broken.Broken}";
        }
        if (ParseInput(network) is not (long height, long width, long channels))
        {
            return $"input '{network.Input}'";
        }
        if (height * width * channels > MaxLength)
        {
            return "input too large";
        }
        if (network.Layers.Count == 0)
        {
            return "no layers";
        }
        if (network.Layers.Any(l => l.Name == ""))
        {
            return "empty layer name";
        }
        var named = network.Layers.Select(l => l.Name).Where(n => !string.IsNullOrEmpty(n)).ToList();
        if (named.Distinct().Count() != named.Count)
        {
            return "duplicate layer name";
        }

        bool spatial = true;
        long parameters = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.Activation is < 0 or > 7 || layer.Padding is < 0 or > 1)
            {
                return $"layer {i}: undefined enum value";
            }
            bool same = layer.Padding == 1;
            switch (layer.Kind)
            {
                case "Conv2D":
                {
                    long stride = layer.Stride ?? 1, dilation = layer.Dilation ?? 1;
                    if (!spatial || layer.Size <= 0 || layer.KernelHeight <= 0 || layer.KernelWidth <= 0 || stride <= 0 || dilation <= 0)
                    {
                        return $"layer {i}: Conv2D argument or rank";
                    }
                    if (!WindowFits(layer, dilation))
                    {
                        return $"layer {i}: window beyond int";
                    }
                    long outH = Output(height, layer.KernelHeight, stride, dilation, same);
                    long outW = Output(width, layer.KernelWidth, stride, dilation, same);
                    if (outH <= 0 || outW <= 0)
                    {
                        return $"layer {i}: Conv2D window larger than its input";
                    }
                    long weights = (long)layer.KernelHeight * layer.KernelWidth * channels * layer.Size;
                    if (weights > MaxLength)
                    {
                        return $"layer {i}: Conv2D weights too large";
                    }
                    parameters += weights + (layer.UseBias == false ? 0 : layer.Size);
                    (height, width, channels) = (outH, outW, layer.Size);
                    break;
                }
                case "MaxPool2D":
                case "AvgPool2D":
                {
                    if (!spatial || layer.KernelHeight <= 0 || layer.KernelWidth <= 0 || layer.Stride < 0)
                    {
                        return $"layer {i}: pool argument or rank";
                    }
                    if (!WindowFits(layer, 1))
                    {
                        return $"layer {i}: window beyond int";
                    }
                    // Stride 0 (or unset) means the window size, per axis.
                    long strideH = layer.Stride is null or 0 ? layer.KernelHeight : layer.Stride.Value;
                    long strideW = layer.Stride is null or 0 ? layer.KernelWidth : layer.Stride.Value;
                    long outH = Output(height, layer.KernelHeight, strideH, 1, same);
                    long outW = Output(width, layer.KernelWidth, strideW, 1, same);
                    if (outH <= 0 || outW <= 0)
                    {
                        return $"layer {i}: pool window larger than its input";
                    }
                    (height, width) = (outH, outW);
                    break;
                }
                case "GlobalMaxPool2D":
                case "GlobalAvgPool2D":
                    if (!spatial)
                    {
                        return $"layer {i}: global pooling of a vector";
                    }
                    (height, width, spatial) = (1, 1, false);
                    break;
                case "Flatten":
                    (height, width, channels, spatial) = (1, 1, height * width * channels, false);
                    break;
                case "Dense":
                {
                    // A 1x1 map is accepted and stays a 1x1 map (Keras applies Dense on the last axis).
                    if (layer.Size <= 0 || spatial && (height != 1 || width != 1))
                    {
                        return $"layer {i}: Dense argument or rank";
                    }
                    long weights = channels * layer.Size;
                    if (weights > MaxLength)
                    {
                        return $"layer {i}: Dense weights too large";
                    }
                    parameters += weights + (layer.UseBias == false ? 0 : layer.Size);
                    channels = layer.Size;
                    break;
                }
                case "Dropout":
                    if (!(layer.Rate >= 0 && layer.Rate < 1))
                    {
                        return $"layer {i}: dropout rate {layer.Rate}";
                    }
                    break;
            }
            if (height * width * channels > MaxLength)
            {
                return $"layer {i}: output too large";
            }
            if (parameters > MaxLength)
            {
                return $"layer {i}: too many parameters";
            }
        }
        return null;
    }

    /// <summary>Keras: valid <c>floor((in - eff) / s) + 1</c> (nothing when the window is larger), same <c>ceil(in / s)</c>.</summary>
    private static long Output(long input, long kernel, long stride, long dilation, bool same)
    {
        long effective = (kernel - 1) * dilation + 1;
        if (same)
        {
            return (input + stride - 1) / stride;
        }
        return input < effective ? 0 : (input - effective) / stride + 1;
    }

    /// <summary>Tap count and dilated extent must fit the int arithmetic of generated code.</summary>
    private static bool WindowFits(FuzzLayer layer, long dilation) =>
        (long)layer.KernelHeight * layer.KernelWidth <= MaxLength
        && (Math.Max(layer.KernelHeight, layer.KernelWidth) - 1L) * dilation + 1 <= MaxLength;

    private static (long, long, long)? ParseInput(FuzzNetwork network)
    {
        string? text = network.Input;
        // In a text-form line the shape is one token: "input 4 x 4" is a syntax error.
        if (text is null || network.TextForm && network.InputInTextLine && (text.Length == 0 || text.Any(char.IsWhiteSpace)))
        {
            return null;
        }
        var parts = text.Split('x');
        if (parts.Length != 3)
        {
            return null;
        }
        var dims = new long[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            {
                return null;
            }
            dims[i] = value;
        }
        return (dims[0], dims[1], dims[2]);
    }
}
