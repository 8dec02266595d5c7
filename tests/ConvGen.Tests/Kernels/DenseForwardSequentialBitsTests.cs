using System;
using ConvGen.Kernels;
using ConvGen.Kernels.Simd;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The forward GEMM promises each output element is the bias plus the products in input-row
/// order, one multiply-add after the other, whichever tile makes it. Here that promise is the
/// reference itself: fused multiply-adds (<see cref="MathF.FusedMultiplyAdd"/>) for the columns
/// in vectors, and the scalar path's multiply then add for the columns after the last vector, in
/// input-row order. Every tile height (6, 3, 2, 1 samples and their mixes, batches 1 to 13),
/// whole strips, a single vector after them and scalar columns after that, one row block and
/// several, packed and unpacked weights.
/// </summary>
public sealed class DenseForwardSequentialBitsTests
{
    public static TheoryData<string, int, int> Shapes()
    {
        var rows = new TheoryData<string, int, int>();
        // Units: whole two-vector Vector256 strips (16, 64), a vector after them (24, 40), scalars
        // after that (45, 13), scalars alone (3, 7), and a wide layer that packs its strips (530).
        // Inputs: one short row block (5) and two, of 256 and 44 rows (300) for the two-vector strips.
        foreach (string path in new[] { nameof(KernelPath.Vector256), nameof(KernelPath.Scalar) })
        {
            foreach (int units in new[] { 16, 64, 24, 40, 45, 13, 3, 7, 530 })
            {
                foreach (int inputs in new[] { 5, 300 })
                {
                    rows.Add(path, inputs, units);
                }
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_is_the_sequential_multiply_add_in_input_row_order(string pathName, int inputs, int units)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        int vectorColumns = path == KernelPath.Vector256 ? units - units % 8 : 0;
        var w = SeededData.Uniform(inputs * units, SeededData.Seed($"sw{inputs}.{units}"));
        var b = SeededData.Uniform(units, SeededData.Seed($"sb{inputs}.{units}"));
        for (int batch = 1; batch <= 13; batch++)
        {
            var x = SeededData.Uniform(batch * inputs, SeededData.Seed($"sx{batch}.{inputs}.{units}"));
            foreach (bool useBias in new[] { true, false })
            {
                var output = new float[batch * units];
                DenseKernels.Forward(path, x, w, useBias ? b : default, output, batch, inputs, units, Activation.Linear, 0f);
                for (int n = 0; n < batch; n++)
                for (int u = 0; u < units; u++)
                {
                    float sum = useBias ? b[u] : 0f;
                    for (int i = 0; i < inputs; i++)
                    {
                        float product = x[n * inputs + i], weight = w[i * units + u];
                        sum = u < vectorColumns ? MathF.FusedMultiplyAdd(product, weight, sum) : product * weight + sum;
                    }
                    float actual = output[n * units + u];
                    Assert.True(BitConverter.SingleToInt32Bits(sum) == BitConverter.SingleToInt32Bits(actual),
                        $"{path} batch {batch} bias={useBias} y[{n},{u}]: {actual:G9}, sequential {sum:G9}");
                }
            }
        }
    }
}
