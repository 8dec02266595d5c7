using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Layers.Graph;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Backward of graph networks and of the layers pretrained ResNets need, against finite
/// differences: residual blocks (identity and projected shortcuts, a layer read by three others,
/// the network input read twice: gradients from every reader must be summed), explicit padding
/// on convolutions and pools, and BatchNorm in training mode (batch statistics, the gradient
/// taken through the batch mean and variance) on maps, on vectors and inside a residual block.
/// </summary>
public sealed class GraphGradientTests(GraphGradientTests.Networks networks)
    : IClassFixture<GraphGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GraphGradientTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(
        ResidualCases.All.Select(c => c with { Name = c.Name + "Grad" }).Concat(PaddingCases()).Concat(BatchNormCases()));

    // Batch 1 would give BatchNorm on vectors a zero variance, and batch 2 normalises every unit
    // to +-1 whatever the weights: the gradient reaching the layer before it then comes only from
    // epsilon (of order eps / variance) and float32 rounding in the forward pass decides its last
    // digits. 3 and 4 split differently into rows and keep the gradient well conditioned.
    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases, 3, 4);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_matches_finite_differences(string network, int batch) => GradientCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> PaddingCases()
    {
        yield return GradientCases.WithTrainableInput("PadGrad_conv_k3_s2_p1010", 8, 7, 3,
            new Conv2DLayer(5, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0), Activation: Activation.Tanh));
        yield return GradientCases.WithTrainableInput("PadGrad_conv_k7_s2_p3232", 9, 8, 2,
            new Conv2DLayer(4, 7, 7, Stride: 2, Pads: new Pads(3, 2, 3, 2)));
        yield return GradientCases.WithTrainableInput("PadGrad_maxpool_3_s2_p1010", 7, 8, 4,
            new Pool2DLayer(Max: true, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0)));
        yield return GradientCases.WithTrainableInput("PadGrad_avgpool_3_s2_p0211", 6, 7, 3,
            new Pool2DLayer(Max: false, 3, 3, Stride: 2, Pads: new Pads(0, 2, 1, 1)));
    }

    private static IEnumerable<ForwardCase> BatchNormCases()
    {
        yield return GradientCases.WithTrainableInput("BatchNormGrad_conv", 4, 5, 3,
            new Conv2DLayer(6, 3, 3, Same: true, UseBias: false), new BatchNormLayer(), new ActivationLayer(Activation.Tanh));
        // The tanh keeps the trainable layer's bias visible: a bias right before BatchNorm cancels.
        yield return GradientCases.WithTrainableInput("BatchNormGrad_eps_large", 3, 3, 4,
            new ActivationLayer(Activation.Tanh), new BatchNormLayer(0.5, 0.9), new Conv2DLayer(3, 2, 2));
        yield return new ForwardCase("BatchNormGrad_dense", 2, 3, 2,
            new FlattenLayer(), new DenseLayer(7, UseBias: false), new BatchNormLayer(1e-5), new DenseLayer(3, Activation: Activation.Tanh));
        // A ResNet downsampling block: conv-BN-ReLU-conv-BN on the main path, 1x1 conv-BN on the shortcut.
        yield return new ForwardCase("BatchNormGrad_residual_block", 6, 6, 2,
            new Conv2DLayer(4, 3, 3, Same: true, UseBias: false) { Name = "stem" },
            new Conv2DLayer(6, 3, 3, Stride: 2, Pads: new Pads(1, 0, 1, 0), UseBias: false),
            new BatchNormLayer(1e-5),
            new ActivationLayer(Activation.Relu),
            new Conv2DLayer(6, 3, 3, Same: true, UseBias: false),
            new BatchNormLayer(1e-5) { Name = "main" },
            new Conv2DLayer(6, 1, 1, Stride: 2, UseBias: false) { Input = "stem" },
            new BatchNormLayer(1e-5) { Name = "shortcut" },
            new AddLayer("main", "shortcut", Activation.Relu),
            new GlobalPool2DLayer(Max: false),
            new DenseLayer(3));
    }
}
