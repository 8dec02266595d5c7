using System;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Product of two earlier layers (named by their <see cref="TestLayer.Name"/>); like
/// <see cref="AddLayer"/>, <see cref="ForwardCase"/> routes both inputs to <see cref="ReferenceMultiply"/>.
/// </summary>
public sealed record MultiplyLayer(string First, string Second) : TestLayer
{
    public override string Attribute => $"Multiply(\"{First}\", \"{Second}\")";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        throw new InvalidOperationException("Multiply has two inputs; ForwardCase.Reference computes it.");
}

/// <summary>Reshape to [Height,Width,Channels] (Rank 3) or to a vector of Channels (Rank 1).</summary>
public sealed record ReshapeLayer(int Height, int Width, int Channels, int Rank = 3) : TestLayer
{
    public override string Attribute => Rank == 1 ? $"Reshape({Channels})" : $"Reshape({Height}, {Width}, {Channels})";

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        input.Reshape(Height, Width, Channels, Rank);
}

/// <summary>GroupNormalization (<see cref="Groups"/> &gt; 0) or, with Groups = 0, LayerNormalization; Keras defaults unless written.</summary>
public sealed record GroupNormLayer(int Groups, double Epsilon = double.NaN, bool Center = true, bool Scale = true) : TestLayer
{
    public double EffectiveEpsilon => double.IsNaN(Epsilon) ? 1e-3 : Epsilon;

    public override string Attribute
    {
        get
        {
            var options = new System.Collections.Generic.List<string>();
            if (!double.IsNaN(Epsilon)) options.Add($"Epsilon = {Number(Epsilon)}");
            if (!Center) options.Add("Center = false");
            if (!Scale) options.Add("Scale = false");
            string head = Groups > 0 ? $"GroupNormalization({Groups}" : "LayerNormalization(";
            string all = string.Join(", ", options);
            return Groups > 0 ? head + (all.Length > 0 ? ", " + all : "") + ")" : all.Length > 0 ? head + all + ")" : "LayerNormalization";
        }
    }

    public override ReferenceTensor Reference(INetwork network, int layerIndex, ReferenceTensor input) =>
        Apply(input, Scale ? NetworkParameters.Named(network, layerIndex, "gamma", input.Channels) : null,
            Center ? NetworkParameters.Named(network, layerIndex, "beta", input.Channels) : null);

    public ReferenceTensor Apply(ReferenceTensor input, double[]? gamma, double[]? beta) => Groups > 0
        ? ReferenceGroupNorm.GroupNorm(input, Groups, EffectiveEpsilon, gamma, beta)
        : ReferenceGroupNorm.LayerNorm(input, EffectiveEpsilon, gamma, beta);
}
