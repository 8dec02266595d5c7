using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Gradients;

/// <summary>Building blocks for gradient-check networks.</summary>
internal static class GradientCases
{
    /// <summary>Channels of the network input in front of the trainable 1x1 layer.</summary>
    public const int InputChannels = 2;

    /// <summary>
    /// A network whose first layer is a linear, trainable 1x1 convolution producing
    /// <paramref name="channels"/> channels, followed by <paramref name="layers"/>. The layers under
    /// test then sit above a trainable layer, so their input gradient is checked through its
    /// weight gradient (<c>dW[ci,co] = sum over positions of x[ci] * dInput[co]</c>, which a
    /// misrouted, mis-scaled or missing input gradient changes because x is random).
    /// </summary>
    public static ForwardCase WithTrainableInput(string name, int height, int width, int channels, params TestLayer[] layers) =>
        WithTrainableInput(name, height, width, channels, 1.0, layers);

    public static ForwardCase WithTrainableInput(string name, int height, int width, int channels, double inputScale, params TestLayer[] layers) =>
        new(name, height, width, InputChannels, new TestLayer[] { new Conv2DLayer(channels, 1, 1) }.Concat(layers).ToList(), inputScale);
}
