using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// Fully connected layers as register-tiled GEMMs over the batch (row-major, weights IO
/// <c>[inputs, units]</c>). A micro-tile holds 4 samples x 4 vectors of units (or 4 weight rows
/// x 4 vectors for the weight gradient) in 16 accumulators, so each weight vector loaded is used
/// by four samples instead of one: a per-sample loop streams the whole weight matrix once per
/// sample, which for a 3136 x 1024 layer is memory-bound at a few GFLOP/s.
/// Units that do not fill a 512-bit vector fall to 256-bit vectors, then to scalars. The tiles
/// are compiled fully optimised at once: a tile runs a few times per call, too few for tiered
/// compilation to promote it early in a short run.
/// </summary>
public static class DenseKernels
{
    /// <summary>
    /// <c>output[n, u] = fused(bias[u] + sum_i input[n, i] * weights[i, u])</c>. <paramref name="bias"/> may be
    /// empty; <paramref name="fused"/> must be Linear, Relu, LeakyRelu, Relu6, HardSigmoid or HardSwish (others are applied by the caller).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output,
        int batch, int inputs, int units, Activation fused, float alpha) =>
        Forward(KernelPaths.Preferred, input, weights, bias, output, batch, inputs, units, fused, alpha);

    /// <summary><c>weightGradient[i, u] += sum_n input[n, i] * outputGradient[n, u]</c>; <c>biasGradient[u] += sum_n outputGradient[n, u]</c> unless empty.</summary>
    public static void WeightGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int inputs, int units) =>
        WeightGradient(KernelPaths.Preferred, input, outputGradient, weightGradient, biasGradient, batch, inputs, units);

    /// <summary>
    /// Rows <paramref name="firstInput"/>..+<paramref name="count"/> of the weight gradient alone:
    /// <c>weightGradientRows[i - firstInput, u] += sum_n input[n, i] * outputGradient[n, u]</c>, the
    /// input rows <paramref name="inputs"/> floats long. Each element is the same sum, in the same
    /// order, as <see cref="WeightGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int)"/>
    /// makes it when <paramref name="firstInput"/> is a multiple of 4 (rows are tiled in fours from
    /// the first): a large layer's gradient can be made a cache-sized block of rows at a time.
    /// </summary>
    public static void WeightGradientRows(
        ReadOnlySpan<float> input, int inputs, int firstInput, int count, ReadOnlySpan<float> outputGradient, Span<float> weightGradientRows,
        int batch, int units)
    {
        CheckLength(nameof(input), input.Length, batch * inputs);
        CheckLength(nameof(outputGradient), outputGradient.Length, batch * units);
        CheckLength(nameof(weightGradientRows), weightGradientRows.Length, count * units);
        if (firstInput < 0 || count < 0 || firstInput + count > inputs)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"DenseKernels: rows {firstInput}..{firstInput + count} are outside the layer's {inputs} inputs.");
        }
        if (count == 0 || batch == 0)
        {
            return;
        }
        var m = new Gemm(
            ref Unsafe.Add(ref MemoryMarshal.GetReference(input), firstInput), ref MemoryMarshal.GetReference(weightGradientRows), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(outputGradient), batch, count, units, false, Activation.Linear, 0f, inputStride: inputs);
        var path = KernelPaths.Preferred;
        int u = 0;
        if (path == KernelPath.Vector512) u = WeightGradientColumns<Vector512<float>, Vector512Ops>(ref m, u);
        if (path >= KernelPath.Vector256) u = WeightGradientColumns<Vector256<float>, Vector256Ops>(ref m, u);
        WeightGradientColumns<float, ScalarOps>(ref m, u);
    }

    /// <summary><c>inputGradient[n, i] = sum_u weights[i, u] * outputGradient[n, u]</c> (overwrites).</summary>
    public static void InputGradient(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> outputGradient, Span<float> inputGradient,
        int batch, int inputs, int units) =>
        InputGradient(KernelPaths.Preferred, weights, outputGradient, inputGradient, batch, inputs, units);

    internal static void Forward(
        KernelPath path, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output,
        int batch, int inputs, int units, Activation fused, float alpha)
    {
        CheckLength(nameof(input), input.Length, batch * inputs);
        CheckLength(nameof(weights), weights.Length, inputs * units);
        CheckLength(nameof(output), output.Length, batch * units);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, units);
        if (fused is not (Activation.Linear or Activation.Relu or Activation.LeakyRelu or Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish))
        {
            throw new ArgumentException($"DenseKernels.Forward fuses only Linear, Relu, LeakyRelu, Relu6, HardSigmoid and HardSwish, not {fused}: apply it afterwards.", nameof(fused));
        }
        var m = new Gemm(
            ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(bias),
            ref MemoryMarshal.GetReference(output), batch, inputs, units, !bias.IsEmpty, fused, alpha);
        int u = 0;
        if (path == KernelPath.Vector512) u = ForwardColumns<Vector512<float>, Vector512Ops>(ref m, u);
        if (path >= KernelPath.Vector256) u = ForwardColumns<Vector256<float>, Vector256Ops>(ref m, u);
        ForwardColumns<float, ScalarOps>(ref m, u);
    }

    internal static void WeightGradient(
        KernelPath path, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int inputs, int units)
    {
        CheckLength(nameof(input), input.Length, batch * inputs);
        CheckLength(nameof(outputGradient), outputGradient.Length, batch * units);
        CheckLength(nameof(weightGradient), weightGradient.Length, inputs * units);
        if (!biasGradient.IsEmpty)
        {
            CheckLength(nameof(biasGradient), biasGradient.Length, units);
            for (int n = 0; n < batch; n++)
            {
                VectorMath.AddInPlace(biasGradient, outputGradient.Slice(n * units, units));
            }
        }
        var m = new Gemm(
            ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(weightGradient), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(outputGradient), batch, inputs, units, false, Activation.Linear, 0f);
        int u = 0;
        if (path == KernelPath.Vector512) u = WeightGradientColumns<Vector512<float>, Vector512Ops>(ref m, u);
        if (path >= KernelPath.Vector256) u = WeightGradientColumns<Vector256<float>, Vector256Ops>(ref m, u);
        WeightGradientColumns<float, ScalarOps>(ref m, u);
    }

    internal static void InputGradient(
        KernelPath path, ReadOnlySpan<float> weights, ReadOnlySpan<float> outputGradient, Span<float> inputGradient,
        int batch, int inputs, int units)
    {
        CheckLength(nameof(weights), weights.Length, inputs * units);
        CheckLength(nameof(outputGradient), outputGradient.Length, batch * units);
        CheckLength(nameof(inputGradient), inputGradient.Length, batch * inputs);
        var m = new Gemm(
            ref MemoryMarshal.GetReference(inputGradient), ref MemoryMarshal.GetReference(weights), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(outputGradient), batch, inputs, units, false, Activation.Linear, 0f);
        // A dot product over units: a vector wider than the row would only run its scalar tail.
        if (path == KernelPath.Vector512 && units >= 4 * Vector512<float>.Count)
        {
            InputGradientRows<Vector512<float>, Vector512Ops>(ref m);
        }
        else if (path >= KernelPath.Vector256)
        {
            InputGradientRows<Vector256<float>, Vector256Ops>(ref m);
        }
        else
        {
            InputGradientRows<float, ScalarOps>(ref m);
        }
    }

    private static void CheckLength(string name, int actual, long expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"DenseKernels: {name} holds {actual} floats, expected {expected}.", name);
        }
    }

    /// <summary>
    /// The operands of one call. <c>X</c> is [batch, inputs] (the input, or the input gradient
    /// being written); <c>W</c> is [inputs, units] (weights or their gradient); <c>Y</c> is
    /// [batch, units] (output or output gradient).
    /// </summary>
    private ref struct Gemm
    {
        public ref float X;
        public ref float W;
        public ref float Bias;
        public ref float Y;
        public readonly int Batch;
        public readonly nint Inputs;
        /// <summary>Floats from one sample's input row to the next: <see cref="Inputs"/>, or the full row when a weight gradient runs over a block of inputs.</summary>
        public readonly nint InputStride;
        public readonly nint Units;
        public readonly bool HasBias;
        public readonly Activation Fused;
        public readonly float Alpha;

        public Gemm(ref float x, ref float w, ref float bias, ref float y, int batch, int inputs, int units, bool hasBias, Activation fused, float alpha, int inputStride = 0)
        {
            X = ref x;
            W = ref w;
            Bias = ref bias;
            Y = ref y;
            Batch = batch;
            Inputs = inputs;
            InputStride = inputStride > 0 ? inputStride : inputs;
            Units = units;
            HasBias = hasBias;
            Fused = fused;
            Alpha = alpha;
        }
    }

    // ---------------------------------------------------------------- forward

    /// <summary>Columns from <paramref name="u"/> on, as far as whole vectors go; returns the first column left.</summary>
    private static int ForwardColumns<TV, TO>(ref Gemm m, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int lanes = TO.Lanes;
        for (; u + 4 * lanes <= m.Units; u += 4 * lanes)
        {
            // The strip's weights a block of input rows at a time, for every four samples while the
            // block is in the cache: the rows are Units floats apart (4 KB for 1024 units), a stride
            // at which a whole strip of a large layer aliases out of L2 and would be re-read from
            // memory by every four samples. Partial sums go through the output; a float stored and
            // loaded back is exact, so the sums are those of one pass over all rows.
            for (nint k0 = 0; k0 < m.Inputs; k0 += ForwardRowBlock)
            {
                nint k1 = Math.Min(k0 + ForwardRowBlock, m.Inputs);
                for (int n = 0; n + 4 <= m.Batch; n += 4)
                {
                    ForwardTile4x4<TV, TO>(ref m, n, u, k0, k1);
                }
            }
            for (int n = m.Batch / 4 * 4; n < m.Batch; n++)
            {
                for (int v = 0; v < 4; v++)
                {
                    ForwardTile1x1<TV, TO>(ref m, n, u + v * lanes);
                }
            }
        }
        for (; u + lanes <= m.Units; u += lanes)
        {
            for (int n = 0; n < m.Batch; n++)
            {
                ForwardTile1x1<TV, TO>(ref m, n, u);
            }
        }
        return u;
    }

    /// <summary>
    /// Input rows per block of <see cref="ForwardTile4x4{TV, TO}"/>: a Vector512 strip's 128 rows
    /// are 32 KB, half of what the 4 KB row stride leaves usable of a 1 MB L2.
    /// </summary>
    private const int ForwardRowBlock = 128;

    /// <summary>
    /// Samples n..n+3 x units u..u+4L over input rows k0..k1: each weight row piece is loaded once
    /// for four samples. The first block starts from the bias, later ones from the partial sums in
    /// the output; the last applies the activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile4x4<TV, TO>(ref Gemm m, int n, int u, nint k0, nint k1) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.Inputs, units = m.Units;
        ref float y = ref Unsafe.Add(ref m.Y, n * units + u);
        TV a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (k0 > 0)
        {
            ref float y1 = ref Unsafe.Add(ref y, units);
            ref float y2 = ref Unsafe.Add(ref y, 2 * units);
            ref float y3 = ref Unsafe.Add(ref y, 3 * units);
            a00 = TO.Load(ref y, 0); a01 = TO.Load(ref y, l); a02 = TO.Load(ref y, 2 * l); a03 = TO.Load(ref y, 3 * l);
            a10 = TO.Load(ref y1, 0); a11 = TO.Load(ref y1, l); a12 = TO.Load(ref y1, 2 * l); a13 = TO.Load(ref y1, 3 * l);
            a20 = TO.Load(ref y2, 0); a21 = TO.Load(ref y2, l); a22 = TO.Load(ref y2, 2 * l); a23 = TO.Load(ref y2, 3 * l);
            a30 = TO.Load(ref y3, 0); a31 = TO.Load(ref y3, l); a32 = TO.Load(ref y3, 2 * l); a33 = TO.Load(ref y3, 3 * l);
        }
        else
        {
            TV b0 = TO.Zero, b1 = TO.Zero, b2 = TO.Zero, b3 = TO.Zero;
            if (m.HasBias)
            {
                ref float b = ref Unsafe.Add(ref m.Bias, u);
                b0 = TO.Load(ref b, 0); b1 = TO.Load(ref b, l); b2 = TO.Load(ref b, 2 * l); b3 = TO.Load(ref b, 3 * l);
            }
            a00 = b0; a01 = b1; a02 = b2; a03 = b3;
            a10 = b0; a11 = b1; a12 = b2; a13 = b3;
            a20 = b0; a21 = b1; a22 = b2; a23 = b3;
            a30 = b0; a31 = b1; a32 = b2; a33 = b3;
        }
        ref float x0 = ref Unsafe.Add(ref m.X, n * k);
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float wr = ref Unsafe.Add(ref m.W, k0 * units + u);
        for (nint i = k0; i < k1; i++, wr = ref Unsafe.Add(ref wr, units))
        {
            TV w0 = TO.Load(ref wr, 0), w1 = TO.Load(ref wr, l), w2 = TO.Load(ref wr, 2 * l), w3 = TO.Load(ref wr, 3 * l);
            TV s = TO.Broadcast(Unsafe.Add(ref x0, i));
            a00 = TO.MultiplyAdd(s, w0, a00); a01 = TO.MultiplyAdd(s, w1, a01); a02 = TO.MultiplyAdd(s, w2, a02); a03 = TO.MultiplyAdd(s, w3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x1, i));
            a10 = TO.MultiplyAdd(s, w0, a10); a11 = TO.MultiplyAdd(s, w1, a11); a12 = TO.MultiplyAdd(s, w2, a12); a13 = TO.MultiplyAdd(s, w3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x2, i));
            a20 = TO.MultiplyAdd(s, w0, a20); a21 = TO.MultiplyAdd(s, w1, a21); a22 = TO.MultiplyAdd(s, w2, a22); a23 = TO.MultiplyAdd(s, w3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x3, i));
            a30 = TO.MultiplyAdd(s, w0, a30); a31 = TO.MultiplyAdd(s, w1, a31); a32 = TO.MultiplyAdd(s, w2, a32); a33 = TO.MultiplyAdd(s, w3, a33);
        }
        if (k1 < k)
        {
            StorePartialRow<TV, TO>(ref y, a00, a01, a02, a03);
            StorePartialRow<TV, TO>(ref Unsafe.Add(ref y, units), a10, a11, a12, a13);
            StorePartialRow<TV, TO>(ref Unsafe.Add(ref y, 2 * units), a20, a21, a22, a23);
            StorePartialRow<TV, TO>(ref Unsafe.Add(ref y, 3 * units), a30, a31, a32, a33);
            return;
        }
        StoreRow<TV, TO>(ref m, ref y, a00, a01, a02, a03);
        StoreRow<TV, TO>(ref m, ref Unsafe.Add(ref y, units), a10, a11, a12, a13);
        StoreRow<TV, TO>(ref m, ref Unsafe.Add(ref y, 2 * units), a20, a21, a22, a23);
        StoreRow<TV, TO>(ref m, ref Unsafe.Add(ref y, 3 * units), a30, a31, a32, a33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartialRow<TV, TO>(ref float y, TV v0, TV v1, TV v2, TV v3) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TO.Store(v0, ref y, 0);
        TO.Store(v1, ref y, l);
        TO.Store(v2, ref y, 2 * l);
        TO.Store(v3, ref y, 3 * l);
    }

    /// <summary>One sample x one vector of units: the edges of the tiling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile1x1<TV, TO>(ref Gemm m, int n, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint k = m.Inputs, units = m.Units;
        TV a0 = m.HasBias ? TO.Load(ref m.Bias, u) : TO.Zero;
        TV a1 = TO.Zero;
        ref float x = ref Unsafe.Add(ref m.X, n * k);
        ref float wr = ref Unsafe.Add(ref m.W, u);
        nint i = 0;
        // Two chains so the loop is not bound by the FMA latency.
        for (; i + 2 <= k; i += 2, wr = ref Unsafe.Add(ref wr, 2 * units))
        {
            a0 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x, i)), TO.Load(ref wr, 0), a0);
            a1 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x, i + 1)), TO.Load(ref wr, units), a1);
        }
        if (i < k)
        {
            a0 = TO.MultiplyAdd(TO.Broadcast(Unsafe.Add(ref x, i)), TO.Load(ref wr, 0), a0);
        }
        TO.Store(Activate<TV, TO>(ref m, TO.Add(a0, a1)), ref Unsafe.Add(ref m.Y, n * units + u), 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TV, TO>(ref Gemm m, ref float y, TV v0, TV v1, TV v2, TV v3) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        TO.Store(Activate<TV, TO>(ref m, v0), ref y, 0);
        TO.Store(Activate<TV, TO>(ref m, v1), ref y, l);
        TO.Store(Activate<TV, TO>(ref m, v2), ref y, 2 * l);
        TO.Store(Activate<TV, TO>(ref m, v3), ref y, 3 * l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Activate<TV, TO>(ref Gemm m, TV value) where TV : struct where TO : struct, IVectorOps<TV> => m.Fused switch
    {
        Activation.Relu => TO.Relu(value),
        Activation.LeakyRelu => TO.LeakyRelu(value, m.Alpha),
        Activation.Relu6 => TO.Clamp(value, 0f, 6f),
        Activation.HardSigmoid => HardSigmoid<TV, TO>(value),
        Activation.HardSwish => TO.Multiply(value, HardSigmoid<TV, TO>(value)),
        _ => value,
    };

    /// <summary><c>relu6(x + 3) / 6</c>, the same operations in the same order as the generated convolution epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV HardSigmoid<TV, TO>(TV value) where TV : struct where TO : struct, IVectorOps<TV> =>
        TO.Multiply(TO.Clamp(TO.Add(value, TO.Broadcast(3f)), 0f, 6f), TO.Broadcast(1f / 6f));

    // ---------------------------------------------------------------- weight gradient

    /// <summary>Columns from <paramref name="u"/> on, as far as whole vectors go; returns the first column left.</summary>
    private static int WeightGradientColumns<TV, TO>(ref Gemm m, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int lanes = TO.Lanes;
        for (; u + 4 * lanes <= m.Units; u += 4 * lanes)
        {
            int i = 0;
            for (; i + 4 <= m.Inputs; i += 4)
            {
                WeightGradientTile4x4<TV, TO>(ref m, i, u);
            }
            for (; i < m.Inputs; i++)
            {
                for (int v = 0; v < 4; v++)
                {
                    WeightGradientTile1x1<TV, TO>(ref m, i, u + v * lanes);
                }
            }
        }
        for (; u + lanes <= m.Units; u += lanes)
        {
            for (int i = 0; i < m.Inputs; i++)
            {
                WeightGradientTile1x1<TV, TO>(ref m, i, u);
            }
        }
        return u;
    }

    /// <summary>Weight rows i..i+3 x units u..u+4L, summed over the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile4x4<TV, TO>(ref Gemm m, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, k = m.InputStride, units = m.Units;
        ref float d0 = ref Unsafe.Add(ref m.W, i * units + u);
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        TV a00 = TO.Load(ref d0, 0), a01 = TO.Load(ref d0, l), a02 = TO.Load(ref d0, 2 * l), a03 = TO.Load(ref d0, 3 * l);
        TV a10 = TO.Load(ref d1, 0), a11 = TO.Load(ref d1, l), a12 = TO.Load(ref d1, 2 * l), a13 = TO.Load(ref d1, 3 * l);
        TV a20 = TO.Load(ref d2, 0), a21 = TO.Load(ref d2, l), a22 = TO.Load(ref d2, 2 * l), a23 = TO.Load(ref d2, 3 * l);
        TV a30 = TO.Load(ref d3, 0), a31 = TO.Load(ref d3, l), a32 = TO.Load(ref d3, 2 * l), a33 = TO.Load(ref d3, 3 * l);
        ref float x = ref Unsafe.Add(ref m.X, i);
        ref float g = ref Unsafe.Add(ref m.Y, u);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, units))
        {
            TV g0 = TO.Load(ref g, 0), g1 = TO.Load(ref g, l), g2 = TO.Load(ref g, 2 * l), g3 = TO.Load(ref g, 3 * l);
            TV s = TO.Broadcast(x);
            a00 = TO.MultiplyAdd(s, g0, a00); a01 = TO.MultiplyAdd(s, g1, a01); a02 = TO.MultiplyAdd(s, g2, a02); a03 = TO.MultiplyAdd(s, g3, a03);
            s = TO.Broadcast(Unsafe.Add(ref x, 1));
            a10 = TO.MultiplyAdd(s, g0, a10); a11 = TO.MultiplyAdd(s, g1, a11); a12 = TO.MultiplyAdd(s, g2, a12); a13 = TO.MultiplyAdd(s, g3, a13);
            s = TO.Broadcast(Unsafe.Add(ref x, 2));
            a20 = TO.MultiplyAdd(s, g0, a20); a21 = TO.MultiplyAdd(s, g1, a21); a22 = TO.MultiplyAdd(s, g2, a22); a23 = TO.MultiplyAdd(s, g3, a23);
            s = TO.Broadcast(Unsafe.Add(ref x, 3));
            a30 = TO.MultiplyAdd(s, g0, a30); a31 = TO.MultiplyAdd(s, g1, a31); a32 = TO.MultiplyAdd(s, g2, a32); a33 = TO.MultiplyAdd(s, g3, a33);
        }
        TO.Store(a00, ref d0, 0); TO.Store(a01, ref d0, l); TO.Store(a02, ref d0, 2 * l); TO.Store(a03, ref d0, 3 * l);
        TO.Store(a10, ref d1, 0); TO.Store(a11, ref d1, l); TO.Store(a12, ref d1, 2 * l); TO.Store(a13, ref d1, 3 * l);
        TO.Store(a20, ref d2, 0); TO.Store(a21, ref d2, l); TO.Store(a22, ref d2, 2 * l); TO.Store(a23, ref d2, 3 * l);
        TO.Store(a30, ref d3, 0); TO.Store(a31, ref d3, l); TO.Store(a32, ref d3, 2 * l); TO.Store(a33, ref d3, 3 * l);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientTile1x1<TV, TO>(ref Gemm m, int i, int u) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint k = m.InputStride, units = m.Units;
        ref float d = ref Unsafe.Add(ref m.W, i * units + u);
        TV a = TO.Load(ref d, 0);
        ref float x = ref Unsafe.Add(ref m.X, i);
        ref float g = ref Unsafe.Add(ref m.Y, u);
        for (int n = 0; n < m.Batch; n++, x = ref Unsafe.Add(ref x, k), g = ref Unsafe.Add(ref g, units))
        {
            a = TO.MultiplyAdd(TO.Broadcast(x), TO.Load(ref g, 0), a);
        }
        TO.Store(a, ref d, 0);
    }

    // ---------------------------------------------------------------- input gradient

    private static void InputGradientRows<TV, TO>(ref Gemm m) where TV : struct where TO : struct, IVectorOps<TV>
    {
        int n = 0;
        for (; n + 4 <= m.Batch; n += 4)
        {
            int i = 0;
            for (; i + 4 <= m.Inputs; i += 4)
            {
                InputGradientTile4x4<TV, TO>(ref m, n, i);
            }
            for (; i < m.Inputs; i++)
            {
                for (int s = 0; s < 4; s++)
                {
                    InputGradientTile1x1<TV, TO>(ref m, n + s, i);
                }
            }
        }
        for (; n < m.Batch; n++)
        {
            for (int i = 0; i < m.Inputs; i++)
            {
                InputGradientTile1x1<TV, TO>(ref m, n, i);
            }
        }
    }

    /// <summary>Weight rows i..i+3 dotted with the output gradients of samples n..n+3: 16 dot products sharing their loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile4x4<TV, TO>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w0 = ref Unsafe.Add(ref m.W, i * units);
        ref float w1 = ref Unsafe.Add(ref w0, units);
        ref float w2 = ref Unsafe.Add(ref w1, units);
        ref float w3 = ref Unsafe.Add(ref w2, units);
        ref float g0 = ref Unsafe.Add(ref m.Y, n * units);
        ref float g1 = ref Unsafe.Add(ref g0, units);
        ref float g2 = ref Unsafe.Add(ref g1, units);
        ref float g3 = ref Unsafe.Add(ref g2, units);
        TV a00 = TO.Zero, a01 = TO.Zero, a02 = TO.Zero, a03 = TO.Zero;
        TV a10 = TO.Zero, a11 = TO.Zero, a12 = TO.Zero, a13 = TO.Zero;
        TV a20 = TO.Zero, a21 = TO.Zero, a22 = TO.Zero, a23 = TO.Zero;
        TV a30 = TO.Zero, a31 = TO.Zero, a32 = TO.Zero, a33 = TO.Zero;
        nint u = 0;
        for (; u + l <= units; u += l)
        {
            TV r0 = TO.Load(ref w0, u), r1 = TO.Load(ref w1, u), r2 = TO.Load(ref w2, u), r3 = TO.Load(ref w3, u);
            TV s = TO.Load(ref g0, u);
            a00 = TO.MultiplyAdd(r0, s, a00); a10 = TO.MultiplyAdd(r1, s, a10); a20 = TO.MultiplyAdd(r2, s, a20); a30 = TO.MultiplyAdd(r3, s, a30);
            s = TO.Load(ref g1, u);
            a01 = TO.MultiplyAdd(r0, s, a01); a11 = TO.MultiplyAdd(r1, s, a11); a21 = TO.MultiplyAdd(r2, s, a21); a31 = TO.MultiplyAdd(r3, s, a31);
            s = TO.Load(ref g2, u);
            a02 = TO.MultiplyAdd(r0, s, a02); a12 = TO.MultiplyAdd(r1, s, a12); a22 = TO.MultiplyAdd(r2, s, a22); a32 = TO.MultiplyAdd(r3, s, a32);
            s = TO.Load(ref g3, u);
            a03 = TO.MultiplyAdd(r0, s, a03); a13 = TO.MultiplyAdd(r1, s, a13); a23 = TO.MultiplyAdd(r2, s, a23); a33 = TO.MultiplyAdd(r3, s, a33);
        }
        nint k = m.Inputs;
        ref float dx = ref Unsafe.Add(ref m.X, n * k + i);
        // Row r of the tile is weight row i + r, column s is sample n + s.
        dx = TO.Sum(a00) + Tail(ref w0, ref g0, u, units);
        Unsafe.Add(ref dx, 1) = TO.Sum(a10) + Tail(ref w1, ref g0, u, units);
        Unsafe.Add(ref dx, 2) = TO.Sum(a20) + Tail(ref w2, ref g0, u, units);
        Unsafe.Add(ref dx, 3) = TO.Sum(a30) + Tail(ref w3, ref g0, u, units);
        dx = ref Unsafe.Add(ref dx, k);
        dx = TO.Sum(a01) + Tail(ref w0, ref g1, u, units);
        Unsafe.Add(ref dx, 1) = TO.Sum(a11) + Tail(ref w1, ref g1, u, units);
        Unsafe.Add(ref dx, 2) = TO.Sum(a21) + Tail(ref w2, ref g1, u, units);
        Unsafe.Add(ref dx, 3) = TO.Sum(a31) + Tail(ref w3, ref g1, u, units);
        dx = ref Unsafe.Add(ref dx, k);
        dx = TO.Sum(a02) + Tail(ref w0, ref g2, u, units);
        Unsafe.Add(ref dx, 1) = TO.Sum(a12) + Tail(ref w1, ref g2, u, units);
        Unsafe.Add(ref dx, 2) = TO.Sum(a22) + Tail(ref w2, ref g2, u, units);
        Unsafe.Add(ref dx, 3) = TO.Sum(a32) + Tail(ref w3, ref g2, u, units);
        dx = ref Unsafe.Add(ref dx, k);
        dx = TO.Sum(a03) + Tail(ref w0, ref g3, u, units);
        Unsafe.Add(ref dx, 1) = TO.Sum(a13) + Tail(ref w1, ref g3, u, units);
        Unsafe.Add(ref dx, 2) = TO.Sum(a23) + Tail(ref w2, ref g3, u, units);
        Unsafe.Add(ref dx, 3) = TO.Sum(a33) + Tail(ref w3, ref g3, u, units);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile1x1<TV, TO>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w = ref Unsafe.Add(ref m.W, i * units);
        ref float g = ref Unsafe.Add(ref m.Y, n * units);
        TV a = TO.Zero;
        nint u = 0;
        for (; u + l <= units; u += l)
        {
            a = TO.MultiplyAdd(TO.Load(ref w, u), TO.Load(ref g, u), a);
        }
        Unsafe.Add(ref m.X, n * m.Inputs + i) = TO.Sum(a) + Tail(ref w, ref g, u, units);
    }

    /// <summary>The scalar end of a dot product, columns <paramref name="from"/> to <paramref name="to"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(ref float w, ref float g, nint from, nint to)
    {
        float sum = 0f;
        for (nint u = from; u < to; u++)
        {
            sum += Unsafe.Add(ref w, u) * Unsafe.Add(ref g, u);
        }
        return sum;
    }
}
