using System;
using System.Collections.Generic;

namespace ConvGen.Generators.Model;

/// <summary>Something that speaks for one layer kind: each stage's view of a layer descriptor.</summary>
internal interface ILayerKindPart
{
    LayerKind Kind { get; }
}

/// <summary>
/// One stage's view of every layer kind, looked up by kind. The stages define what they need from
/// a kind as an interface of their own (Parsing/ILayerSyntax, Analysis/ILayerRules,
/// Emit/ILayerEmitter); NetworkGenerator, the composition root, hands each stage a table of the
/// descriptors in Layers/, so no stage names a layer kind's folder. Built once per process and
/// never part of a cached value, so it does not affect incrementality.
/// </summary>
internal sealed class LayerTable<T>
    where T : class, ILayerKindPart
{
    private readonly T?[] _byKind;

    public LayerTable(IEnumerable<T> parts)
    {
        var all = new List<T>(parts);
        _byKind = new T?[Enum.GetValues(typeof(LayerKind)).Length];
        foreach (var part in all)
        {
            if (_byKind[(int)part.Kind] is not null)
            {
                throw new ArgumentException($"two descriptors for {part.Kind}", nameof(parts));
            }
            _byKind[(int)part.Kind] = part;
        }
        for (int k = 0; k < _byKind.Length; k++)
        {
            if (_byKind[k] is null)
            {
                throw new ArgumentException($"no descriptor for {(LayerKind)k}", nameof(parts));
            }
        }
        All = all;
    }

    /// <summary>In declaration order (the order the text form's error message lists them).</summary>
    public IReadOnlyList<T> All { get; }

    public T this[LayerKind kind] => _byKind[(int)kind]!;
}
