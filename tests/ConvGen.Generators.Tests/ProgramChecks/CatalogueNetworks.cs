namespace ConvGen.Generators.Tests.ProgramChecks;

/// <summary>The networks the catalogue's programs train: the shapes of a lecture's exercises.</summary>
internal static class CatalogueNetworks
{
    /// <summary>
    /// DigitNet: 28x28x1 → 10, softmax, 4 layers. CatNet: 16x16x3 → 1, sigmoid.
    /// EdgeNet: 8x8x1 → 8x8x1, linear (per-pixel regression). TanhNet: 4x4x1 → 2, tanh.
    /// LogitNet: 28x28x1 → 10, no activation (logits).
    /// </summary>
    public const string Source = """
        using ConvGen;

        namespace Lecture;

        [Network(Input = "28x28x1")]
        [Conv2D(8, 3, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(10, Activation = Activation.Softmax)]
        public sealed partial class DigitNet;

        [Network(Input = "16x16x3")]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [GlobalAvgPool2D]
        [Dense(1, Activation = Activation.Sigmoid)]
        public sealed partial class CatNet;

        [Network(Input = "8x8x1")]
        [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [Conv2D(1, 3, Padding = Padding.Same)]
        public sealed partial class EdgeNet;

        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2, Activation = Activation.Tanh)]
        public sealed partial class TanhNet;

        [Network(Input = "28x28x1")]
        [Flatten]
        [Dense(10)]
        public sealed partial class LogitNet;
        """;

    /// <summary>What every catalogue program starts with.</summary>
    public const string Usings = """
        using System;
        using ConvGen;
        using ConvGen.Augmentation;
        using ConvGen.Data;
        using ConvGen.Training;
        using Lecture;

        """;
}
