using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Transfer;

/// <summary>
/// Copies parameter tensors into a network by name — from a weights file (e.g. one written by
/// <c>convgen import</c> or <see cref="WeightsFile.Save"/>) or from another network — for
/// transfer learning, where the two networks share a backbone but differ in their head. Every
/// tensor is accounted for in the returned <see cref="TransferReport"/>: copied, refused for its
/// shape, missing from the source, or left unused in it. Nothing is copied unless every tensor
/// whose name matches also has the right shape and only finite values, so a wrong file never
/// leaves a half-loaded network.
/// </summary>
public static class WeightTransfer
{
    /// <summary>Copies every tensor of <paramref name="path"/> whose name is a parameter of <paramref name="target"/>.</summary>
    /// <exception cref="TransferException">A tensor with a matching name has another shape or a NaN or infinity (all of them listed); nothing was copied.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file is not a valid safetensors file.</exception>
    public static TransferReport LoadMatching(INetwork target, string path)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Read(path);
        return Copy(target, path, file.Tensors.Select(t => new Source(t.Name, t.Shape, t.Data)));
    }

    /// <summary>Copies every parameter tensor of <paramref name="source"/> whose name is a parameter of <paramref name="target"/>.</summary>
    /// <exception cref="TransferException">A tensor with a matching name has another shape (all of them listed); nothing was copied.</exception>
    public static TransferReport CopyMatching(INetwork source, INetwork target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var parameters = source.Parameters.ToArray();
        return Copy(target, source.GetType().Name, source.ParameterTensors.Select(
            t => new Source(t.Name, t.Shape.ToArray(), new ReadOnlyMemory<float>(parameters, t.Offset, t.Length))));
    }

    private readonly record struct Source(string Name, IReadOnlyList<int> Shape, ReadOnlyMemory<float> Values);

    private static TransferReport Copy(INetwork target, string origin, IEnumerable<Source> sources)
    {
        var byName = new Dictionary<string, Source>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            byName[source.Name] = source;
        }
        var copied = new List<TransferredTensor>();
        var mismatched = new List<string>();
        var missing = new List<TransferredTensor>();
        foreach (var tensor in target.ParameterTensors)
        {
            if (!byName.TryGetValue(tensor.Name, out var source))
            {
                missing.Add(new TransferredTensor(tensor.Name, tensor.LayerName, tensor.Shape));
            }
            else if (!source.Shape.SequenceEqual(tensor.Shape))
            {
                mismatched.Add($"'{tensor.Name}': {origin} has {SafeTensor.FormatShape(source.Shape)}, {target.GetType().Name} expects {SafeTensor.FormatShape(tensor.Shape)} ({tensor.Layout})");
            }
            else if (FiniteValues.Describe(source.Values.Span) is string notFinite)
            {
                // A NaN copied into the network would only surface later, as a diverged run.
                mismatched.Add($"'{tensor.Name}': {origin} {notFinite}");
            }
            else
            {
                copied.Add(new TransferredTensor(tensor.Name, tensor.LayerName, tensor.Shape));
            }
        }
        if (mismatched.Count > 0)
        {
            throw new TransferException(
                $"Cannot load {origin} into {target.GetType().Name}: {mismatched.Count} tensor(s) have the right name but the wrong shape or non-finite values; nothing was copied.{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", mismatched));
        }
        var parameters = target.Parameters;
        foreach (var tensor in target.ParameterTensors)
        {
            if (byName.TryGetValue(tensor.Name, out var source))
            {
                source.Values.Span.CopyTo(parameters.Slice(tensor.Offset, tensor.Length));
                byName.Remove(tensor.Name);
            }
        }
        var unused = byName.Values.Select(s => new TransferredTensor(s.Name, null, s.Shape.ToArray())).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        return new TransferReport(origin, copied, missing, unused);
    }
}

/// <summary>A tensor named in a <see cref="TransferReport"/>.</summary>
/// <param name="Name">Tensor name, e.g. <c>conv2d.weight</c>.</param>
/// <param name="LayerName">Owning layer in the target network (null for tensors only the source has).</param>
/// <param name="Shape">Dimensions.</param>
public sealed record TransferredTensor(string Name, string? LayerName, IReadOnlyList<int> Shape)
{
    /// <summary>Number of values.</summary>
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>What <see cref="WeightTransfer"/> copied and what it could not.</summary>
/// <param name="Origin">The file or network the tensors came from.</param>
/// <param name="Copied">Target tensors filled from the source.</param>
/// <param name="Missing">Target tensors the source does not have: they keep their values (e.g. a new head's initial weights).</param>
/// <param name="Unused">Source tensors the target does not have (e.g. the old head's).</param>
public sealed record TransferReport(string Origin, IReadOnlyList<TransferredTensor> Copied, IReadOnlyList<TransferredTensor> Missing, IReadOnlyList<TransferredTensor> Unused)
{
    /// <summary>Layers all of whose tensors were copied, in network order.</summary>
    public IReadOnlyList<string> CompleteLayers =>
        Copied.Select(t => t.LayerName!).Distinct().Where(layer => Missing.All(m => m.LayerName != layer)).ToList();

    /// <summary>Throws unless every tensor of the target was copied.</summary>
    /// <exception cref="TransferException">Some target tensors were not in the source; the message lists them.</exception>
    public void ThrowIfIncomplete()
    {
        if (Missing.Count > 0)
        {
            throw new TransferException($"{Origin} lacks {Missing.Count} tensor(s) of the network: "
                + string.Join(", ", Missing.Take(12).Select(m => $"'{m.Name}' {SafeTensor.FormatShape(m.Shape)}"))
                + (Missing.Count > 12 ? $" and {Missing.Count - 12} more." : "."));
        }
    }

    /// <summary>One summary line and the tensors not copied, e.g. for a console.</summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            $"Loaded {Copied.Count} tensor(s), {Copied.Sum(t => t.Length):N0} values, from {Origin}; "
            + $"{Missing.Count} tensor(s) kept their own values; {Unused.Count} tensor(s) of the source unused.",
        };
        lines.AddRange(Missing.Select(m => $"  kept:   {m.Name} {SafeTensor.FormatShape(m.Shape)}"));
        lines.AddRange(Unused.Select(u => $"  unused: {u.Name} {SafeTensor.FormatShape(u.Shape)}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Weights that do not fit the network they are loaded into.</summary>
public sealed class TransferException(string message) : Exception(message);
