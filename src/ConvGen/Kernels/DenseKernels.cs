using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Simd;

namespace ConvGen.Kernels;

/// <summary>
/// Fully connected layers as register-tiled GEMMs over the batch (row-major, weights IO
/// <c>[inputs, units]</c>). A micro-tile holds 6 samples x 4 vectors of units (or 6 weight rows
/// x 4 vectors, or 6 weight rows x 4 samples) in 24 of the 32 vector registers, so each vector
/// loaded feeds several FMAs (the gradients' tiles for 16 registers, AVX2, are half as wide:
/// 6 x 2 vectors, 6 rows x 2 samples): a per-sample loop streams the whole weight matrix once per sample,
/// which for a 3136 x 1024 layer is memory-bound at a few GFLOP/s. The smaller tiles at the edges
/// add up each element in the same order as the large ones, so a sample's result, or a weight
/// row's gradient, does not depend on the rows around it (nor on how a batch is split over threads).
/// Units that do not fill a 512-bit vector fall to 256-bit vectors, then to scalars. The tiles
/// are compiled fully optimised at once: a tile runs a few times per call, too few for tiered
/// compilation to promote it early in a short run.
/// </summary>
public static partial class DenseKernels
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
    /// <c>weightGradientRows[i - firstInput, u] += sum_n input[n, i] * outputGradient[n, u]</c>
    /// (<c>=</c> with <paramref name="overwrite"/>, bit for bit what adding to zeros gives), the
    /// input rows <paramref name="inputs"/> floats long. Each element is the same sum, in the same
    /// order, as <see cref="WeightGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int)"/>
    /// makes it (every tile adds the samples in order): a large layer's gradient can be made a
    /// cache-sized block of rows at a time.
    /// </summary>
    public static void WeightGradientRows(
        ReadOnlySpan<float> input, int inputs, int firstInput, int count, ReadOnlySpan<float> outputGradient, Span<float> weightGradientRows,
        int batch, int units, bool overwrite = false) =>
        WeightGradientRowsOn(KernelPaths.Preferred, input, inputs, firstInput, count, outputGradient, weightGradientRows, batch, units, overwrite);

    /// <summary>As <see cref="WeightGradientRows"/>, on the given vector path.</summary>
    internal static void WeightGradientRowsOn(
        KernelPath path, ReadOnlySpan<float> input, int inputs, int firstInput, int count, ReadOnlySpan<float> outputGradient, Span<float> weightGradientRows,
        int batch, int units, bool overwrite = false)
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
            if (overwrite) weightGradientRows.Slice(0, count * units).Clear();
            return;
        }
        var m = new Gemm(
            ref Unsafe.Add(ref MemoryMarshal.GetReference(input), firstInput), ref MemoryMarshal.GetReference(weightGradientRows), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(outputGradient), batch, count, units, false, Activation.Linear, 0f, inputStride: inputs, overwrite: overwrite);
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

    /// <summary>
    /// The input gradient carried on through the layers below the Dense as it is stored:
    /// <c>inputGradient[n, i] = sum_u weights[i, u] * outputGradient[n, u]</c>, times
    /// <paramref name="mask"/>[n, i] (a dropout's keep mask; empty: none), then 0 where
    /// <paramref name="reluOutput"/>[n, i] is not above 0 (a ReLU's output; empty: none). The same
    /// bits as the plain input gradient followed by TrainingKernels.DropoutBackward and
    /// TrainingKernels.ActivationBackward, without their two passes over the gradient.
    /// </summary>
    public static void InputGradient(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> outputGradient, Span<float> inputGradient,
        int batch, int inputs, int units, ReadOnlySpan<float> mask, ReadOnlySpan<float> reluOutput) =>
        InputGradient(KernelPaths.Preferred, weights, outputGradient, inputGradient, batch, inputs, units, mask, reluOutput);

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
        int batch, int inputs, int units, ReadOnlySpan<float> mask = default, ReadOnlySpan<float> reluOutput = default)
    {
        CheckLength(nameof(weights), weights.Length, inputs * units);
        CheckLength(nameof(outputGradient), outputGradient.Length, batch * units);
        CheckLength(nameof(inputGradient), inputGradient.Length, batch * inputs);
        var m = new Gemm(
            ref MemoryMarshal.GetReference(inputGradient), ref MemoryMarshal.GetReference(weights), ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(outputGradient), batch, inputs, units, false, Activation.Linear, 0f);
        if (!mask.IsEmpty)
        {
            CheckLength(nameof(mask), mask.Length, batch * inputs);
            m.Mask = ref MemoryMarshal.GetReference(mask);
        }
        if (!reluOutput.IsEmpty)
        {
            CheckLength(nameof(reluOutput), reluOutput.Length, batch * inputs);
            m.Gate = ref MemoryMarshal.GetReference(reluOutput);
        }
        if (mask.IsEmpty && reluOutput.IsEmpty)
        {
            InputGradient<PlainStore>(path, ref m, units);
        }
        else
        {
            InputGradient<GatedStore>(path, ref m, units);
        }
    }

    private static void InputGradient<TS>(KernelPath path, ref Gemm m, int units) where TS : struct, IGradientStore
    {
        // A dot product over units: a vector wider than the row would only run its scalar tail.
        if (path == KernelPath.Vector512 && units >= 4 * Vector512<float>.Count)
        {
            InputGradientRows<Vector512<float>, Vector512Ops, TS>(ref m);
        }
        else if (path >= KernelPath.Vector256)
        {
            InputGradientRows<Vector256<float>, Vector256Ops, TS>(ref m);
        }
        else
        {
            InputGradientRows<float, ScalarOps, TS>(ref m);
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
        /// <summary>An input gradient's dropout mask, [batch, inputs] like X; a null reference when there is none.</summary>
        public ref float Mask;
        /// <summary>An input gradient's ReLU output, [batch, inputs] like X: the gradient passes where it is above 0; a null reference when there is none.</summary>
        public ref float Gate;
        public readonly int Batch;
        public readonly nint Inputs;
        /// <summary>Floats from one sample's input row to the next: <see cref="Inputs"/>, or the full row when a weight gradient runs over a block of inputs.</summary>
        public readonly nint InputStride;
        public readonly nint Units;
        public readonly bool HasBias;
        public readonly Activation Fused;
        public readonly float Alpha;
        /// <summary>A weight gradient that writes its rows instead of adding to them (see DenseKernels.WeightGradient.cs, Start).</summary>
        public readonly bool Overwrite;

        public Gemm(ref float x, ref float w, ref float bias, ref float y, int batch, int inputs, int units, bool hasBias, Activation fused, float alpha, int inputStride = 0, bool overwrite = false)
        {
            X = ref x;
            W = ref w;
            Bias = ref bias;
            Y = ref y;
            Mask = ref Unsafe.NullRef<float>();
            Gate = ref Unsafe.NullRef<float>();
            Batch = batch;
            Inputs = inputs;
            InputStride = inputStride > 0 ? inputStride : inputs;
            Units = units;
            HasBias = hasBias;
            Fused = fused;
            Alpha = alpha;
            Overwrite = overwrite;
        }
    }
}
