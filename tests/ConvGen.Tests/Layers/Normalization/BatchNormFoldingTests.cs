using System.Collections.Generic;
using System.Reflection;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Normalization;

/// <summary>
/// At inference a BatchNorm after a linear convolution that only it reads is folded into that
/// convolution's store (a scale and shift per filter on its sums; a layer under 4,096 weights runs on a
/// copy of its weights scaled per call). Predict (folded) must equal the evaluation pass of
/// ForwardTraining, which runs the two layers separately, within float rounding: with and
/// without a convolution bias, 130 filters (the repeated channel block), a strided padded
/// convolution, and inside a residual block. A convolution whose output another layer also
/// reads is not folded, and still computes the same.
/// </summary>
public sealed class BatchNormFoldingTests(BatchNormFoldingTests.Networks networks)
    : IClassFixture<BatchNormFoldingTests.Networks>
{
    /// <summary>float rounding of a sum of a few hundred products, taken in two different orders.</summary>
    private const double Tolerance = 2e-5;

    /// <summary>A fold in the store rounds once more than the separate layers (scale * sum + shift), not in another order: closer.</summary>
    private const double StoreTolerance = 1e-5;

    public sealed class Networks() : NetworkFixture(nameof(BatchNormFoldingTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(new[]
    {
        new ForwardCase("FoldConvWithBias", 5, 6, 3, new Conv2DLayer(8, 3, 3, Same: true), new BatchNormLayer(1e-5)),
        new ForwardCase("FoldConv130", 3, 4, 4, new Conv2DLayer(130, 3, 3, UseBias: false), new BatchNormLayer()),
        new ForwardCase("FoldStridedPadded", 9, 8, 3,
            new Conv2DLayer(16, 7, 7, Stride: 2, Pads: new Reference.Pads(3, 2, 3, 2), UseBias: false), new BatchNormLayer(1e-5),
            new ActivationLayer(Activation.Relu)),
        new ForwardCase("FoldResidualBlock", 6, 6, 3,
            new Conv2DLayer(8, 3, 3, Same: true, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Relu) { Name = "stem" },
            new Conv2DLayer(8, 3, 3, Same: true, UseBias: false), new BatchNormLayer() { Name = "bn" },
            new AddLayer("bn", "stem", Activation.Relu)),
        // DepthwiseConv2D folds the same way: its weights are rows of output channels per tap.
        new ForwardCase("FoldDepthwise", 5, 6, 3, new DepthwiseConv2DLayer(3, 3, Multiplier: 2, Same: true), new BatchNormLayer(1e-5)),
        new ForwardCase("FoldDepthwiseStrided", 7, 6, 9, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, UseBias: false), new BatchNormLayer(),
            new ActivationLayer(Activation.Relu)),
        // SeparableConv2D folds into its pointwise part (the depthwise part keeps reading the parameters).
        new ForwardCase("FoldSeparable", 6, 5, 12, new SeparableConv2DLayer(24, 3, 3, Same: true), new BatchNormLayer(1e-5),
            new ActivationLayer(Activation.HardSwish)),
        new ForwardCase("FoldSeparableStridedNoBias", 7, 7, 8, new SeparableConv2DLayer(20, 3, 3, Multiplier: 2, Stride: 2, Same: true, UseBias: false),
            new BatchNormLayer(), new ActivationLayer(Activation.Relu6)),
        new ForwardCase("FoldDepthwiseRelu6After", 6, 6, 24, new DepthwiseConv2DLayer(3, 3, Stride: 2, Same: true, UseBias: false), new BatchNormLayer(),
            new ActivationLayer(Activation.Relu6)),
        // From 4,096 weights the BatchNorm is applied in the convolution's store (a scale and shift per
        // filter, the weights read as trained), on every body that can take it:
        // register tiles along rows (64 filters, with a bias), a 1x1 and a strided one,
        new ForwardCase("StoreFoldTiles", 6, 7, 16, new Conv2DLayer(64, 3, 3, Same: true), new BatchNormLayer(1e-5)),
        new ForwardCase("StoreFoldPointwise", 5, 6, 64, new Conv2DLayer(128, 1, 1, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Relu)),
        new ForwardCase("StoreFoldStrided", 9, 9, 32, new Conv2DLayer(36, 3, 3, Stride: 2, Same: true, UseBias: false), new BatchNormLayer(1e-5),
            new ActivationLayer(Activation.Relu)),
        // the picture plan (weights large next to a 4x4 map), pixels in the lanes (5 filters on rows of 20),
        new ForwardCase("StoreFoldPicture", 4, 4, 128, new Conv2DLayer(128, 3, 3, Same: true, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Relu)),
        new ForwardCase("StoreFoldPixelLanes", 4, 20, 256, new Conv2DLayer(5, 3, 3, Same: true), new BatchNormLayer(1e-5)),
        // depthwise rows (520 channels, a narrow tail), depthwise pixel by pixel (a 9x9 window, too large to unroll),
        new ForwardCase("StoreFoldDepthwiseRows", 5, 6, 520, new DepthwiseConv2DLayer(3, 3, Same: true, UseBias: false), new BatchNormLayer(),
            new ActivationLayer(Activation.Relu6)),
        new ForwardCase("StoreFoldDepthwisePixels", 10, 9, 60, new DepthwiseConv2DLayer(9, 9, Same: true), new BatchNormLayer(1e-5)),
        // and SeparableConv2D's pointwise part.
        new ForwardCase("StoreFoldSeparable", 6, 5, 64, new SeparableConv2DLayer(72, 3, 3, Same: true), new BatchNormLayer(1e-5),
            new ActivationLayer(Activation.HardSwish)),
        // An activation inside the SeparableConv2D comes before the BatchNorm: no folding.
        new ForwardCase("NoFoldSeparableWithActivation", 5, 5, 4, new SeparableConv2DLayer(6, 3, 3, Same: true, Activation: Activation.Relu), new BatchNormLayer()),
        // The convolution is read by the BatchNorm and by the Add: no folding.
        new ForwardCase("NoFoldSharedConv", 4, 4, 2,
            new Conv2DLayer(6, 3, 3, Same: true) { Name = "conv" }, new BatchNormLayer() { Name = "bn" }, new AddLayer("bn", "conv")),
    });

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Folded_inference_equals_the_unfolded_layers(string name, int batch)
    {
        var network = (ITrainableNetwork)networks.Create(name);
        NetworkParameters.Randomize(network, SeededData.Seed(name));
        var inputs = SeededData.Uniform(batch * network.InputShape.Length, SeededData.Seed(name, batch));
        var predicted = new float[batch * network.OutputShape.Length];
        network.Predict(inputs, predicted);

        var workspace = network.CreateTrainingWorkspace(batch);
        network.ForwardTraining(inputs, workspace, batch, DropoutContext.Off);
        NumericAssert.Near(workspace.Outputs[..predicted.Length], predicted, $"{name} batch {batch}: folded Predict against separate layers",
            name.StartsWith("StoreFold", System.StringComparison.Ordinal) ? StoreTolerance : Tolerance);

        var folded = network.CreateInferenceWorkspace(1).GetType().GetField("FoldedParameters", BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.Equal(!name.StartsWith("NoFold", System.StringComparison.Ordinal), folded is not null);
    }

    /// <summary>
    /// A layer that folds in its store keeps two floats per filter in the workspace (its scales and
    /// shifts), not a copy of its weights; and no forward writes to the network's parameters.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoreFolds))]
    public void Folding_in_the_store_copies_no_weights_and_leaves_the_parameters_as_they_were(string name)
    {
        var network = (ITrainableNetwork)networks.Create(name);
        NetworkParameters.Randomize(network, SeededData.Seed(name));
        float[] before = network.Parameters.ToArray();
        var inputs = SeededData.Uniform(2 * network.InputShape.Length, SeededData.Seed(name, 2));
        var outputs = new float[2 * network.OutputShape.Length];
        network.Predict(inputs, outputs);
        network.Predict(inputs, outputs);
        Assert.Equal(before, network.Parameters.ToArray());

        var workspace = network.CreateInferenceWorkspace(1);
        var folded = (float[])workspace.GetType().GetField("FoldedParameters", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(workspace)!;
        Assert.Equal(2 * network.OutputShape.Channels, folded.Length);
    }

    public static TheoryData<string> StoreFolds()
    {
        var names = new TheoryData<string>();
        foreach (var c in Cases)
        {
            if (c.Name.StartsWith("StoreFold", System.StringComparison.Ordinal))
            {
                names.Add(c.Name);
            }
        }
        return names;
    }
}
