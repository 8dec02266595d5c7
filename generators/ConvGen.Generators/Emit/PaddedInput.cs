using System;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The input of a window kernel as it reads it: the sample itself when the layer has no padding,
/// else a zero-bordered copy just large enough for every window (input rows and columns that no
/// window reaches are not copied). With the copy, every tap of every output pixel is in bounds,
/// so the kernel's inner loops need no checks. The buffer comes from the shared ArrayPool (no
/// allocation once warm) and its border is cleared once per call.
/// </summary>
internal readonly struct PaddedInput
{
    public PaddedInput(WindowShape l)
    {
        Layer = l;
        IsCopy = l.IsPadded;
        Height = IsCopy ? (l.Output.Height - 1) * l.StrideHeight + (l.KernelHeight - 1) * l.DilationHeight + 1 : l.Input.Height;
        Width = IsCopy ? (l.Output.Width - 1) * l.StrideWidth + (l.KernelWidth - 1) * l.DilationWidth + 1 : l.Input.Width;
    }

    public WindowShape Layer { get; }

    public bool IsCopy { get; }

    /// <summary>Rows of the buffer the kernel reads (the input's when there is no copy).</summary>
    public int Height { get; }

    /// <summary>Columns of the buffer the kernel reads: the row stride is <c>Width * channels</c>.</summary>
    public int Width { get; }

    private long Length => (long)Height * Width * Layer.Input.Channels;

    /// <summary>Rents and clears the buffer (nothing without a copy); <see cref="EmitReturn"/> gives it back after the sample loop.</summary>
    public void EmitRent(IndentedTextWriter w)
    {
        if (!IsCopy)
        {
            return;
        }
        w.WriteLine($"// Each sample inside a zero border: [{Height},{Width},{Layer.Input.Channels}], the input at ({Layer.PadTop},{Layer.PadLeft}).");
        w.WriteLine($"float[] padded = ArrayPool<float>.Shared.Rent({I(Length)});");
        w.WriteLine($"Array.Clear(padded, 0, {I(Length)});");
    }

    /// <summary>
    /// Returns the buffer. Not in a <c>finally</c>: nothing in the kernel throws (its callers check
    /// the lengths first), and a buffer an exception kept from the pool would only be left to the
    /// GC; without the try block the whole sample loop sits one level less deep.
    /// </summary>
    public void EmitReturn(IndentedTextWriter w)
    {
        if (IsCopy)
        {
            w.WriteLine("ArrayPool<float>.Shared.Return(padded);");
        }
    }

    /// <summary>
    /// Declares <c>ref float x</c>: sample <c>n</c> of <c>input</c>, copied into the border first when
    /// padded; <paramref name="inShare"/> (in a body of <see cref="RowShares"/>), only the rows that the share's output rows read.
    /// </summary>
    public void EmitSample(IndentedTextWriter w, bool inShare = false)
    {
        var l = Layer;
        int c = l.Input.Channels;
        if (!IsCopy)
        {
            w.WriteLine($"ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Arithmetic.Times("n", l.Input.Length)});");
            return;
        }
        int rows = Math.Max(0, Math.Min(l.Input.Height, Height - l.PadTop));
        int columns = Math.Max(0, Math.Min(l.Input.Width, Width - l.PadLeft));
        // With inShare only the input rows that the share's output rows of the sample read (all of them unless a
        // picture is split over threads). Not said in the generated code: a comment in every padded body would cost
        // the snapshots' byte budgets more than the loop.
        using (w.WriteBlock(inShare
            ? $"foreach (int iy in rows.Reach(n, {I(l.Output.Height)}, {I(l.StrideHeight)}, {I((l.KernelHeight - 1) * l.DilationHeight + 1)}, {I(l.PadTop)}, {I(rows)}))"
            : $"for (int iy = 0; iy < {I(rows)}; iy++)"))
        {
            w.WriteLine($"input.Slice({Arithmetic.Sum(Arithmetic.Times("n", l.Input.Length), Arithmetic.Times("iy", l.Input.Width * c))}, {I(columns * c)}).CopyTo(padded.AsSpan({Arithmetic.Sum(Arithmetic.Times(Arithmetic.Plus("iy", l.PadTop), Width * c), I(l.PadLeft * c))}));");
        }
        w.WriteLine("ref float x = ref MemoryMarshal.GetArrayDataReference(padded);");
    }
}
