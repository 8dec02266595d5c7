using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Everything a window kernel's body depends on (shapes, window, strides, dilation, padding) and
/// nothing else: two layers with equal shapes share one body, whatever their names, parameter
/// offsets, bias or activation (those are arguments of the body, see <see cref="Catalog.KernelCatalog"/>).
/// </summary>
internal readonly record struct WindowShape(
    Shape Input,
    Shape Output,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight)
{
    public static WindowShape Of(LayerPlan l) => new(l.Input, l.Output, l.KernelHeight, l.KernelWidth, l.StrideHeight, l.StrideWidth,
        l.DilationHeight, l.DilationWidth, l.PadTop, l.PadBottom, l.PadLeft, l.PadRight);

    public bool IsPadded => PadTop + PadBottom + PadLeft + PadRight > 0;

    public int Taps => KernelHeight * KernelWidth;

    /// <summary><c>[39,39,8] -> [37,37,16], 3x3 s1</c>: the comment on a shared body.</summary>
    public override string ToString() =>
        $"{Input} -> {Output}, {KernelHeight}x{KernelWidth} s{StrideHeight}x{StrideWidth}"
        + (DilationHeight == 1 && DilationWidth == 1 ? "" : $" d{DilationHeight}x{DilationWidth}")
        + (IsPadded ? $" pad {PadTop},{PadBottom},{PadLeft},{PadRight}" : "");
}
