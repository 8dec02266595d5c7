using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Graph;

/// <summary>
/// Networks that are graphs, against the reference: identity and projected residual blocks,
/// a layer read by three others, the network input read twice, an Add with an activation that
/// is not fused, and routing into Flatten and Dense.
/// </summary>
public sealed class ResidualForwardTests(ResidualForwardTests.Networks networks)
    : IClassFixture<ResidualForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ResidualForwardTests), ResidualCases.All);

    public static TheoryData<string, int> Rows => ForwardCase.Rows(ResidualCases.All);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);
}

/// <summary>Residual networks shared by the forward and the gradient tests.</summary>
internal static class ResidualCases
{
    public static readonly IReadOnlyList<ForwardCase> All = ForwardCase.Unique(new[]
    {
        // conv - conv + identity shortcut, ReLU after the sum (a ResNet basic block without BatchNorm).
        new ForwardCase("ResidualIdentity", 6, 5, 2,
            new Conv2DLayer(8, 1, 1) { Name = "stem" },
            new Conv2DLayer(8, 3, 3, Same: true, Activation: Activation.Relu),
            new Conv2DLayer(8, 3, 3, Same: true) { Name = "block" },
            new AddLayer("block", "stem", Activation.Relu),
            new GlobalPool2DLayer(Max: false),
            new DenseLayer(3)),
        // A downsampling block: the shortcut is a strided 1x1 projection declared after the block.
        new ForwardCase("ResidualProjected", 8, 8, 2,
            new Conv2DLayer(4, 1, 1, Activation: Activation.Tanh) { Name = "stem" },
            new Conv2DLayer(9, 3, 3, Stride: 2, Pads: new Reference.Pads(1, 0, 1, 0), Activation: Activation.Relu),
            new Conv2DLayer(9, 3, 3, Same: true) { Name = "block" },
            new Conv2DLayer(9, 1, 1, Stride: 2, Same: true) { Name = "projection", Input = "stem" },
            new AddLayer("block", "projection", Activation.Relu),
            new FlattenLayer(),
            new DenseLayer(4)),
        // 'stem' is read by three layers (two convolutions and the Add); the head reads a layer
        // two back through Input, and the Add's activation (tanh) is applied outside the kernel.
        new ForwardCase("ResidualThreeReaders", 5, 5, 3,
            new Conv2DLayer(6, 1, 1) { Name = "stem" },
            new Conv2DLayer(6, 3, 3, Same: true, Activation: Activation.Relu) { Name = "left" },
            new Conv2DLayer(6, 1, 1) { Name = "right", Input = "stem" },
            new AddLayer("left", "right") { Name = "sum" },
            new AddLayer("sum", "stem", Activation.Tanh) { Name = "out" },
            new GlobalPool2DLayer(Max: false),
            new DenseLayer(3)),
        // The network input read twice: by the first convolution and by an Add at the end.
        new ForwardCase("ResidualFromInput", 4, 6, 4,
            new Conv2DLayer(4, 3, 3, Same: true, Activation: Activation.Relu),
            new Conv2DLayer(4, 3, 3, Same: true) { Name = "block" },
            new AddLayer("block", "input", Activation.LeakyRelu),
            new FlattenLayer(),
            new DenseLayer(2)),
    });
}
