using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Writes an <see cref="ImportedNetwork"/> as a readable ConvGen declaration: a
/// <c>[Network(Input = "HxWxC")]</c> partial class with one attribute per layer and each
/// layer's inferred output shape in a trailing comment. <c>Input = "..."</c> appears only where
/// a layer does not read the previous one (residual branches), so plain chains stay plain.
/// </summary>
public static class DeclarationWriter
{
    /// <summary>Writes the declaration to <paramref name="path"/>.</summary>
    public static void Write(ImportedNetwork network, string path, string @namespace, string className) =>
        File.WriteAllText(path, Render(network, @namespace, className));

    /// <summary>The declaration as C# source.</summary>
    public static string Render(ImportedNetwork network, string @namespace, string className)
    {
        ArgumentNullException.ThrowIfNull(network);
        var lines = new List<(string Attribute, string Comment)>
        {
            ($"[Network(Input = \"{network.InputShape.Height}x{network.InputShape.Width}x{network.InputShape.Channels}\")]", network.InputShape.ToString()),
        };
        string previous = OnnxImporter.NetworkInputName;
        foreach (ImportedLayer layer in network.Layers)
        {
            lines.Add((Attribute(layer, previous), $"{layer.OutputShape}  <- {SourceText.Escape(string.Join(" + ", layer.SourceNodes))}"));
            previous = layer.Name;
        }
        int width = lines.Max(l => l.Attribute.Length) + 2;

        long parameters = network.Weights.Sum(w => (long)w.Data.Length);
        var text = new StringBuilder();
        text.AppendLine("// Imported from " + SourceText.Escape(network.SourceName) + " by ConvGen.Onnx"
            + (network.Producer.Length > 0 ? $" (producer: {SourceText.Escape(network.Producer)}, opset {network.OpsetVersion})" : "") + ".");
        text.AppendLine($"// {network.Layers.Count} layers, {parameters:N0} parameter values (incl. BatchNorm running statistics); weights in the safetensors file next to this one.");
        text.AppendLine("// Activations are NHWC; shapes after each layer are per sample [H,W,C] or [N].");
        text.AppendLine("using ConvGen;");
        text.AppendLine();
        text.AppendLine($"namespace {@namespace};");
        text.AppendLine();
        foreach (var (attribute, comment) in lines)
        {
            text.Append(attribute.PadRight(width)).Append("// ").AppendLine(comment);
        }
        text.AppendLine($"public sealed partial class {className};");
        return text.ToString();
    }

