using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>Rules shared by the layers with a sliding window (Conv2D, the pools): padding, the window's plan, its coverage of the input.</summary>
internal static class WindowChecks
{
    // Explicit pads replace the padding rule; the same-padding variant is still computed for advice.
    public static Window Compute(Shape input, LayerSpec layer, int strideH, int strideW, int dilation, PaddingKind padding) =>
        layer.Pads is { } pads && padding == PaddingKind.Valid
            ? Window.Explicit(input, layer.KernelHeight, layer.KernelWidth, strideH, strideW, dilation, dilation, pads)
            : Window.Compute(input, layer.KernelHeight, layer.KernelWidth, strideH, strideW, dilation, dilation, padding);

    /// <summary>
    /// CG0016: explicit pads are not combined with same padding, are not negative, and stay below
    /// the window's extent (a window over nothing but padding has no maximum and no average).
    /// </summary>
    public static bool PaddingIsValid(LayerContext context, int dilation, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        if (layer.Pads is not { } pads)
        {
            return true;
        }
        string? problem = null;
        long extentH = (long)(layer.KernelHeight - 1) * dilation + 1;
        long extentW = (long)(layer.KernelWidth - 1) * dilation + 1;
        string written = context.IsTextForm
            ? $"pads={pads.Top},{pads.Bottom},{pads.Left},{pads.Right}"
            : $"PadTop = {pads.Top}, PadBottom = {pads.Bottom}, PadLeft = {pads.Left}, PadRight = {pads.Right}";
        if (layer.Padding == PaddingKind.Same)
        {
            problem = $"explicit padding ({written}) cannot be combined with {context.SamePadding}; keep one of them";
        }
        else if (pads.Top < 0 || pads.Bottom < 0 || pads.Left < 0 || pads.Right < 0)
        {
            problem = $"explicit padding ({written}) has a negative side; padding counts rows and columns of zeros, 0 or more";
        }
        else if (pads.Top >= extentH || pads.Bottom >= extentH || pads.Left >= extentW || pads.Right >= extentW)
        {
            problem = $"explicit padding ({written}) is not smaller than the {extentH}x{extentW} window on every side, so some windows would cover only padding; use at most {extentH - 1} rows and {extentW - 1} columns";
        }
        if (problem is null)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExplicitPadding, layer.Location, context.Index, context.Kind, context.Name, problem));
        return false;
    }

    /// <summary>
    /// CG0107 when the window has more taps than the emitter unrolls (<paramref name="unrollTapBudget"/>,
    /// the emitter's number, passed in by the descriptor), then the stride coverage (CG0104 / CG0105).
    /// </summary>
    /// <param name="remainderIsExpected">Non-overlapping pooling: a dropped remainder is textbook behaviour, so information rather than a warning.</param>
    public static void Coverage(LayerContext context, Shape input, Window window, Shape output, Shape sameOutput, int unrollTapBudget,
        bool remainderIsExpected, List<DiagnosticInfo> diagnostics)
    {
        int taps = window.KernelHeight * window.KernelWidth;
        if (taps > unrollTapBudget)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowNotUnrolled, context.Layer.Location, context.Index, context.Layer.Kind, context.Name,
                window.KernelHeight, window.KernelWidth, taps, unrollTapBudget));
        }
        if (context.Layer.Pads is null && StrideCoverage.Check(context, input, window, output, sameOutput, remainderIsExpected) is { } diagnostic)
        {
            diagnostics.Add(diagnostic);
        }
    }
}
