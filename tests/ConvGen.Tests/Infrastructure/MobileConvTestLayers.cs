using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

public sealed record DepthwiseConv2DLayer(
    int KernelHeight, int KernelWidth, int Multiplier = 1, int Stride = 1, int Dilation = 1, bool Same = false,
    Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true, Pads? Pads = null) : TestLayer
{
    public override string Attribute =>
        $"DepthwiseConv2D({KernelHeight}{(KernelWidth == KernelHeight ? "" : $", {KernelWidth}")}"
        + (Multiplier == 1 ? "" : $", DepthMultiplier = {Multiplier}")
        + (Stride == 1 ? "" : $", Stride = {Stride}")
        + (Dilation == 1 ? "" : $", Dilation = {Dilation}")
        + (Same ? ", Padding = Padding.Same" : "")
        + (Pads?.Options ?? "")
        + ActivationOptions(Activation, Alpha)
        + (UseBias ? "" : ", UseBias = false")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        var weights = NetworkParameters.Weights(network, layerIndex, "HWIM", KernelHeight, KernelWidth, input.Channels, Multiplier);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, input.Channels * Multiplier);
        var linear = ReferenceDepthwise.Forward(input, weights, bias, Multiplier, KernelHeight, KernelWidth, Stride, Dilation, Same, Pads);
        return ReferenceActivations.Apply(linear, Activation, Alpha);
    }
}

/// <summary>Keras SeparableConv2D: depthwise (no bias) then a 1x1 convolution with the bias and activation.</summary>
public sealed record SeparableConv2DLayer(
    int Filters, int KernelHeight, int KernelWidth, int Multiplier = 1, int Stride = 1, int Dilation = 1, bool Same = false,
    Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true) : TestLayer
{
    public override string Attribute =>
        $"SeparableConv2D({Filters}, {KernelHeight}{(KernelWidth == KernelHeight ? "" : $", {KernelWidth}")}"
        + (Multiplier == 1 ? "" : $", DepthMultiplier = {Multiplier}")
        + (Stride == 1 ? "" : $", Stride = {Stride}")
        + (Dilation == 1 ? "" : $", Dilation = {Dilation}")
        + (Same ? ", Padding = Padding.Same" : "")
        + ActivationOptions(Activation, Alpha)
        + (UseBias ? "" : ", UseBias = false")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        var depthwise = NetworkParameters.Weights(network, layerIndex, "HWIM", KernelHeight, KernelWidth, input.Channels, Multiplier);
        var pointwise = NetworkParameters.Weights(network, layerIndex, "HWIO", 1, 1, input.Channels * Multiplier, Filters);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, Filters);
        var middle = ReferenceDepthwise.Forward(input, depthwise, null, Multiplier, KernelHeight, KernelWidth, Stride, Dilation, Same);
        var linear = ReferenceConv2D.Forward(middle, pointwise, bias, Filters, 1, 1, 1, 1, false);
        return ReferenceActivations.Apply(linear, Activation, Alpha);
    }
}

public sealed record ZeroPadding2DLayer(int Top, int Bottom, int Left, int Right) : TestLayer
{
    /// <summary>The shortest attribute form that says these sides (one, two or four arguments).</summary>
    public override string Attribute =>
        Top == Bottom && Bottom == Left && Left == Right ? $"ZeroPadding2D({Top})"
        : Top == Bottom && Left == Right ? $"ZeroPadding2D({Top}, {Left})"
        : $"ZeroPadding2D({Top}, {Bottom}, {Left}, {Right})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferenceDepthwise.ZeroPadding(input, Top, Bottom, Left, Right);
}
