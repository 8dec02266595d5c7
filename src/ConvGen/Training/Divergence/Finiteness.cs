using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace ConvGen.Training;

/// <summary>Vectorised NaN / infinity scans of training buffers.</summary>
internal static class Finiteness
{
    /// <summary>True when every value is finite (one SIMD pass; no allocation).</summary>
    public static bool All(ReadOnlySpan<float> values) => TensorPrimitives.IsFiniteAll(values);

    /// <summary>Index of the first NaN or infinity, or -1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        if (All(values))
        {
            return -1;
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Names the first non-finite value among the network's parameters (weights and running
    /// statistics) and the optimizer's state, e.g. <c>conv2d.weight[17] is NaN</c>; null when all are finite.
    /// </summary>
    public static string? DescribeNonFinite(ITrainableNetwork network, Optimizer optimizer)
    {
        ReadOnlySpan<float> parameters = network.Parameters;
        if (!All(parameters))
        {
            foreach (var tensor in network.ParameterTensors)
            {
                int at = FirstNonFinite(parameters.Slice(tensor.Offset, tensor.Length));
                if (at >= 0)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{tensor.Name}[{at}] is {parameters[tensor.Offset + at]}");
                }
            }
        }
        foreach (var (name, values) in optimizer.State)
        {
            int at = FirstNonFinite(values);
            if (at >= 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the optimizer's {name}[{at}] is {values[at]}");
            }
        }
        return null;
    }
}