    private static string Attribute(ImportedLayer layer, string previous)
    {
        var named = new List<string>();
        string positional = layer.Kind switch
        {
            ImportedLayerKind.Conv2D => $"{layer.Units}, {Kernel(layer)}",
            ImportedLayerKind.MaxPool2D or ImportedLayerKind.AvgPool2D => Kernel(layer),
            ImportedLayerKind.Dense => I(layer.Units),
            ImportedLayerKind.Activation => "Activation." + layer.Activation,
            ImportedLayerKind.Add or ImportedLayerKind.Multiply => $"\"{layer.Inputs[0]}\", \"{layer.Inputs[1]}\"",
            ImportedLayerKind.DepthwiseConv2D => Kernel(layer),
            ImportedLayerKind.ZeroPadding2D => $"{I(layer.PadTop)}, {I(layer.PadBottom)}, {I(layer.PadLeft)}, {I(layer.PadRight)}",
            ImportedLayerKind.Conv2DTranspose => $"{layer.Units}, {Kernel(layer)}",
            ImportedLayerKind.UpSampling2D => layer.StrideHeight == layer.StrideWidth ? I(layer.StrideHeight) : $"{I(layer.StrideHeight)}, {I(layer.StrideWidth)}",
            ImportedLayerKind.Concatenate => string.Join(", ", layer.Inputs.Select(i => $"\"{i}\"")),
            ImportedLayerKind.Cropping2D => string.Join(", ", Cropping(layer).Select(I)),
            ImportedLayerKind.Reshape => layer.OutputShape.Rank == 1
                ? I(layer.OutputShape.Channels)
                : $"{I(layer.OutputShape.Height)}, {I(layer.OutputShape.Width)}, {I(layer.OutputShape.Channels)}",
            ImportedLayerKind.GroupNormalization => I(layer.Units),
            _ => "",
        };
        if (layer.KeepDims)
        {
            named.Add("KeepDims = true");
        }
        if (layer.Kind is ImportedLayerKind.GroupNormalization or ImportedLayerKind.LayerNormalization)
        {
            named.Add($"Epsilon = {D(layer.Epsilon)}");
        }
        if (layer.Kind == ImportedLayerKind.DepthwiseConv2D && layer.DepthMultiplier != 1)
        {
            named.Add($"DepthMultiplier = {I(layer.DepthMultiplier)}");
        }
        if (layer.Kind == ImportedLayerKind.Conv2DTranspose)
        {
            // The pads were matched to one of Keras's output-size rules at import; the rule is what the declaration states.
            if (layer.StrideHeight != 1)
            {
                named.Add($"Stride = {I(layer.StrideHeight)}");
            }
            if (layer.DilationHeight != 1)
            {
                named.Add($"Dilation = {I(layer.DilationHeight)}");
            }
            if (layer.TransposedPadding == ConvGen.Padding.Same)
            {
                named.Add("Padding = Padding.Same");
            }
            if (layer.OutputPadding >= 0)
            {
                named.Add($"OutputPadding = {I(layer.OutputPadding)}");
            }
        }
        if (layer.Kind == ImportedLayerKind.UpSampling2D && layer.Interpolation != UpSamplingInterpolation.Nearest)
        {
            named.Add($"Interpolation = UpSamplingInterpolation.{layer.Interpolation}");
        }
        if (layer.Kind is ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D or ImportedLayerKind.MaxPool2D or ImportedLayerKind.AvgPool2D)
        {
            // Pools default their stride to the pool size (Keras), convolutions to 1.
            int defaultStride = layer.Kind is ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D ? 1 : layer.KernelHeight;
            if (layer.StrideHeight != defaultStride)
            {
                named.Add($"Stride = {I(layer.StrideHeight)}");
            }
            if (layer.DilationHeight != 1)
            {
                named.Add($"Dilation = {I(layer.DilationHeight)}");
            }
            named.AddRange(Padding(layer));
        }
        if (layer.Kind == ImportedLayerKind.BatchNorm)
        {
            named.Add($"Epsilon = {D(layer.Epsilon)}");
            named.Add($"Momentum = {D(layer.Momentum)}");
        }
        if (layer.Kind is ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D or ImportedLayerKind.Conv2DTranspose or ImportedLayerKind.Dense or ImportedLayerKind.Add && layer.Activation != ConvGen.Activation.Linear)
        {
            named.Add($"Activation = Activation.{layer.Activation}");
        }
        if (!double.IsNaN(layer.Alpha))
        {
            named.Add($"Alpha = {D(layer.Alpha)}");
        }
        if (layer.Kind is ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D or ImportedLayerKind.Conv2DTranspose or ImportedLayerKind.Dense && !layer.UseBias)
        {
            named.Add("UseBias = false");
        }
        if (layer.Kind is not (ImportedLayerKind.Add or ImportedLayerKind.Multiply or ImportedLayerKind.Concatenate) && layer.Inputs[0] != previous)
        {
            named.Add($"Input = \"{layer.Inputs[0]}\"");
        }
        named.Add($"Name = \"{layer.Name}\"");
        string arguments = string.Join(", ", new[] { positional }.Where(p => p.Length > 0).Concat(named));
        return $"[{KindName(layer.Kind)}({arguments})]";
    }

    /// <summary>
    /// Symmetric padding that equals ConvGen's "same" rule is written as <c>Padding.Same</c>;
    /// anything else (e.g. CNTK's 3/2 split of a 7x7 stride-2 stem) as explicit per-side pads.
    /// </summary>
    private static IEnumerable<string> Padding(ImportedLayer layer)
    {
        if (!layer.HasPadding)
        {
            yield break;
        }
        var (top, bottom) = WindowGeometry.SamePadding(layer.InputShape.Height, layer.KernelHeight, layer.StrideHeight, layer.DilationHeight);
        var (left, right) = WindowGeometry.SamePadding(layer.InputShape.Width, layer.KernelWidth, layer.StrideWidth, layer.DilationWidth);
        if ((top, bottom, left, right) == (layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight))
        {
            yield return "Padding = Padding.Same";
            yield break;
        }
        yield return $"PadTop = {I(layer.PadTop)}";
        yield return $"PadBottom = {I(layer.PadBottom)}";
        yield return $"PadLeft = {I(layer.PadLeft)}";
        yield return $"PadRight = {I(layer.PadRight)}";
    }

    /// <summary>Cropping2D's shortest argument form: one crop, rows and columns, or all four sides.</summary>
    internal static int[] Cropping(ImportedLayer layer) =>
        (layer.PadTop, layer.PadBottom, layer.PadLeft, layer.PadRight) switch
        {
            var (t, b, l, r) when t == b && l == r && t == l => [t],
            var (t, b, l, r) when t == b && l == r => [t, l],
            var (t, b, l, r) => [t, b, l, r],
        };

    private static string Kernel(ImportedLayer layer) =>
        layer.KernelHeight == layer.KernelWidth ? I(layer.KernelHeight) : $"{I(layer.KernelHeight)}, {I(layer.KernelWidth)}";

    private static string KindName(ImportedLayerKind kind) => kind.ToString();

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Shortest round-trip text of the float32 value ONNX stored (so 1e-5 prints as 1E-05, not 9.99999974737875E-06).</summary>
    private static string D(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);
}
