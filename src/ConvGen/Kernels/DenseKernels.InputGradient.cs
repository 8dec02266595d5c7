using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// The input gradient <c>dX = dY W^T</c> as dot products over the units: weight rows in sixes, and
/// for each six every sample of the batch in fours (in twos with 16 registers:
/// DenseKernels.InputGradientNarrowTiles.cs) while those rows (24 KB for 1024 units) stay in
/// the L1 cache, the output gradient streaming from L2. Every element is the lane-wise sum over the
/// whole vectors of units, reduced in one fixed tree (<see cref="LaneSum{TV}"/>), plus the scalar
/// tail, whichever tile makes it.
/// </summary>
public static partial class DenseKernels
{
    private static void InputGradientRows<TV, TO, TS>(ref Gemm m) where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
    {
        // A wide layer's output gradient in groups of four samples (two with 16 registers), their
        // vectors interleaved: the rows are a page apart in place, so a tile's loads would share a
        // few L1 sets with the six weight rows (also a page apart) and come from L2 again and again;
        // packed, a group is one sequential run. Packed once per call, read once per six weight rows.
        int l = TO.Lanes, size = SampleGroup<TV, TO>();
        nint whole = m.Units / l * l;
        int groups = m.Batch / size;
        nint packedFloats = groups * size * whole;
        bool pack = typeof(TV) != typeof(float) && m.Units >= PackFromUnits && m.Inputs >= PackGradientFromRows && groups > 0 && packedFloats <= MaxPackedGradient;
        ref float packed = ref pack ? ref GradientPanel((int)packedFloats) : ref Unsafe.NullRef<float>();
        if (pack)
        {
            for (int q = 0; q < groups; q++)
            {
                InterleaveGroup<TV, TO>(ref Unsafe.Add(ref m.Y, q * size * m.Units), m.Units, whole, ref Unsafe.Add(ref packed, q * size * whole));
            }
        }
        int i = 0;
        for (; i + 6 <= m.Inputs; i += 6)
        {
            int n = 0;
            for (; n + size <= m.Batch; n += size)
            {
                // Sample j's vector k: packed at (size x k + j) vectors of its group, in place a row apart.
                ref float g = ref pack ? ref Unsafe.Add(ref packed, n * whole) : ref Unsafe.Add(ref m.Y, n * m.Units);
                nint sampleStep = pack ? l : m.Units, vectorStep = pack ? size * l : l;
                if (size == 4)
                {
                    InputGradientTile6x4<TV, TO, TS>(ref m, n, i, ref g, sampleStep, vectorStep);
                }
                else
                {
                    InputGradientTile6x2<TV, TO, TS>(ref m, n, i, ref g, sampleStep, vectorStep);
                }
            }
            for (; n < m.Batch; n++)
            {
                InputGradientTile6x1<TV, TO, TS>(ref m, n, i);
            }
        }
        for (; i + 4 <= m.Inputs; i += 4)
        {
            int n = 0;
            for (; n + size <= m.Batch; n += size)
            {
                if (size == 4) InputGradientTile4x4<TV, TO, TS>(ref m, n, i);
                else InputGradientTile4x2<TV, TO, TS>(ref m, n, i);
            }
            for (; n < m.Batch; n++)
            {
                for (int r = 0; r < 4; r++)
                {
                    InputGradientTile1x1<TV, TO, TS>(ref m, n, i + r);
                }
            }
        }
        for (; i < m.Inputs; i++)
        {
            for (int n = 0; n < m.Batch; n++)
            {
                InputGradientTile1x1<TV, TO, TS>(ref m, n, i);
            }
        }
    }

    /// <summary>
    /// A group of samples' output gradient rows (<see cref="SampleGroup{TV, TO}"/> of them) <paramref name="stride"/> apart, their
    /// first <paramref name="whole"/> floats (whole vectors) interleaved: vector k of sample j at (size x k + j) vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InterleaveGroup<TV, TO>(ref float g, nint stride, nint whole, ref float packed) where TV : struct where TO : struct, IVectorOps<TV>
    {
        nint l = TO.Lanes;
        ref float g1 = ref Unsafe.Add(ref g, stride);
        if (SampleGroup<TV, TO>() == 2)
        {
            for (nint u = 0; u < whole; u += l, packed = ref Unsafe.Add(ref packed, 2 * l))
            {
                TO.Store(TO.Load(ref g, u), ref packed, 0);
                TO.Store(TO.Load(ref g1, u), ref packed, l);
            }
            return;
        }
        ref float g2 = ref Unsafe.Add(ref g1, stride);
        ref float g3 = ref Unsafe.Add(ref g2, stride);
        for (nint u = 0; u < whole; u += l, packed = ref Unsafe.Add(ref packed, 4 * l))
        {
            TO.Store(TO.Load(ref g, u), ref packed, 0);
            TO.Store(TO.Load(ref g1, u), ref packed, l);
            TO.Store(TO.Load(ref g2, u), ref packed, 2 * l);
            TO.Store(TO.Load(ref g3, u), ref packed, 3 * l);
        }
    }

