using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// One layer of a test network: the attribute that declares it and the reference computation it
/// must match. Attributes name only non-default options, so the DSL's defaults are exercised too.
/// </summary>
public abstract record TestLayer
{
    /// <summary>Layer name, when another layer reads it by name.</summary>
    public string? Name { get; init; }

    /// <summary>The earlier layer this one reads instead of the previous one (<c>Input = "..."</c>).</summary>
    public string? Input { get; init; }

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
    Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true, Pads? Pads = null) : TestLayer
{
    public override string Attribute =>
        $"Conv2D({Filters}, {KernelHeight}{(KernelWidth == KernelHeight ? "" : $", {KernelWidth}")}"
        + (Stride == 1 ? "" : $", Stride = {Stride}")
        + (Dilation == 1 ? "" : $", Dilation = {Dilation}")
        + (Same ? ", Padding = Padding.Same" : "")
        + (Pads?.Options ?? "")
        + ActivationOptions(Activation, Alpha)
        + (UseBias ? "" : ", UseBias = false")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        var weights = NetworkParameters.Weights(network, layerIndex, "HWIO", KernelHeight, KernelWidth, input.Channels, Filters);
        var bias = NetworkParameters.Bias(network, layerIndex, UseBias, Filters);
        var linear = ReferenceConv2D.Forward(input, weights, bias, Filters, KernelHeight, KernelWidth, Stride, Dilation, Same, Pads);
        return ReferenceActivations.Apply(linear, Activation, Alpha);
    }
}

public sealed record Pool2DLayer(bool Max, int PoolHeight, int PoolWidth, int Stride = 0, bool Same = false, Pads? Pads = null) : TestLayer
{
    public override string Attribute =>
        $"{(Max ? "MaxPool2D" : "AvgPool2D")}({PoolHeight}{(PoolWidth == PoolHeight ? "" : $", {PoolWidth}")}"
        + (Stride == 0 ? "" : $", Stride = {Stride}")
        + (Same ? ", Padding = Padding.Same" : "")
        + (Pads?.Options ?? "")
        + ")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        ReferencePooling.Window(input, Max, PoolHeight, PoolWidth, Stride, Same, Pads);
}

public sealed record GlobalPool2DLayer(bool Max, bool KeepDims = false) : TestLayer
{
    public override string Attribute => (Max ? "GlobalMaxPool2D" : "GlobalAvgPool2D") + (KeepDims ? "(KeepDims = true)" : "");

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) => Pool(input);

    /// <summary>One value per channel, as [C] or, with <see cref="KeepDims"/>, [1,1,C].</summary>
    public ReferenceTensor Pool(ReferenceTensor input)
    {
        var pooled = ReferencePooling.Global(input, Max);
        return KeepDims ? pooled.Reshape(1, 1, pooled.Channels, 3) : pooled;
    }
}

public sealed record DenseLayer(int Units, Activation Activation = Activation.Linear, double Alpha = double.NaN, bool UseBias = true) : TestLayer
{
    public override string Attribute =>
        $"Dense({Units}{ActivationOptions(Activation, Alpha)}{(UseBias ? "" : ", UseBias = false")})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        if (input.Rank != 1 && (input.Height != 1 || input.Width != 1))
        {
            throw new InvalidOperationException("Dense takes a rank-1 input or a 1x1 map; the test network needs a Flatten first.");
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

/// <summary>
/// Residual sum of two earlier layers (named by their <see cref="TestLayer.Name"/>, or
/// <c>input</c>); <see cref="ForwardCase"/> routes both inputs, so <see cref="Reference"/> only
/// applies the activation to the sum it is given.
/// </summary>
public sealed record AddLayer(string First, string Second, Activation Activation = Activation.Linear, double Alpha = double.NaN) : TestLayer
{
    public override string Attribute => $"Add(\"{First}\", \"{Second}\"{ActivationOptions(Activation, Alpha)})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        throw new InvalidOperationException("Add has two inputs; ForwardCase.Reference computes it.");

    public static ReferenceTensor Sum(ReferenceTensor a, ReferenceTensor b)
    {
        Assert.Equal(a.SampleShape, b.SampleShape);
        var sum = new ReferenceTensor(a.Batch, a.Height, a.Width, a.Channels, a.Rank);
        for (int i = 0; i < sum.Values.Length; i++)
        {
            sum.Values[i] = a.Values[i] + b.Values[i];
        }
        return sum;
    }
}

/// <summary>BatchNorm; at inference it normalises with the running statistics the network holds.</summary>
public sealed record BatchNormLayer(double Epsilon = double.NaN, double Momentum = double.NaN) : TestLayer
{
    /// <summary>Keras's default, which the attribute uses when Epsilon is not written.</summary>
    public double EffectiveEpsilon => double.IsNaN(Epsilon) ? 1e-3 : Epsilon;

    public double EffectiveMomentum => double.IsNaN(Momentum) ? 0.99 : Momentum;

    public override string Attribute =>
        "BatchNorm" + (double.IsNaN(Epsilon) && double.IsNaN(Momentum) ? ""
            : "(" + string.Join(", ", new[] { double.IsNaN(Epsilon) ? null : $"Epsilon = {Number(Epsilon)}", double.IsNaN(Momentum) ? null : $"Momentum = {Number(Momentum)}" }.Where(o => o is not null)) + ")");

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input)
    {
        double[] Tensor(string role) => NetworkParameters.Named(network, layerIndex, role, input.Channels);
        return ReferenceBatchNorm.Inference(input, Tensor("gamma"), Tensor("beta"), Tensor("running_mean"), Tensor("running_var"), EffectiveEpsilon);
    }
}
