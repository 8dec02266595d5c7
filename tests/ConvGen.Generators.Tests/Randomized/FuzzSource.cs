using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>Writes a <see cref="FuzzNetwork"/> as a C# file, in the attribute form or the text form.</summary>
internal static class FuzzSource
{
    private static readonly string[] s_activationNames = { "Linear", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Elu", "Gelu" };
    private static readonly string[] s_activationWords = { "linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "elu", "gelu" };

    public static string Write(FuzzNetwork network)
    {
        var attributes = new List<string>();
        if (network.TextForm)
        {
            var lines = new List<string>();
            if (network.InputInTextLine && network.Input is not null)
            {
                lines.Add("input " + network.Input);
            }
            lines.AddRange(network.Layers.Select(TextLine));
            string inputProperty = !network.InputInTextLine && network.Input is not null ? $"Input = {Quote(network.Input)}, " : "";
            attributes.Add($"[Network({inputProperty}Layers = {Quote(string.Join("\n", lines))})]");
        }
        else
        {
            attributes.Add(network.Input is null ? "[Network]" : $"[Network(Input = {Quote(network.Input)})]");
            attributes.AddRange(network.Layers.Select(l => "[" + Attribute(l) + "]"));
        }

        var text = new StringBuilder("using ConvGen;\n\nnamespace Fuzz;\n\n");
        string body = string.Join("\n", attributes) + "\n" + network.ClassVariant switch
        {
            "not partial" => $"public sealed class {network.ClassName};",
            "generic" => $"public sealed partial class {network.ClassName}<T>;",
            "static" => $"public static partial class {network.ClassName} {{ }}",
            "clash" => $"public sealed partial class {network.ClassName} {{ public int InputLength => 0; }}",
            "nested in non-partial" => $"public sealed partial class {network.ClassName};",
            _ => $"public sealed partial class {network.ClassName};",
        };
        if (network.ClassVariant == "nested in non-partial")
        {
            body = $"public static class Outer{network.Id}\n{{\n{body}\n}}";
        }
        return text.Append(body).Append('\n').ToString();
    }

    private static string Attribute(FuzzLayer layer)
    {
        if (layer.Broken == "missing")
        {
            return layer.Kind;
        }
        if (layer.Broken == "wrong type")
        {
            return $"{layer.Kind}(\"8\")";
        }
        var positional = new List<string>();
        var named = new List<string>();
        switch (layer.Kind)
        {
            case "Conv2D":
                positional.Add(Int(layer.Size));
                positional.Add(Int(layer.KernelHeight));
                if (layer.TwoKernelArguments) positional.Add(Int(layer.KernelWidth));
                break;
            case "MaxPool2D":
            case "AvgPool2D":
                positional.Add(Int(layer.KernelHeight));
                if (layer.TwoKernelArguments) positional.Add(Int(layer.KernelWidth));
                break;
            case "Dense":
                positional.Add(Int(layer.Size));
                break;
            case "Dropout":
                positional.Add(double.IsNaN(layer.Rate) ? "double.NaN"
                    : double.IsPositiveInfinity(layer.Rate) ? "double.PositiveInfinity"
                    : layer.Rate.ToString("R", CultureInfo.InvariantCulture));
                break;
            case "Activation":
                positional.Add(Activation(layer.Activation!.Value));
                break;
        }
        if (layer.Stride is { } stride) named.Add("Stride = " + Int(stride));
        if (layer.Dilation is { } dilation) named.Add("Dilation = " + Int(dilation));
        if (layer.Padding is { } padding) named.Add("Padding = " + (padding switch { 0 => "Padding.Valid", 1 => "Padding.Same", _ => $"(Padding){padding}" }));
        if (layer.Activation is { } activation && layer.Kind != "Activation") named.Add("Activation = " + Activation(activation));
        if (layer.UseBias is { } useBias) named.Add("UseBias = " + (useBias ? "true" : "false"));
        if (layer.Name is { } name) named.Add("Name = " + Quote(name));
        var arguments = positional.Concat(named).ToList();
        return arguments.Count == 0 ? layer.Kind : $"{layer.Kind}({string.Join(", ", arguments)})";
    }

    private static string TextLine(FuzzLayer layer)
    {
        static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        var parts = new List<string>();
        string window = layer.TwoKernelArguments ? $"{Int(layer.KernelHeight)}x{Int(layer.KernelWidth)}" : Int(layer.KernelHeight);
        switch (layer.Kind)
        {
            case "Conv2D": parts.AddRange(new[] { "conv2d", Int(layer.Size), window }); break;
            case "MaxPool2D": parts.AddRange(new[] { "maxpool2d", window }); break;
            case "AvgPool2D": parts.AddRange(new[] { "avgpool2d", window }); break;
            case "GlobalMaxPool2D": parts.Add("globalmaxpool2d"); break;
            case "GlobalAvgPool2D": parts.Add("globalavgpool2d"); break;
            case "Flatten": parts.Add("flatten"); break;
            case "Dense": parts.AddRange(new[] { "dense", Int(layer.Size) }); break;
            case "Dropout": parts.AddRange(new[] { "dropout", layer.Rate.ToString("R", CultureInfo.InvariantCulture) }); break;
            case "Activation": parts.Add(s_activationWords[layer.Activation!.Value]); break;
        }
        if (layer.Stride is { } stride) parts.Add("stride=" + Int(stride));
        if (layer.Dilation is { } dilation) parts.Add("dilation=" + Int(dilation));
        if (layer.Padding is { } padding) parts.Add(padding == 1 ? "padding=same" : "padding=valid");
        if (layer.Activation is { } activation && layer.Kind != "Activation") parts.Add(s_activationWords[activation]);
        if (layer.UseBias == false) parts.Add("nobias");
        if (layer.Name is { } name) parts.Add("name=" + name);
        return string.Join(" ", parts);
    }

    private static string Activation(int value) => value is >= 0 and < 8 ? "Activation." + s_activationNames[value] : $"(Activation){value}";

    private static string Int(int value) => value == int.MaxValue ? "int.MaxValue" : value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
