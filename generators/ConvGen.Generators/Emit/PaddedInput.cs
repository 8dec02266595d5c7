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
/// <para>
/// A <see cref="Planar"/> copy holds each channel as its own plane, <c>[channels][Height][Width]</c>
/// (for one channel the same as NHWC): a kernel with pixels in its vector lanes then loads a
/// run of one channel's neighbouring pixels as one vector. It is a copy even without padding.
/// </para>
/// <para>
/// A copy with a <see cref="PixelStride"/> wider than the channels leaves a gap after each pixel's
/// channels (never read): a kernel that walks the pixels of a small picture at a fixed channel then
/// touches cache lines spread over the L1 sets, where a stride of a multiple of 512 bytes (128 or
/// more channels, a power of two) maps every pixel to the same few sets, and the lines it reuses
/// from one register tile to the next are evicted by the ones between. It is a copy even without padding.
/// </para>
/// </summary>
internal readonly struct PaddedInput
{
    /// <summary>
    /// The input of <paramref name="l"/> as its kernel reads it; <paramref name="outputColumns"/>, when
    /// more than the output's width, makes the copy wide enough (zeros to the right) for that many
    /// output columns per row: a kernel that rounds each row up to whole vectors reads only zeros past it.
    /// </summary>
    public PaddedInput(WindowShape l, bool planar = false, int outputColumns = 0, int pixelStride = 0)
    {
        Layer = l;
        Planar = planar && l.Input.Channels > 1;
        PixelStride = Planar ? l.Input.Channels : Math.Max(pixelStride, l.Input.Channels);
        bool shaped = l.IsPadded || outputColumns > l.Output.Width;
        IsCopy = shaped || Planar || PixelStride > l.Input.Channels;
        Height = shaped ? (l.Output.Height - 1) * l.StrideHeight + (l.KernelHeight - 1) * l.DilationHeight + 1 : l.Input.Height;
        Width = shaped ? (Math.Max(outputColumns, l.Output.Width) - 1) * l.StrideWidth + (l.KernelWidth - 1) * l.DilationWidth + 1 : l.Input.Width;
    }

    /// <summary>Whether the copy is channel by channel (more than one channel, asked for planes).</summary>
    public bool Planar { get; }

    public WindowShape Layer { get; }

    public bool IsCopy { get; }

    /// <summary>Rows of the buffer the kernel reads (the input's when there is no copy).</summary>
    public int Height { get; }

    /// <summary>Columns of the buffer the kernel reads: the row stride is <c>Width * PixelStride</c>.</summary>
    public int Width { get; }

    /// <summary>Floats from one pixel of the buffer to the next (the channels, unless a gap follows them).</summary>
    public int PixelStride { get; }

    private bool Spread => PixelStride > Layer.Input.Channels;

    private long Length => (long)Height * Width * PixelStride;

    /// <summary>Rents and clears the buffer (nothing without a copy); <see cref="EmitReturn"/> gives it back after the sample loop.</summary>
    public void EmitRent(IndentedTextWriter w)
    {
        if (!IsCopy)
        {
            return;
        }
        w.WriteLine(Planar
            ? $"// Each sample channel by channel{(Layer.IsPadded ? " inside a zero border" : "")}: [{Layer.Input.Channels},{Height},{Width}], the input at ({Layer.PadTop},{Layer.PadLeft})."
            : Spread
            ? $"// Each sample{(Layer.IsPadded ? " inside a zero border" : "")} with {PixelStride} floats a pixel (its {Layer.Input.Channels} channels, then a gap that spreads the pixels over the L1 sets): [{Height},{Width},{PixelStride}], the input at ({Layer.PadTop},{Layer.PadLeft})."
            : $"// Each sample inside a zero border: [{Height},{Width},{Layer.Input.Channels}], the input at ({Layer.PadTop},{Layer.PadLeft}).");
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
        if (Planar)
        {
            // Every row of every channel, even in a share of a split picture: the planar copy is a
            // small first layer's, cheap next to its multiply-adds.
            EmitPlanarSample(w, rows, columns);
            return;
        }
        if (Spread)
        {
            EmitSpreadSample(w, rows, columns, inShare);
            return;
        }
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

    /// <summary>Sample <c>n</c> pixel by pixel, each pixel's channels to the start of its <see cref="PixelStride"/>.</summary>
    private void EmitSpreadSample(IndentedTextWriter w, int rows, int columns, bool inShare)
    {
        var l = Layer;
        int c = l.Input.Channels;
        using (w.WriteBlock(inShare
            ? $"foreach (int iy in rows.Reach(n, {I(l.Output.Height)}, {I(l.StrideHeight)}, {I((l.KernelHeight - 1) * l.DilationHeight + 1)}, {I(l.PadTop)}, {I(rows)}))"
            : $"for (int iy = 0; iy < {I(rows)}; iy++)"))
        {
            using (w.WriteBlock($"for (int ix = 0; ix < {I(columns)}; ix++)"))
            {
                string from = Arithmetic.Sum(Arithmetic.Times("n", l.Input.Length), Arithmetic.Times("iy", l.Input.Width * c), Arithmetic.Times("ix", c));
                string to = Arithmetic.Sum(Arithmetic.Times(Arithmetic.Plus("iy", l.PadTop), Width * PixelStride), Arithmetic.Times(Arithmetic.Plus("ix", l.PadLeft), PixelStride));
                w.WriteLine($"input.Slice({from}, {I(c)}).CopyTo(padded.AsSpan({to}));");
            }
        }
        w.WriteLine("ref float x = ref MemoryMarshal.GetArrayDataReference(padded);");
    }

    /// <summary>Sample <c>n</c> into the planes: row by row, each input pixel's channels to their planes.</summary>
    private void EmitPlanarSample(IndentedTextWriter w, int rows, int columns)
    {
        var l = Layer;
        int c = l.Input.Channels;
        int plane = Height * Width;
        using (w.WriteBlock($"for (int iy = 0; iy < {I(rows)}; iy++)"))
        {
            w.WriteLine($"ref float source = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), {Arithmetic.Sum(Arithmetic.Times("n", l.Input.Length), Arithmetic.Times("iy", l.Input.Width * c))});");
            w.WriteLine($"ref float target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(padded), {Arithmetic.Sum(Arithmetic.Times(Arithmetic.Plus("iy", l.PadTop), Width), I(l.PadLeft))});");
            using (w.WriteBlock($"for (int ix = 0; ix < {I(columns)}; ix++)"))
            {
                if (c <= 8)
                {
                    for (int ci = 0; ci < c; ci++)
                    {
                        w.WriteLine($"Unsafe.Add(ref target, {Arithmetic.Plus("ix", ci * plane)}) = Unsafe.Add(ref source, {Arithmetic.Plus(Arithmetic.Times("ix", c), ci)});");
                    }
                }
                else
                {
                    using (w.WriteBlock($"for (int ci = 0; ci < {I(c)}; ci++)"))
                    {
                        w.WriteLine($"Unsafe.Add(ref target, {Arithmetic.Sum(Arithmetic.Times("ci", plane), "ix")}) = Unsafe.Add(ref source, {Arithmetic.Sum(Arithmetic.Times("ix", c), "ci")});");
                    }
                }
            }
        }
        w.WriteLine("ref float x = ref MemoryMarshal.GetArrayDataReference(padded);");
    }
}
