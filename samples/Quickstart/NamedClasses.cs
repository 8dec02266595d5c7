using System;
using System.Collections.Generic;
using ConvGen.Data;

namespace Quickstart;

/// <summary>A data source seen with other class names (one per network output), for reports on folders with fewer classes than outputs.</summary>
internal sealed class NamedClasses : IDataSource
{
    private readonly IDataSource _inner;

    public NamedClasses(IDataSource inner, IReadOnlyList<string> classNames)
    {
        _inner = inner;
        ClassNames = classNames;
    }

    public int Count => _inner.Count;

    public int InputLength => _inner.InputLength;

    public int TargetLength => _inner.TargetLength;

    public IReadOnlyList<string>? ClassNames { get; }

    public void Read(int index, Span<float> input, Span<float> target) => _inner.Read(index, input, target);
}
