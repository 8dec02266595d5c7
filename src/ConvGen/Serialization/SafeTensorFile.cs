using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace ConvGen.Serialization;

/// <summary>The contents of a safetensors file, as returned by <see cref="SafeTensors.Read(string)"/>.</summary>
public sealed class SafeTensorFile
{
    private readonly Dictionary<string, SafeTensor> _byName;

    internal SafeTensorFile(string path, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensor> tensors)
    {
        Path = path;
        Metadata = metadata;
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file the tensors were read from (used in messages).</summary>
    public string Path { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    /// <summary>Returns the tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message lists the names the file holds.</exception>
    public SafeTensor Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out SafeTensor? tensor))
        {
            return tensor;
        }
        string held = Tensors.Count == 0
            ? "the file holds no tensors"
            : "the file holds " + string.Join(", ", Tensors.Take(20).Select(t => $"'{t.Name}'")) + (Tensors.Count > 20 ? $" and {Tensors.Count - 20} more" : "");
        throw new KeyNotFoundException($"{Path}: no tensor '{name}'; {held}.");
    }

    /// <summary>Looks up a tensor without throwing.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out SafeTensor? tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out tensor);
    }
}
