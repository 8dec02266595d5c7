using System;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Layers;

/// <summary>What the kinds with a sliding window (Conv2D, the pools) share: their plan, their description, their code estimate.</summary>
internal static class Windows
{
    /// <summary>The plan with the window and the padding as written.</summary>
    public static LayerPlan Plan(LayerContext context, Shape input, Shape output, Window window) =>
        context.Plan(input, output) with
        {
            Window = window,
            Padding = context.Layer.Padding,
            HasExplicitPadding = context.Layer.Pads is not null,
        };

    /// <summary>CG0107 and the stride coverage, against the emitter's own unroll budget.</summary>
    public static void Coverage(LayerContext context, Shape input, Window window, Shape output, Shape sameOutput, bool remainderIsExpected,
        System.Collections.Generic.List<Diagnostics.DiagnosticInfo> diagnostics) =>
        WindowChecks.Coverage(context, input, window, output, sameOutput, WindowLoops.UnrollTapBudget, remainderIsExpected, diagnostics);

    /// <summary><c>3x3 s2 same</c>: the window part of a description.</summary>
    public static string Describe(LayerPlan l) => $"{l.KernelHeight}x{l.KernelWidth} s{Stride(l)}{Dilation(l)} {Pad(l)}";

    private static string Stride(LayerPlan l) => l.StrideHeight == l.StrideWidth ? $"{l.StrideHeight}" : $"{l.StrideHeight}x{l.StrideWidth}";

    private static string Dilation(LayerPlan l) => l.DilationHeight == 1 && l.DilationWidth == 1 ? "" : $" d{l.DilationHeight}";

    private static string Pad(LayerPlan l) =>
        l.HasExplicitPadding ? $"pad {l.PadTop},{l.PadBottom},{l.PadLeft},{l.PadRight}" : l.Padding == PaddingKind.Same ? "same" : "valid";

    // Code estimates, calibrated against the emitters' output for single layers of each kind
    // (HostileDeclarationTests keeps whole networks within a small factor). What grows is the
    // unrolled work: taps (loops beyond the unroll budget) and one register block of output
    // channels (further blocks are loops), scalar channels costing more than vector lanes.

    /// <summary>Taps written out (1 when the window is a loop).</summary>
    public static long UnrolledTaps(LayerPlan l)
    {
        long taps = l.KernelHeight * (long)l.KernelWidth;
        return taps <= WindowLoops.UnrollTapBudget ? taps : 1;
    }

    /// <summary>Output channels in the unrolled register block's vectors.</summary>
    public static long VectorLanes(LayerPlan l) => Math.Min(l.Output.Channels / ChannelBlock.Lanes, ChannelBlock.MaxVectors) * (long)ChannelBlock.Lanes;

    /// <summary>Output channels left over after the whole vectors.</summary>
    public static long ScalarChannels(LayerPlan l) => l.Output.Channels % ChannelBlock.Lanes;
}
