using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Conv2D;

/// <summary>
/// Conv2D over the window geometry: every kernel size 1..5 and non-square kernels, strides 1..3,
/// dilation 1..2, valid and same padding, each against the reference loop. Channel counts rotate
/// through small values here; <see cref="Conv2DChannelForwardTests"/> covers the channel blocking.
/// </summary>
public sealed class Conv2DGeometryForwardTests(Conv2DGeometryForwardTests.Networks networks)
    : IClassFixture<Conv2DGeometryForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Conv2DGeometryForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GridCases().Concat(SmallInputCases()).Concat(LoopFormCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> GridCases()
    {
        var kernels = new (int Height, int Width)[] { (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 3), (3, 1), (2, 5) };
        int[] inChannels = { 1, 3, 7 };
        int[] filters = { 8, 17, 1, 16, 3 };
        int i = 0;
        foreach (var (kh, kw) in kernels)
        foreach (int stride in new[] { 1, 2, 3 })
        foreach (int dilation in new[] { 1, 2 })
        foreach (bool same in new[] { false, true })
        {
            int cin = inChannels[i % inChannels.Length];
            int cout = filters[i % filters.Length];
            bool useBias = i % 4 != 3;
            // Inputs a little larger than the dilated window, not square, so valid padding
            // leaves several output positions and rows are not confused with columns.
            int height = (kh - 1) * dilation + 1 + 2 + i % 3;
            int width = (kw - 1) * dilation + 1 + 3 + i / 3 % 2;
            string name = $"Conv_k{kh}x{kw}_s{stride}_d{dilation}_{(same ? "same" : "valid")}_c{cin}to{cout}{(useBias ? "" : "_nobias")}";
            yield return new ForwardCase(name, height, width, cin,
                new Conv2DLayer(cout, kh, kw, stride, dilation, same, UseBias: useBias));
            i++;
        }
    }

    /// <summary>
    /// Inputs no larger than the window: single rows and columns, and same padding where every
    /// window hangs over the border, so the generated bounds checks are needed on every tap.
    /// </summary>
    private static IEnumerable<ForwardCase> SmallInputCases()
    {
        yield return new ForwardCase("ConvSmall_k1x3_valid_row_input", 1, 7, 3, new Conv2DLayer(8, 1, 3));
        yield return new ForwardCase("ConvSmall_k3x1_s2_same_column_input", 7, 1, 2, new Conv2DLayer(5, 3, 1, Stride: 2, Same: true));
        yield return new ForwardCase("ConvSmall_k5x5_same_input_2x3", 2, 3, 3, new Conv2DLayer(9, 5, 5, Same: true));
        yield return new ForwardCase("ConvSmall_k3x3_d2_same_input_3x4", 3, 4, 4, new Conv2DLayer(16, 3, 3, Dilation: 2, Same: true));
        yield return new ForwardCase("ConvSmall_k4x4_s3_same_input_1x1", 1, 1, 7, new Conv2DLayer(17, 4, 4, Stride: 3, Same: true));
        yield return new ForwardCase("ConvSmall_k2x2_s2_valid_exact_fit", 2, 2, 5, new Conv2DLayer(3, 2, 2, Stride: 2));
    }

    /// <summary>Windows above the generator's 64-tap unroll budget are emitted as loops.</summary>
    private static IEnumerable<ForwardCase> LoopFormCases()
    {
        yield return new ForwardCase("ConvLoop_k9x9_valid_c3to16", 12, 13, 3, new Conv2DLayer(16, 9, 9));
        yield return new ForwardCase("ConvLoop_k9x9_s2_same_c8to17", 11, 10, 8, new Conv2DLayer(17, 9, 9, Stride: 2, Same: true));
        yield return new ForwardCase("ConvLoop_k8x9_d2_same_c1to8_nobias", 10, 12, 1, new Conv2DLayer(8, 8, 9, Dilation: 2, Same: true, UseBias: false));
        yield return new ForwardCase("ConvLoop_k11x7_s3_valid_c7to72_relu", 14, 12, 7, new Conv2DLayer(72, 11, 7, Stride: 3, Activation: Activation.Relu));
        yield return new ForwardCase("ConvLoop_k9x9_same_c17to130", 6, 7, 17, new Conv2DLayer(130, 9, 9, Same: true));
    }
}
