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
