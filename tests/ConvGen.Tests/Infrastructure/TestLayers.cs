using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// One layer of a test network: the attribute that declares it and the reference computation it
/// must match. Attributes name only non-default options, so the DSL's defaults are exercised too.
/// </summary>
public abstract record TestLayer
{
    /// <summary>The attribute as written in C#, without brackets, e.g. <c>Conv2D(8, 3, Stride = 2)</c>.</summary>
    public abstract string Attribute { get; }

    /// <summary>Computes the layer's output from <paramref name="input"/>, reading any parameters from <paramref name="network"/>.</summary>
    public abstract ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input);

    protected static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><c>, Activation = Activation.X, Alpha = a</c> for non-default choices.</summary>
    protected static string ActivationOptions(Activation activation, double alpha) =>
        (activation == Activation.Linear ? "" : $", Activation = Activation.{activation}")
        + (double.IsNaN(alpha) ? "" : $", Alpha = {Number(alpha)}");
}

public sealed record Conv2DLayer(
    int Filters, int KernelHeight, int KernelWidth, int Stride = 1, int Dilation = 1, bool Same = false,
    Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true) : TestLayer
{
    public override string Attribute =>
        $"Conv2D({Filters}, {KernelHeight}{(KernelWidth == KernelHeight ? "" : $", {KernelWidth}")}"
        + (Stride == 1 ? "" : $", Stride = {Stride}")
        + (Dilation == 1 ? "" : $", Dilation = {Dilation}")
        + (Same ? ", Padding = Padding.Same" : "")
        + ActivationOptions(Activation, Alpha)
        + (UseBias ? "" : ", UseBias = false")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        var weights = NetworkParameters.Weights(network, layerIndex, "HWIO", KernelHeight, KernelWidth, input.Channels, Filters);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, Filters);
        var linear = ReferenceConv2D.Forward(input, weights, bias, Filters, KernelHeight, KernelWidth, Stride, Dilation, Same);
        return ReferenceActivations.Apply(linear, Activation, Alpha);
    }
}

public sealed record Pool2DLayer(bool Max, int PoolHeight, int PoolWidth, int Stride = 0, bool Same = false) : TestLayer
{
    public override string Attribute =>
        $"{(Max ? "MaxPool2D" : "AvgPool2D")}({PoolHeight}{(PoolWidth == PoolHeight ? "" : $", {PoolWidth}")}"
        + (Stride == 0 ? "" : $", Stride = {Stride}")
        + (Same ? ", Padding = Padding.Same" : "")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferencePooling.Window(input, Max, PoolHeight, PoolWidth, Stride, Same);
}

public sealed record GlobalPool2DLayer(bool Max) : TestLayer
{
    public override string Attribute => Max ? "GlobalMaxPool2D" : "GlobalAvgPool2D";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferencePooling.Global(input, Max);
}

public sealed record DenseLayer(int Units, Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true) : TestLayer
{
    public override string Attribute =>
        $"Dense({Units}{ActivationOptions(Activation, Alpha)}{(UseBias ? "" : ", UseBias = false")})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        if (input.Rank != 1)
        {
            throw new InvalidOperationException("Dense takes a rank-1 input; the test network needs a Flatten first.");
        }
        var weights = NetworkParameters.Weights(network, layerIndex, "IO", input.Channels, Units);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, Units);
        return ReferenceActivations.Apply(ReferenceDense.Forward(input, weights, bias, Units), Activation, Alpha);
    }
}

public sealed record FlattenLayer : TestLayer
{
    public override string Attribute => "Flatten";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) => input.Flatten();
}

/// <summary>Dropout is the identity at inference (inverted dropout scales during training instead).</summary>
public sealed record DropoutLayer(double Rate) : TestLayer
{
    public override string Attribute => $"Dropout({Number(Rate)})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) => input;
}

public sealed record ActivationLayer(Activation Activation, double Alpha = double.NaN) : TestLayer
{
    public override string Attribute =>
        $"Activation(Activation.{Activation}{(double.IsNaN(Alpha) ? "" : $", Alpha = {Number(Alpha)}")})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferenceActivations.Apply(input, Activation, Alpha);
}
