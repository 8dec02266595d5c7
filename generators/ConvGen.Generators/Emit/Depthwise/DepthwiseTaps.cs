using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.Arithmetic;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Depthwise;

/// <summary>
/// The walk over a depthwise window's taps for one output pixel, one statement per tap and
/// vector: without padding every tap reads <c>window</c> at a literal offset; with padding each
/// kernel row that some output row puts outside the input is tested once, its input row is
/// <c>line{ky}</c>, and only the columns that can fall outside are tested. (A window of more than
/// <see cref="WindowLoops.UnrollTapBudget"/> taps is WindowLoops' loop.) The caller's body gets
/// the tap index and the ref and offset of the tap's first channel.
/// </summary>
internal static class DepthwiseTaps
{
    /// <summary>Declares the pixel's origin (<c>window</c>, or <c>iy0</c> / <c>ix0</c> when padded), then writes the taps of <paramref name="source"/>.</summary>
    public static void Emit(IndentedTextWriter w, WindowShape l, Func<string, string, string, IReadOnlyList<string>> body, string source = "x")
    {
        WindowLoops.EmitPixelOrigin(w, l, source);
        if (l.Taps > WindowLoops.UnrollTapBudget)
        {
            WindowLoops.EmitTaps(w, l, tap =>
            {
                foreach (string statement in body(tap, "xp", "0"))
                {
                    w.WriteLine(statement);
                }
            }, source);
            return;
        }
        int c = l.Input.Channels;
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            int dy = ky * l.DilationHeight;
            if (!l.IsPadded)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int t = ky * l.KernelWidth + kx;
                    Write(w, body(I(t), "window", I(((long)dy * l.Input.Width + kx * l.DilationWidth) * c)), null, $"tap ({ky},{kx})");
                }
                continue;
            }
            string rowCheck = NeedsCheck(dy, l.PadTop, l.Output.Height, l.StrideHeight, l.Input.Height) ? $"if ((uint){Atom(Plus("iy0", dy))} < {I(l.Input.Height)}u)" : "";
            w.WriteLine($"// kernel row {ky}");
            using (rowCheck.Length > 0 ? w.WriteBlock(rowCheck) : (IDisposable?)null)
            {
                w.WriteLine($"ref float line{ky} = ref Unsafe.Add(ref {source}, {Times(Plus("iy0", dy), (long)l.Input.Width * c)});");
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int dx = kx * l.DilationWidth;
                    string column = Plus("ix0", dx);
                    string? check = NeedsCheck(dx, l.PadLeft, l.Output.Width, l.StrideWidth, l.Input.Width) ? $"(uint){Atom(column)} < {I(l.Input.Width)}u" : null;
                    Write(w, body(I(ky * l.KernelWidth + kx), $"line{ky}", Times(column, c)), check, $"tap ({ky},{kx})");
                }
            }
        }
    }

    private static string Atom(string expression) => expression.Contains(" ") ? $"({expression})" : expression;

    /// <summary>Whether some output position puts kernel offset <paramref name="d"/> outside the input.</summary>
    private static bool NeedsCheck(int d, int pad, int outputSize, int stride, int inputSize) =>
        d - pad < 0 || (long)(outputSize - 1) * stride - pad + d >= inputSize;

    /// <summary>The tap's statements, under its check; one statement carries the tap comment at its end.</summary>
    private static void Write(IndentedTextWriter w, IReadOnlyList<string> statements, string? check, string comment)
    {
        if (check is null)
        {
            for (int i = 0; i < statements.Count; i++)
            {
                w.WriteLine(i == 0 ? $"{statements[i]} // {comment}" : statements[i]);
            }
            return;
        }
        if (statements.Count == 1)
        {
            w.WriteLine($"if ({check}) {statements[0]} // {comment}");
            return;
        }
        w.WriteLine($"// {comment}");
        using (w.WriteBlock($"if ({check})"))
        {
            foreach (string statement in statements)
            {
                w.WriteLine(statement);
            }
        }
    }
}
