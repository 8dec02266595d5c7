using System;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Emits the walk over a window's taps, shared by convolution and pooling: unrolled with
/// literal offsets when the window is small, loops otherwise; bounds checks only where padding
/// can put a tap outside the input. For each tap the caller's body receives <c>xp</c>, a ref to
/// the tap's first input channel, and a C# expression for the tap index (<c>ky * KW + kx</c>).
/// </summary>
internal static class WindowLoops
{
    /// <summary>Windows up to this many taps are fully unrolled.</summary>
    public const int UnrollTapBudget = 64;

    public static bool IsPadded(WindowShape l) => l.IsPadded;

    /// <summary>Declares, per output pixel, either <c>window</c> (valid) or <c>iy0</c>/<c>ix0</c> (padded).</summary>
    public static void EmitPixelOrigin(IndentedTextWriter w, WindowShape l, string baseName = "x")
    {
        var input = l.Input;
        if (IsPadded(l))
        {
            w.WriteLine($"int iy0 = {Arithmetic.Plus(Arithmetic.Times("oy", l.StrideHeight), -l.PadTop)};");
            w.WriteLine($"int ix0 = {Arithmetic.Plus(Arithmetic.Times("ox", l.StrideWidth), -l.PadLeft)};");
        }
        else
        {
            w.WriteLine($"ref float window = ref Unsafe.Add(ref {baseName}, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times("oy", l.StrideHeight * input.Width), Arithmetic.Times("ox", l.StrideWidth)), input.Channels)});");
        }
    }

    /// <param name="unrollTaps">Windows of at most this many taps are written out tap by tap; larger ones are a loop over (ky, kx).</param>
    public static void EmitTaps(IndentedTextWriter w, WindowShape l, Action<string> body, string baseName = "x", int unrollTaps = UnrollTapBudget)
    {
        var input = l.Input;
        int c = input.Channels;
        bool padded = IsPadded(l);
        if (l.KernelHeight * l.KernelWidth <= unrollTaps)
        {
            for (int ky = 0; ky < l.KernelHeight; ky++)
            {
                int dy = ky * l.DilationHeight;
                IDisposable? row = padded && NeedsRowCheck(l, dy) ? w.WriteBlock($"if ((uint)({Arithmetic.Plus("iy0", dy)}) < {I(input.Height)}u)") : null;
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int dx = kx * l.DilationWidth;
                    bool columnCheck = padded && NeedsColumnCheck(l, dx);
                    w.WriteLine($"// tap ({ky},{kx})");
                    using (w.WriteBlock(columnCheck ? $"if ((uint)({Arithmetic.Plus("ix0", dx)}) < {I(input.Width)}u)" : ""))
                    {
                        w.WriteLine(padded
                            ? $"ref float xp = ref Unsafe.Add(ref {baseName}, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times(Arithmetic.Plus("iy0", dy), input.Width), "ix0", I(dx)), c)});"
                            : $"ref float xp = ref {At("window", I(((long)dy * input.Width + dx) * c))};");
                        body(I(ky * l.KernelWidth + kx));
                    }
                }
                row?.Dispose();
            }
            return;
        }

        using (w.WriteBlock($"for (int ky = 0; ky < {I(l.KernelHeight)}; ky++)"))
        {
            if (padded)
            {
                w.WriteLine($"int iy = {Arithmetic.Sum("iy0", Arithmetic.Times("ky", l.DilationHeight))};");
                w.WriteLine($"if ((uint)iy >= {I(input.Height)}u) continue;");
            }
            using (w.WriteBlock($"for (int kx = 0; kx < {I(l.KernelWidth)}; kx++)"))
            {
                if (padded)
                {
                    w.WriteLine($"int ix = {Arithmetic.Sum("ix0", Arithmetic.Times("kx", l.DilationWidth))};");
                    w.WriteLine($"if ((uint)ix >= {I(input.Width)}u) continue;");
                    w.WriteLine($"ref float xp = ref Unsafe.Add(ref {baseName}, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times("iy", input.Width), "ix"), c)});");
                }
                else
                {
                    w.WriteLine($"ref float xp = ref Unsafe.Add(ref window, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times("ky", l.DilationHeight * input.Width), Arithmetic.Times("kx", l.DilationWidth)), c)});");
                }
                body(Arithmetic.Sum(Arithmetic.Times("ky", l.KernelWidth), "kx"));
            }
        }
    }

    /// <summary>Whether some output row puts this kernel row outside the input (else the check is dropped).</summary>
    private static bool NeedsRowCheck(WindowShape l, int dy) =>
        dy - l.PadTop < 0 || (l.Output.Height - 1) * l.StrideHeight - l.PadTop + dy >= l.Input.Height;

    private static bool NeedsColumnCheck(WindowShape l, int dx) =>
        dx - l.PadLeft < 0 || (l.Output.Width - 1) * l.StrideWidth - l.PadLeft + dx >= l.Input.Width;
}
