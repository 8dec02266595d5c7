using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The dense kernels add up each element in one fixed order whichever tile makes it, so a sample's
/// output and input gradient are bit for bit those of the same sample run alone, and a block of
/// weight-gradient rows is bit for bit those rows of the whole gradient. Training splits a batch
/// into chunks and a wide layer's gradient into row blocks on that promise; the shapes mix the
/// forward tiles of every height, the packed and unpacked weights and output gradients, and
/// weight-row blocks that start inside a six-row tile.
/// </summary>
public sealed class DenseKernelsOrderTests
{
    public static TheoryData<string, int, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int, int>();
        foreach (string path in new[] { nameof(KernelPath.Vector512), nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        {
            rows.Add(path, 17, 300, 530); // packed strips (units >= 512, 17 samples), a vector and scalars after them
            rows.Add(path, 11, 133, 84);  // unpacked: 6 + 3 + 1 + 1 samples, a short row block
            rows.Add(path, 9, 70, 600);   // packed, a vector after the strips of every width (64, 32 and 16 floats), an odd batch
            rows.Add(path, 7, 70, 72);    // unpacked, the same: two-sample input gradient tiles and one sample after them
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_of_a_batch_is_each_sample_run_alone(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, w, b, _) = Operands(batch, inputs, units);
        var whole = new float[batch * units];
        DenseKernels.Forward(path, x, w, b, whole, batch, inputs, units, Activation.Relu, 0f);
        var alone = new float[units];
        for (int n = 0; n < batch; n++)
        {
            DenseKernels.Forward(path, x.AsSpan(n * inputs, inputs), w, b, alone, 1, inputs, units, Activation.Relu, 0f);
            AssertSameBits(alone, whole.AsSpan(n * units, units), $"{path} sample {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Input_gradient_of_a_batch_is_each_sample_run_alone(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (_, w, _, g) = Operands(batch, inputs, units);
        var whole = new float[batch * inputs];
        DenseKernels.InputGradient(path, w, g, whole, batch, inputs, units);
        var alone = new float[inputs];
        for (int n = 0; n < batch; n++)
        {
            DenseKernels.InputGradient(path, w, g.AsSpan(n * units, units), alone, 1, inputs, units);
            AssertSameBits(alone, whole.AsSpan(n * inputs, inputs), $"{path} sample {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weight_gradient_rows_are_those_of_the_whole_gradient(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, _, _, g) = Operands(batch, inputs, units);
        var start = SeededData.Uniform(inputs * units, 43);
        var whole = (float[])start.Clone();
        DenseKernels.WeightGradient(path, x, g, whole, default, batch, inputs, units);
        // Blocks that start on and off the six-row tiles, of 1 to 13 rows, and one long enough to
        // pack a wide layer's output gradient (53 rows: 6-, 4- and 1-row tiles).
        foreach (var (first, count) in new[] { (0, 13), (4, 6), (7, 5), (3, 1), (5, 53), (inputs - 10, 10) })
        {
            var rows = start.AsSpan(first * units, count * units).ToArray();
            DenseKernels.WeightGradientRowsOn(path, x, inputs, first, count, g, rows, batch, units);
            AssertSameBits(rows, whole.AsSpan(first * units, count * units), $"{path} rows {first}..{first + count}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Overwritten_weight_gradient_rows_are_the_bits_of_adding_to_zeros(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, _, _, g) = Operands(batch, inputs, units);
        // The chunked training step writes a block without clearing it: whatever was in the buffer
        // (stale gradients, NaN) must not show, and every bit must be what += into zeros gives.
        foreach (var (first, count) in new[] { (0, inputs), (4, 6), (7, 5), (3, 1), (inputs - 10, 10) })
        {
            var added = new float[count * units];
            DenseKernels.WeightGradientRowsOn(path, x, inputs, first, count, g, added, batch, units);
            var written = new float[count * units];
            Array.Fill(written, float.NaN);
            DenseKernels.WeightGradientRowsOn(path, x, inputs, first, count, g, written, batch, units, overwrite: true);
            AssertSameBits(added, written, $"{path} rows {first}..{first + count} overwritten");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_unit_ranges_are_those_units_of_the_whole_output(string pathName, int batch, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        var (x, w, _, _) = Operands(batch, inputs, units);
        var whole = new float[batch * units];
        DenseKernels.Forward(path, x, w, default, whole, batch, inputs, units, Activation.Linear, 0f);
        // Ranges at multiples of 64, the last one ending on the units' vector and scalar tail.
        var ranges = new float[whole.Length];
        Array.Fill(ranges, float.NaN);
        for (int first = 0; first < units; first += 128)
        {
            DenseKernels.ForwardUnits(path, x, w, ranges, batch, inputs, units, first, Math.Min(first + 128, units));
        }
        AssertSameBits(whole, ranges, $"{path} ranges of 128 units");
        // One range alone leaves the other units as they are.
        int end = Math.Min(128, units);
        var alone = new float[whole.Length];
        Array.Fill(alone, float.NaN);
        DenseKernels.ForwardUnits(path, x, w, alone, batch, inputs, units, 64, end);
        for (int i = 0; i < alone.Length; i++)
        {
            int u = i % units;
            Assert.True(u >= 64 && u < end ? BitConverter.SingleToInt32Bits(alone[i]) == BitConverter.SingleToInt32Bits(whole[i]) : float.IsNaN(alone[i]),
                $"{path} units 64..{end} alone, element {i} (unit {u}): {alone[i]:G9}");
        }
    }

    [Fact]
    public void Forward_unit_ranges_that_would_cut_a_strip_are_refused_by_value()
    {
        var x = new float[2 * 8];
        var w = new float[8 * 200];
        var y = new float[2 * 200];
        var start = Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernels.ForwardUnits(KernelPath.Scalar, x, w, y, 2, 8, 200, 32, 128));
        Assert.Contains("units 32 to 128", start.Message);
        var end = Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernels.ForwardUnits(KernelPath.Scalar, x, w, y, 2, 8, 200, 64, 190));
        Assert.Contains("units 64 to 190 are not a range of the 200 units", end.Message);
    }

    private static (float[] X, float[] W, float[] B, float[] G) Operands(int batch, int inputs, int units) =>
        (SeededData.Uniform(batch * inputs, SeededData.Seed($"ox{batch}.{inputs}.{units}")),
         SeededData.Uniform(inputs * units, SeededData.Seed($"ow{batch}.{inputs}.{units}")),
         SeededData.Uniform(units, SeededData.Seed($"ob{batch}.{inputs}.{units}")),
         SeededData.Uniform(batch * units, SeededData.Seed($"og{batch}.{inputs}.{units}")));

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}, element {i}: {expected[i]:G9} alone, {actual[i]:G9} in the whole");
        }
    }
}
