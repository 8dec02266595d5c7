using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>One layer while its shapes are inferred: where it sits, what precedes it, and how advice is written.</summary>
/// <param name="IsTextForm">Advice names text-form syntax (<c>padding=same</c>) instead of C# (<c>Padding.Same</c>).</param>
internal readonly record struct LayerContext(int Index, string Name, LayerSpec Layer, LayerPlan? Previous, bool IsTextForm)
{
    public string Kind => Layer.Kind.ToString();

    /// <summary><c>layer 2 Dense 'dense'</c>, as messages name a layer.</summary>
    public string Subject => $"layer {Index} {Kind} '{Name}'";

    /// <summary>How the user writes same padding in the form they used.</summary>
    public string SamePadding => IsTextForm ? "padding=same" : "Padding.Same";

    /// <summary>A plan for this layer with its shapes; the descriptor adds its own data.</summary>
    public LayerPlan Plan(Shape input, Shape output) => new(Index, Name, Layer.Kind, input, output);

    /// <summary>
    /// The window as messages describe it, e.g. <c>5x5, valid</c> or <c>3x3 dilated 2, stride 2, same</c>.
    /// Only layers with a dilation option can have one above 1.
    /// </summary>
    public string WindowText(int strideHeight, int strideWidth, bool withStride)
    {
        string text = $"{Layer.KernelHeight}x{Layer.KernelWidth}";
        if (Layer.Dilation > 1)
        {
            text += $" dilated {Layer.Dilation}";
        }
        if (withStride)
        {
            text += strideHeight == strideWidth ? $", stride {strideHeight}" : $", stride {strideHeight}x{strideWidth}";
        }
        return text + ", " + (Layer.Pads?.ToString() ?? (Layer.Padding == PaddingKind.Same ? "same" : "valid"));
    }
}