    /// <summary>
    /// Weight rows i..i+5 dotted with the output gradients of samples n..n+3: 24 dot products sharing
    /// their loads. Sample j's vector at column u is at <paramref name="g"/> + j x <paramref name="sampleStep"/>
    /// + u / lanes x <paramref name="vectorStep"/> (the rows in place, or a packed group); the scalar tails read the rows in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile6x4<TV, TO, TS>(ref Gemm m, int n, int i, ref float g, nint sampleStep, nint vectorStep)
        where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w0 = ref Unsafe.Add(ref m.W, i * units);
        ref float w1 = ref Unsafe.Add(ref w0, units);
        ref float w2 = ref Unsafe.Add(ref w1, units);
        ref float w3 = ref Unsafe.Add(ref w2, units);
        ref float w4 = ref Unsafe.Add(ref w3, units);
        ref float w5 = ref Unsafe.Add(ref w4, units);
        TV a00 = TO.Zero, a01 = TO.Zero, a02 = TO.Zero, a03 = TO.Zero;
        TV a10 = TO.Zero, a11 = TO.Zero, a12 = TO.Zero, a13 = TO.Zero;
        TV a20 = TO.Zero, a21 = TO.Zero, a22 = TO.Zero, a23 = TO.Zero;
        TV a30 = TO.Zero, a31 = TO.Zero, a32 = TO.Zero, a33 = TO.Zero;
        TV a40 = TO.Zero, a41 = TO.Zero, a42 = TO.Zero, a43 = TO.Zero;
        TV a50 = TO.Zero, a51 = TO.Zero, a52 = TO.Zero, a53 = TO.Zero;
        nint u = 0;
        ref float p = ref g;
        for (; u + l <= units; u += l, p = ref Unsafe.Add(ref p, vectorStep))
        {
            TV r0 = TO.Load(ref w0, u), r1 = TO.Load(ref w1, u), r2 = TO.Load(ref w2, u), r3 = TO.Load(ref w3, u), r4 = TO.Load(ref w4, u), r5 = TO.Load(ref w5, u);
            TV s = TO.Load(ref p, 0);
            a00 = TO.MultiplyAdd(r0, s, a00); a10 = TO.MultiplyAdd(r1, s, a10); a20 = TO.MultiplyAdd(r2, s, a20); a30 = TO.MultiplyAdd(r3, s, a30); a40 = TO.MultiplyAdd(r4, s, a40); a50 = TO.MultiplyAdd(r5, s, a50);
            s = TO.Load(ref p, sampleStep);
            a01 = TO.MultiplyAdd(r0, s, a01); a11 = TO.MultiplyAdd(r1, s, a11); a21 = TO.MultiplyAdd(r2, s, a21); a31 = TO.MultiplyAdd(r3, s, a31); a41 = TO.MultiplyAdd(r4, s, a41); a51 = TO.MultiplyAdd(r5, s, a51);
            s = TO.Load(ref p, 2 * sampleStep);
            a02 = TO.MultiplyAdd(r0, s, a02); a12 = TO.MultiplyAdd(r1, s, a12); a22 = TO.MultiplyAdd(r2, s, a22); a32 = TO.MultiplyAdd(r3, s, a32); a42 = TO.MultiplyAdd(r4, s, a42); a52 = TO.MultiplyAdd(r5, s, a52);
            s = TO.Load(ref p, 3 * sampleStep);
            a03 = TO.MultiplyAdd(r0, s, a03); a13 = TO.MultiplyAdd(r1, s, a13); a23 = TO.MultiplyAdd(r2, s, a23); a33 = TO.MultiplyAdd(r3, s, a33); a43 = TO.MultiplyAdd(r4, s, a43); a53 = TO.MultiplyAdd(r5, s, a53);
        }
        nint k = m.Inputs;
        nint at = n * k + i;
        ref float g0 = ref Unsafe.Add(ref m.Y, n * units);
        ref float g1 = ref Unsafe.Add(ref g0, units);
        ref float g2 = ref Unsafe.Add(ref g1, units);
        ref float g3 = ref Unsafe.Add(ref g2, units);
        // Row r of the tile is weight row i + r, column s is sample n + s.
        StoreDots<TS>(ref m, at, k, LaneSums(a00, a01, a02, a03), ref w0, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 1, k, LaneSums(a10, a11, a12, a13), ref w1, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 2, k, LaneSums(a20, a21, a22, a23), ref w2, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 3, k, LaneSums(a30, a31, a32, a33), ref w3, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 4, k, LaneSums(a40, a41, a42, a43), ref w4, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 5, k, LaneSums(a50, a51, a52, a53), ref w5, ref g0, ref g1, ref g2, ref g3, u, units);
    }

    /// <summary>Weight rows i..i+5 dotted with one sample's output gradient: the samples after the four- or two-sample tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile6x1<TV, TO, TS>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
    {
        nint l = TO.Lanes, units = m.Units;
        ref float w0 = ref Unsafe.Add(ref m.W, i * units);
        ref float w1 = ref Unsafe.Add(ref w0, units);
        ref float w2 = ref Unsafe.Add(ref w1, units);
        ref float w3 = ref Unsafe.Add(ref w2, units);
        ref float w4 = ref Unsafe.Add(ref w3, units);
        ref float w5 = ref Unsafe.Add(ref w4, units);
        ref float g = ref Unsafe.Add(ref m.Y, n * units);
        TV a0 = TO.Zero, a1 = TO.Zero, a2 = TO.Zero, a3 = TO.Zero, a4 = TO.Zero, a5 = TO.Zero;
        nint u = 0;
        for (; u + l <= units; u += l)
        {
            TV s = TO.Load(ref g, u);
            a0 = TO.MultiplyAdd(TO.Load(ref w0, u), s, a0); a1 = TO.MultiplyAdd(TO.Load(ref w1, u), s, a1); a2 = TO.MultiplyAdd(TO.Load(ref w2, u), s, a2);
            a3 = TO.MultiplyAdd(TO.Load(ref w3, u), s, a3); a4 = TO.MultiplyAdd(TO.Load(ref w4, u), s, a4); a5 = TO.MultiplyAdd(TO.Load(ref w5, u), s, a5);
        }
        nint at = n * m.Inputs + i;
        var first = LaneSums(a0, a1, a2, a3);
        var last = LaneSums(a4, a5, a4, a5);
        TS.Store(ref m, at, first.ToScalar() + Tail(ref w0, ref g, u, units));
        TS.Store(ref m, at + 1, first.GetElement(1) + Tail(ref w1, ref g, u, units));
        TS.Store(ref m, at + 2, first.GetElement(2) + Tail(ref w2, ref g, u, units));
        TS.Store(ref m, at + 3, first.GetElement(3) + Tail(ref w3, ref g, u, units));
        TS.Store(ref m, at + 4, last.ToScalar() + Tail(ref w4, ref g, u, units));
        TS.Store(ref m, at + 5, last.GetElement(1) + Tail(ref w5, ref g, u, units));
    }

    /// <summary>Weight rows i..i+3 dotted with the output gradients of samples n..n+3: 16 dot products sharing their loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile4x4<TV, TO, TS>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
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
        nint at = n * k + i;
        // Row r of the tile is weight row i + r, column s is sample n + s.
        StoreDots<TS>(ref m, at, k, LaneSums(a00, a01, a02, a03), ref w0, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 1, k, LaneSums(a10, a11, a12, a13), ref w1, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 2, k, LaneSums(a20, a21, a22, a23), ref w2, ref g0, ref g1, ref g2, ref g3, u, units);
        StoreDots<TS>(ref m, at + 3, k, LaneSums(a30, a31, a32, a33), ref w3, ref g0, ref g1, ref g2, ref g3, u, units);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientTile1x1<TV, TO, TS>(ref Gemm m, int n, int i) where TV : struct where TO : struct, IVectorOps<TV> where TS : struct, IGradientStore
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
        TS.Store(ref m, n * m.Inputs + i, LaneSum(a) + Tail(ref w, ref g, u, units));
    }

    /// <summary>One weight row's dot products with four samples: the lane sums plus each scalar tail, into the samples' rows <paramref name="k"/> floats apart from element <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDots<TS>(ref Gemm m, nint at, nint k, Vector128<float> sums, ref float w, ref float g0, ref float g1, ref float g2, ref float g3, nint from, nint to)
        where TS : struct, IGradientStore
    {
        TS.Store(ref m, at, sums.ToScalar() + Tail(ref w, ref g0, from, to));
        TS.Store(ref m, at + k, sums.GetElement(1) + Tail(ref w, ref g1, from, to));
        TS.Store(ref m, at + 2 * k, sums.GetElement(2) + Tail(ref w, ref g2, from, to));
        TS.Store(ref m, at + 3 * k, sums.GetElement(3) + Tail(ref w, ref g3, from, to));
    }

    /// <summary>How an input-gradient tile stores a finished element of dX (element <c>at</c> of <c>Gemm.X</c>).</summary>
    private interface IGradientStore
    {
        static abstract void Store(ref Gemm m, nint at, float value);
    }

    /// <summary>dX as it is.</summary>
    private struct PlainStore : IGradientStore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref Gemm m, nint at, float value) => Unsafe.Add(ref m.X, at) = value;
    }

    /// <summary>
    /// dX through the layers between the Dense and the one whose gradient it is: times a dropout
    /// mask, then zero where a ReLU's output is not above 0 (the order, and so the bits, of
    /// TrainingKernels.DropoutBackward followed by TrainingKernels.ActivationBackward).
    /// </summary>
    private struct GatedStore : IGradientStore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref Gemm m, nint at, float value)
        {
            if (!Unsafe.IsNullRef(ref m.Mask)) value *= Unsafe.Add(ref m.Mask, at);
            if (!Unsafe.IsNullRef(ref m.Gate) && !(Unsafe.Add(ref m.Gate, at) > 0f)) value = 0f;
            Unsafe.Add(ref m.X, at) = value;
        }
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
