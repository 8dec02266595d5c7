using System;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>Conv2DTranspose; <paramref name="OutputPadding"/> -1 leaves it unset (Keras's None).</summary>
public sealed record Conv2DTransposeLayer(
    int Filters, int KernelHeight, int KernelWidth, int Stride = 1, int Dilation = 1, bool Same = false, int OutputPadding = -1,
    Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true) : TestLayer
{
    public override string Attribute =>
        $"Conv2DTranspose({Filters}, {KernelHeight}{(KernelWidth == KernelHeight ? "" : $", {KernelWidth}")}"
        + (Stride == 1 ? "" : $", Stride = {Stride}")
        + (Dilation == 1 ? "" : $", Dilation = {Dilation}")
        + (Same ? ", Padding = Padding.Same" : "")
        + (OutputPadding < 0 ? "" : $", OutputPadding = {OutputPadding}")
        + ActivationOptions(Activation, Alpha)
        + (UseBias ? "" : ", UseBias = false")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        var weights = NetworkParameters.Weights(network, layerIndex, "HWOI", KernelHeight, KernelWidth, Filters, input.Channels);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, Filters);
        return ReferenceActivations.Apply(Linear(input, weights, bias), Activation, Alpha);
    }

    public ReferenceTensor Linear(ReferenceTensor input, double[] weights, double[]? bias) =>
        ReferenceSegmentation.ConvTranspose(input, weights, bias, Filters, KernelHeight, KernelWidth, Stride, Dilation, Same, OutputPadding);
}

public sealed record UpSampling2DLayer(int SizeHeight, int SizeWidth, bool Bilinear = false) : TestLayer
{
    public override string Attribute =>
        $"UpSampling2D({SizeHeight}{(SizeWidth == SizeHeight ? "" : $", {SizeWidth}")}{(Bilinear ? ", Interpolation = UpSamplingInterpolation.Bilinear" : "")})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        Bilinear ? ReferenceSegmentation.UpSampleBilinear(input, SizeHeight, SizeWidth) : ReferenceSegmentation.UpSampleNearest(input, SizeHeight, SizeWidth);
}

public sealed record Cropping2DLayer(int Top, int Bottom, int Left, int Right) : TestLayer
{
    public override string Attribute => $"Cropping2D({Top}, {Bottom}, {Left}, {Right})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferenceSegmentation.Crop(input, Top, Bottom, Left, Right);
}

/// <summary>Concatenate of the layers named, in order; <see cref="ForwardCase.Reference"/> computes it from all of them.</summary>
public sealed record ConcatenateLayer(params string[] Sources) : TestLayer
{
    public override string Attribute => $"Concatenate({string.Join(", ", Array.ConvertAll(Sources, s => $"\"{s}\""))})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        throw new InvalidOperationException("Concatenate has several inputs; ForwardCase.Reference computes it.");
}
