using System;
using System.Linq;

namespace ConvGen;

/// <summary>Read and write a network's parameter tensors by name, with shape checks.</summary>
public static class ParameterAccess
{
    /// <summary>The tensor called <paramref name="name"/> (e.g. <c>conv2d.weight</c>), or a clear error listing the names that exist.</summary>
    public static ParameterInfo Tensor(this INetwork network, string name)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.ParameterTensors.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException(
                $"{network.GetType().Name} has no parameter tensor '{name}'; it has: {string.Join(", ", network.ParameterTensors.Select(t => t.Name))}.",
                nameof(name));
    }

    /// <summary>A writable view of the tensor called <paramref name="name"/>.</summary>
    public static Span<float> Parameter(this INetwork network, string name)
    {
        var tensor = network.Tensor(name);
        return network.Parameters.Slice(tensor.Offset, tensor.Length);
    }

    /// <summary>Copies <paramref name="values"/> into the tensor called <paramref name="name"/>; the length must match its shape exactly.</summary>
    public static void SetParameter(this INetwork network, string name, ReadOnlySpan<float> values)
    {
        var tensor = network.Tensor(name);
        if (values.Length != tensor.Length)
        {
            throw new ArgumentException(
                $"{network.GetType().Name}: parameter '{name}' has shape [{string.Join(",", tensor.Shape)}] ({tensor.Layout}, {tensor.Length} floats) but {values.Length} floats were given.",
                nameof(values));
        }
        values.CopyTo(network.Parameters.Slice(tensor.Offset, tensor.Length));
    }
}
