using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Conv2D backward (weight, bias and input gradients) against finite differences over the forward
/// tests' geometry grid: kernels 1..5 and non-square, strides 1..3, dilation 1..2, valid and same
/// padding, with and without bias; then channel counts (the register blocks of both gradient
/// kernels, a filter count above 64 and input channels above 128 for the repeated block), windows
/// that hang over a small input, and windows above the unroll budget (loop form). The layer under
/// test sits above a trainable 1x1 convolution, which checks its input gradient.
/// </summary>
public sealed class Conv2DGradientTests(Conv2DGradientTests.Networks networks)
    : IClassFixture<Conv2DGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(Conv2DGradientTests), Cases);

    /// <summary>The cases whose filters (or, for the input gradient, input channels) fill 512-bit vectors, and the pixel-lane cases whose rows hold 16 pixels: their kernels also have a Vector512 variant.</summary>
    internal static IEnumerable<ForwardCase> Vector512Cases => Cases.Where(c => c.Name.Contains("_c16to") || c.Name.Contains("to16") || c.Name.Contains("to32") || c.Name.Contains("to48") || c.Name.Contains("to64")
        || (c.Name.StartsWith("ConvGradPixelLanes") && c.Width >= 16));

    internal static readonly IReadOnlyList<ForwardCase> Cases =
        ForwardCase.Unique(GeometryCases().Concat(ChannelCases()).Concat(SmallInputCases()).Concat(LoopFormCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    /// <summary>
    /// Every kernel with every stride; dilation and padding rotate so that each kernel meets both
    /// dilations and both paddings, and each stride meets all four dilation / padding pairs
    /// (a pairwise cover of the forward grid: each Conv2D costs the in-memory compiler about as
    /// much as a forward-test network, so the full product is left to the forward tests).
    /// </summary>
    private static IEnumerable<ForwardCase> GeometryCases()
    {
        var kernels = new (int Height, int Width)[] { (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 3), (3, 1), (2, 5) };
        var windows = new (int Dilation, bool Same)[] { (1, false), (1, true), (2, false), (2, true) };
        int[] inChannels = { 1, 3, 7 };
        int[] filters = { 8, 17, 1, 16, 3 };
        // Smooth and kinked activations ride along; the activation grid is in ActivationGradientTests.
        var activations = new[] { Activation.Linear, Activation.Tanh, Activation.Relu };
        int i = 0;
        for (int k = 0; k < kernels.Length; k++)
        for (int stride = 1; stride <= 3; stride++)
        {
            var (kh, kw) = kernels[k];
            var (dilation, same) = windows[(k + stride) % windows.Length];
            int cin = inChannels[i % inChannels.Length];
            int cout = filters[i % filters.Length];
            bool useBias = i % 4 != 3;
            var activation = activations[i % activations.Length];
            // A little larger than the dilated window and not square, so that valid padding
            // leaves several output positions and rows are not confused with columns.
            int height = (kh - 1) * dilation + 1 + 1 + i % 3;
            int width = (kw - 1) * dilation + 1 + 2 + i / 3 % 2;
            string name = $"ConvGrad_k{kh}x{kw}_s{stride}_d{dilation}_{(same ? "same" : "valid")}_c{cin}to{cout}"
                + (activation == Activation.Linear ? "" : $"_{activation}".ToLowerInvariant()) + (useBias ? "" : "_nobias");
            yield return GradientCases.WithTrainableInput(name, height, width, cin,
                new Conv2DLayer(cout, kh, kw, stride, dilation, same, activation, UseBias: useBias));
            i++;
        }
    }

    /// <summary>
    /// Channel counts 1, 3, 7, 8, 16, 17 in and out (scalar, vector and mixed blocks of both the
    /// weight gradient, blocked over filters, and the input gradient, blocked over input
    /// channels), 72 filters (a full 64-channel block plus a vector block) and 130 channels on
    /// either side (the repeated-block loop).
    /// </summary>
    private static IEnumerable<ForwardCase> ChannelCases()
    {
        int[] inChannels = { 1, 3, 7, 8, 16, 17 };
        int[] filters = { 1, 3, 7, 8, 16, 17, 72 };
        int i = 0;
        for (int a = 0; a < inChannels.Length; a++)
        for (int b = 0; b < filters.Length; b++)
        {
            if ((a + b) % 3 != 0)
            {
                continue; // every count on each side still appears at least twice
            }
            int cin = inChannels[a];
            int cout = filters[b];
            bool same = i % 2 == 1;
            bool useBias = i % 3 != 2;
            string name = $"ConvGradChannels_c{cin}to{cout}_{(same ? "same" : "valid")}{(useBias ? "" : "_nobias")}";
            yield return GradientCases.WithTrainableInput(name, 3, 4, cin, new Conv2DLayer(cout, 3, 3, Same: same, UseBias: useBias));
            i++;
        }
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c5to130_same", 2, 3, 5, new Conv2DLayer(130, 2, 2, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c130to3_valid", 3, 3, 130, new Conv2DLayer(3, 2, 2));
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c72to5_same_s2", 4, 3, 72, new Conv2DLayer(5, 3, 2, Stride: 2, Same: true));
        // Channels a multiple of 128: the Vector256 weight gradient reads the input (padded or not) and the
        // output gradient through copies with a gap after each pixel (ConvWeightGradientKernel.SpreadStride).
        yield return GradientCases.WithTrainableInput("ConvGradSpread_c128to16_same", 3, 4, 128, new Conv2DLayer(16, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradSpread_c5to256_valid_s2", 5, 4, 5, new Conv2DLayer(256, 3, 2, Stride: 2));
        yield return GradientCases.WithTrainableInput("ConvGradSpread_c128to128_valid_nobias", 3, 3, 128, new Conv2DLayer(128, 2, 2, UseBias: false));
        // Whole 512-bit blocks of filters (4, 3 and 2 vectors), so the Vector512 variants have rows of several vectors.
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c3to64_same", 5, 4, 3, new Conv2DLayer(64, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c5to48_valid_s2", 6, 5, 5, new Conv2DLayer(48, 2, 3, Stride: 2));
        yield return GradientCases.WithTrainableInput("ConvGradChannels_c1to32_same_d2", 5, 5, 1, new Conv2DLayer(32, 3, 3, Dilation: 2, Same: true));
        // 4 to 7 channels after the Vector256 vectors: a Vector128 block (then scalars) in the
        // weight gradient (over filters) and in the input gradient (over input channels).
        yield return GradientCases.WithTrainableInput("ConvGradNarrowTail_c12to12_same_relu", 4, 5, 12, new Conv2DLayer(12, 3, 3, Same: true, Activation: Activation.Relu));
        yield return GradientCases.WithTrainableInput("ConvGradNarrowTail_c24to12_same_nobias", 3, 4, 24, new Conv2DLayer(12, 3, 3, Same: true, UseBias: false));
        yield return GradientCases.WithTrainableInput("ConvGradNarrowTail_c13to21_valid", 4, 4, 13, new Conv2DLayer(21, 2, 2));
        yield return GradientCases.WithTrainableInput("ConvGradNarrowTail_c3to14_s2_same", 5, 5, 3, new Conv2DLayer(14, 3, 3, Stride: 2, Same: true));
        // One input channel, fewer filters than a vector, rows of 8+ pixels: the forward kernel puts pixels in the lanes.
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c1to6_same", 4, 11, 1, new Conv2DLayer(6, 3, 3, Same: true, Activation: Activation.Relu));
        // Fewer input channels than a vector, stride 1, input rows of 8+ pixels: the input gradient
        // is a convolution with pixels in the lanes (LeNet's second layer: 6 channels from 16
        // filters, 14 wide, so a last vector that overlaps). Width 5 and stride 2 keep the scatter.
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c6to16_k5_valid_w14", 6, 14, 6, new Conv2DLayer(16, 5, 5, Activation: Activation.Relu));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c3to4_same_w13", 3, 13, 3, new Conv2DLayer(4, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c1to7_valid_d2_w20", 5, 20, 1, new Conv2DLayer(7, 3, 3, Dilation: 2, UseBias: false));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c4to1_same_w28", 3, 28, 4, new Conv2DLayer(1, 3, 3, Same: true, Activation: Activation.Tanh));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c7to6_same_s2_w28", 4, 28, 7, new Conv2DLayer(6, 3, 3, Stride: 2, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c3to6_same_w5", 4, 5, 3, new Conv2DLayer(6, 3, 3, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c5to3_pads0112_w12", 4, 12, 5, new Conv2DLayer(3, 3, 3, Pads: new Pads(0, 1, 1, 2)));
        // 8 filters on rows of 16+ pixels: the Vector512 forward has pixels in the lanes, transposed to
        // NHWC in registers (valid and same, an overlapping last vector); 12 filters keep channels.
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c3to8_valid_relu_w20", 4, 20, 3, new Conv2DLayer(8, 3, 3, Activation: Activation.Relu));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c2to8_same_nobias_w33", 3, 33, 2, new Conv2DLayer(8, 3, 3, Same: true, UseBias: false));
        yield return GradientCases.WithTrainableInput("ConvGradPixelLanes_c3to12_same_w18", 3, 18, 3, new Conv2DLayer(12, 3, 3, Same: true));
    }

    /// <summary>Single rows and columns and same-padded windows larger than the input: bounds checks on every tap.</summary>
    private static IEnumerable<ForwardCase> SmallInputCases()
    {
        yield return GradientCases.WithTrainableInput("ConvGradSmall_k1x3_valid_row_input", 1, 7, 3, new Conv2DLayer(8, 1, 3));
        yield return GradientCases.WithTrainableInput("ConvGradSmall_k3x1_s2_same_column_input", 7, 1, 2, new Conv2DLayer(5, 3, 1, Stride: 2, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradSmall_k5x5_same_input_2x3", 2, 3, 3, new Conv2DLayer(9, 5, 5, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradSmall_k4x4_s3_same_input_1x1", 1, 1, 7, new Conv2DLayer(17, 4, 4, Stride: 3, Same: true));
    }

    /// <summary>Windows above the 64-tap unroll budget: the gradient kernels walk the taps in loops.</summary>
    private static IEnumerable<ForwardCase> LoopFormCases()
    {
        yield return GradientCases.WithTrainableInput("ConvGradLoop_k9x9_s2_same_c3to17", 10, 9, 3, new Conv2DLayer(17, 9, 9, Stride: 2, Same: true));
        yield return GradientCases.WithTrainableInput("ConvGradLoop_k8x9_valid_c8to8_nobias", 9, 10, 8, new Conv2DLayer(8, 8, 9, UseBias: false));
        yield return GradientCases.WithTrainableInput("ConvGradLoop_k9x9_d2_same_c1to9", 5, 6, 1, new Conv2DLayer(9, 9, 9, Dilation: 2, Same: true));
    }
}
