using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// MaxPool2D, AvgPool2D, GlobalMaxPool2D and GlobalAvgPool2D backward against finite differences,
/// checked through the trainable 1x1 convolution below the pooling layer: window sizes 1..3 and
/// non-square, the default stride and explicit strides 1..3 (stride 1 overlaps windows, so one
/// input collects gradient from several of them), valid and same padding (padded cells neither
/// win a maximum nor count in an average), small inputs, windows above the unroll budget, and
/// channel counts from 1 to 72. The random inputs make ties between window cells improbable; a
/// step that would change a window's winner is skipped.
/// </summary>
public sealed class Pool2DGradientTests(Pool2DGradientTests.Networks networks)
    : IClassFixture<Pool2DGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Pool2DGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases =
        ForwardCase.Unique(WindowCases().Concat(SmallInputCases()).Concat(GlobalCases()).Concat(ReluSourceCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    /// <summary>
    /// Each window twice per pooling kind; across max and average every window meets all four
    /// strides and both paddings, and every stride meets both paddings for both kinds.
    /// </summary>
    private static IEnumerable<ForwardCase> WindowCases()
    {
        var windows = new (int Height, int Width)[] { (1, 1), (2, 2), (3, 3), (2, 3), (3, 1), (1, 2) };
        int[] strides = { 0, 1, 2, 3 };
        int[] channels = { 1, 3, 8, 17, 72 };
        int i = 0;
        foreach (bool max in new[] { true, false })
        for (int w = 0; w < windows.Length; w++)
        for (int j = 0; j < 2; j++)
        {
            var (ph, pw) = windows[w];
            int stride = strides[(w + 2 * j + (max ? 0 : 1)) % strides.Length];
            bool same = (w + j + (max ? 1 : 0)) % 2 == 1;
            int c = channels[i % channels.Length];
            int height = 6 + i % 2;
            int width = 7 + i / 2 % 2;
            string name = $"{(max ? "MaxPoolGrad" : "AvgPoolGrad")}_p{ph}x{pw}_s{(stride == 0 ? "default" : stride.ToString())}_{(same ? "same" : "valid")}_c{c}";
            yield return GradientCases.WithTrainableInput(name, height, width, c, new Pool2DLayer(max, ph, pw, stride, same));
            i++;
        }
    }

    /// <summary>Single rows and columns, same-padded windows larger than the input, 4 and 7 channels in tiling windows (Vector128 blocks), and the loop form above 64 taps.</summary>
    private static IEnumerable<ForwardCase> SmallInputCases()
    {
        yield return GradientCases.WithTrainableInput("MaxPoolGradSmall_p1x2_row_input", 1, 5, 8, new Pool2DLayer(true, 1, 2));
        yield return GradientCases.WithTrainableInput("AvgPoolGradSmall_p2x1_s1_same_column_input", 5, 1, 9, new Pool2DLayer(false, 2, 1, Stride: 1, Same: true));
        yield return GradientCases.WithTrainableInput("MaxPoolGradSmall_p3x3_s1_same_input_2x2", 2, 2, 17, new Pool2DLayer(true, 3, 3, Stride: 1, Same: true));
        yield return GradientCases.WithTrainableInput("AvgPoolGradSmall_p3x3_same_input_2x2", 2, 2, 3, new Pool2DLayer(false, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("MaxPoolGradNarrow_p2x2_valid_c4", 6, 5, 4, new Pool2DLayer(true, 2, 2));
        yield return GradientCases.WithTrainableInput("MaxPoolGradNarrow_p2x2_valid_c7", 5, 6, 7, new Pool2DLayer(true, 2, 2));
        yield return GradientCases.WithTrainableInput("MaxPoolGradLoop_p9x9_s2_same_c3", 10, 11, 3, new Pool2DLayer(true, 9, 9, Stride: 2, Same: true));
        yield return GradientCases.WithTrainableInput("AvgPoolGradLoop_p9x8_s1_valid_c5", 10, 10, 5, new Pool2DLayer(false, 9, 8, Stride: 1));
    }

    /// <summary>
    /// A ReLU convolution read only by the max pool: the pool's backward applies the ReLU's
    /// derivative (windows that tile the input with an uncovered row and column, and overlapping
    /// padded windows; a vector of channels with an overlapping tail, two overlapping Vector128,
    /// and a scalar tail alone).
    /// </summary>
    private static IEnumerable<ForwardCase> ReluSourceCases()
    {
        yield return GradientCases.WithTrainableInput("MaxPoolGradRelu_p2x2_valid_c12", 7, 7, 12,
            new Conv2DLayer(12, 1, 1, Activation: Activation.Relu), new Pool2DLayer(true, 2, 2));
        yield return GradientCases.WithTrainableInput("MaxPoolGradRelu_p2x2_valid_c6", 7, 9, 6,
            new Conv2DLayer(6, 1, 1, Activation: Activation.Relu), new Pool2DLayer(true, 2, 2));
        yield return GradientCases.WithTrainableInput("MaxPoolGradRelu_p3x3_s1_same_c5", 6, 7, 5,
            new Conv2DLayer(5, 1, 1, Activation: Activation.Relu), new Pool2DLayer(true, 3, 3, Stride: 1, Same: true));
    }

    /// <summary>[H,W,C] to [C], from a single position to 72 channels, followed by a Dense so the pooled vector feeds a trainable layer too.</summary>
    private static IEnumerable<ForwardCase> GlobalCases()
    {
        var shapes = new (int Height, int Width, int Channels)[] { (1, 1, 3), (5, 7, 1), (4, 4, 8), (3, 5, 17), (2, 3, 72) };
        foreach (bool max in new[] { true, false })
        foreach (var (h, w, c) in shapes)
        {
            yield return GradientCases.WithTrainableInput($"{(max ? "GlobalMaxPoolGrad" : "GlobalAvgPoolGrad")}_{h}x{w}x{c}", h, w, c,
                new GlobalPool2DLayer(max), new DenseLayer(3));
        }
    }
}
