using System;
using System.Linq;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Reads a layer's parameter tensors out of a network through its published metadata, checking
/// on the way that the metadata states the layout and shape the reference assumes.
/// </summary>
public static class NetworkParameters
{
    public static double[] Weights(INetwork network, int layerIndex, string layout, params int[] shape)
    {
        var tensor = network.ParameterTensors.SingleOrDefault(t => t.LayerIndex == layerIndex && t.Layout == layout);
        Assert.True(tensor is not null, $"layer {layerIndex} has no {layout} weight tensor");
        Assert.Equal(shape, tensor!.Shape);
        return Read(network, tensor);
    }

    /// <summary>The bias of a layer, or null when the layer was declared without one (which is then checked).</summary>
    public static double[]? Bias(INetwork network, int layerIndex, bool expected, int length)
    {
        var tensor = network.ParameterTensors.SingleOrDefault(t => t.LayerIndex == layerIndex && t.Layout == "O");
        if (!expected)
        {
            Assert.True(tensor is null, $"layer {layerIndex} was declared with UseBias = false but has a bias tensor");
            return null;
        }
        Assert.True(tensor is not null, $"layer {layerIndex} has no bias tensor");
        Assert.Equal(new[] { length }, tensor!.Shape);
        return Read(network, tensor);
    }

    /// <summary>A per-channel tensor called <c>{layer}.{role}</c> (BatchNorm's gamma, beta, running_mean, running_var).</summary>
    public static double[] Named(INetwork network, int layerIndex, string role, int length)
    {
        var tensor = network.ParameterTensors.SingleOrDefault(t => t.LayerIndex == layerIndex && t.Name.EndsWith("." + role, StringComparison.Ordinal));
        Assert.True(tensor is not null, $"layer {layerIndex} has no '{role}' tensor");
        Assert.Equal(new[] { length }, tensor!.Shape);
        return Read(network, tensor);
    }

    private static double[] Read(INetwork network, ParameterInfo tensor)
    {
        Assert.Equal(tensor.Shape.Aggregate(1, (a, b) => a * b), tensor.Length);
        var values = network.Parameters.Slice(tensor.Offset, tensor.Length);
        var copy = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            copy[i] = values[i];
        }
        return copy;
    }

    /// <summary>
    /// Fills every tensor with seeded uniform values: weights scaled by 3/sqrt(fan-in), so each
    /// pre-activation has about unit variance and the activations see both their linear part
    /// and their tails; biases in [-0.5, 0.5] so that their addition is visible.
    /// </summary>
    public static void Randomize(INetwork network, ulong seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var parameters = network.Parameters;
        foreach (var tensor in network.ParameterTensors)
        {
            int fanIn = tensor.Layout == "O" ? 0 : tensor.Length / tensor.Shape[^1];
            double scale = fanIn == 0 ? 0.5 : 3.0 / Math.Sqrt(fanIn);
            // A variance must be positive, and a BatchNorm scale near zero would hide its input.
            double offset = tensor.Name.EndsWith(".running_var", StringComparison.Ordinal) ? 1.0
                : tensor.Name.EndsWith(".gamma", StringComparison.Ordinal) ? 1.0 : 0.0;
            var values = parameters.Slice(tensor.Offset, tensor.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(offset + (random.NextDouble() * 2 - 1) * scale);
            }
        }
    }
}
