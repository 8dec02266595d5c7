using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Pooling;

/// <summary>
/// MaxPool2D and AvgPool2D against the reference: window sizes 1..3 and non-square, the default
/// stride (the window size) and explicit strides 1..3, valid and same padding (padded cells
/// ignored, also by the average's divisor), and channel counts that exercise every channel-block
/// form of the generated code.
/// </summary>
public sealed class Pool2DForwardTests(Pool2DForwardTests.Networks networks)
    : IClassFixture<Pool2DForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Pool2DForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GridCases().Concat(SmallInputCases()).Concat(NarrowChannelCases()).Concat(LoopFormCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> GridCases()
    {
        var windows = new (int Height, int Width)[] { (1, 1), (2, 2), (3, 3), (2, 3), (3, 1), (1, 2) };
        int[] channels = { 1, 3, 8, 17, 72, 130 };
        int i = 0;
        foreach (bool max in new[] { true, false })
        foreach (var (ph, pw) in windows)
        foreach (int stride in new[] { 0, 1, 2, 3 })
        foreach (bool same in new[] { false, true })
        {
            int c = channels[i % channels.Length];
            // Odd and even sizes alternate so same padding sometimes needs no padding cell at all.
            int height = 7 + i % 2;
            int width = 8 + i / 2 % 2;
            string name = $"{(max ? "MaxPool" : "AvgPool")}_p{ph}x{pw}_s{(stride == 0 ? "default" : stride.ToString())}_{(same ? "same" : "valid")}_c{c}";
            yield return new ForwardCase(name, height, width, c, new Pool2DLayer(max, ph, pw, stride, same));
            i++;
        }
    }

    /// <summary>Single rows and columns, and same-padded windows larger than the whole input.</summary>
    private static IEnumerable<ForwardCase> SmallInputCases()
    {
        yield return new ForwardCase("MaxPoolSmall_p1x2_row_input", 1, 5, 8, new Pool2DLayer(true, 1, 2));
        yield return new ForwardCase("AvgPoolSmall_p2x1_s1_same_column_input", 5, 1, 9, new Pool2DLayer(false, 2, 1, Stride: 1, Same: true));
        yield return new ForwardCase("MaxPoolSmall_p3x3_same_input_2x2", 2, 2, 17, new Pool2DLayer(true, 3, 3, Same: true));
        yield return new ForwardCase("AvgPoolSmall_p3x3_s1_same_input_2x2", 2, 2, 17, new Pool2DLayer(false, 3, 3, Stride: 1, Same: true));
        yield return new ForwardCase("AvgPoolSmall_p2x2_same_input_1x1", 1, 1, 3, new Pool2DLayer(false, 2, 2, Same: true));
    }

    /// <summary>4 to 7 channels: two overlapping Vector128 (LeNet's 6-channel pool), one for exactly 4.</summary>
    private static IEnumerable<ForwardCase> NarrowChannelCases()
    {
        yield return new ForwardCase("MaxPoolNarrow_p2x2_valid_c6", 9, 8, 6, new Pool2DLayer(true, 2, 2));
        yield return new ForwardCase("MaxPoolNarrow_p2x3_s2_same_c4", 7, 8, 4, new Pool2DLayer(true, 2, 3, Stride: 2, Same: true));
        yield return new ForwardCase("AvgPoolNarrow_p3x3_s1_same_c5", 6, 7, 5, new Pool2DLayer(false, 3, 3, Stride: 1, Same: true));
        yield return new ForwardCase("AvgPoolNarrow_p2x2_valid_c7", 8, 8, 7, new Pool2DLayer(false, 2, 2));
    }

    /// <summary>Windows above the 64-tap unroll budget are emitted as loops.</summary>
    private static IEnumerable<ForwardCase> LoopFormCases()
    {
        yield return new ForwardCase("MaxPoolLoop_p9x9_valid_c3", 11, 12, 3, new Pool2DLayer(true, 9, 9, Stride: 1));
        yield return new ForwardCase("MaxPoolLoop_p9x9_same_c17", 11, 12, 17, new Pool2DLayer(true, 9, 9, Stride: 2, Same: true));
        yield return new ForwardCase("AvgPoolLoop_p9x9_valid_c17", 11, 12, 17, new Pool2DLayer(false, 9, 9, Stride: 1));
        yield return new ForwardCase("AvgPoolLoop_p9x8_same_c72", 10, 11, 72, new Pool2DLayer(false, 9, 8, Stride: 2, Same: true));
    }
}
