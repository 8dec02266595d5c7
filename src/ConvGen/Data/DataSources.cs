using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Data;

/// <summary>Subsets, splits and copies of any <see cref="IDataSource"/>.</summary>
public static class DataSources
{
    /// <summary>The samples at <paramref name="indices"/>: copied for in-memory data, a view otherwise.</summary>
    public static IDataSource Subset(this IDataSource source, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        return source is Dataset dataset ? dataset.Subset(indices) : new SubsetSource(source, indices);
    }

    /// <summary>Seeded random split, the same draw as <see cref="Dataset.Split"/>.</summary>
    public static (IDataSource Train, IDataSource Validation) Split(this IDataSource source, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is Dataset dataset)
        {
            return dataset.Split(validationFraction, seed);
        }
        var (train, validation) = SplitIndices(source.Count, validationFraction, seed);
        return (new SubsetSource(source, train), new SubsetSource(source, validation));
    }

    /// <summary>Reads every sample into memory.</summary>
    public static Dataset ToDataset(this IDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is Dataset dataset)
        {
            return dataset;
        }
        var inputs = new float[(long)source.Count * source.InputLength];
        var targets = new float[(long)source.Count * source.TargetLength];
        for (int i = 0; i < source.Count; i++)
        {
            source.Read(i, inputs.AsSpan(i * source.InputLength, source.InputLength), targets.AsSpan(i * source.TargetLength, source.TargetLength));
        }
        return new Dataset(inputs, targets, source.Count, source.InputLength, source.TargetLength, source.ClassNames);
    }

    /// <summary>
    /// <c>round(count * fraction)</c> indices drawn for validation (partial Fisher–Yates on a
    /// stream of the seed), the rest for training; both sorted.
    /// </summary>
    public static (int[] Train, int[] Validation) SplitIndices(int count, double validationFraction, ulong seed)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "validationFraction must be at least 0 and below 1.");
        }
        int validationCount = (int)Math.Round(count * validationFraction, MidpointRounding.AwayFromZero);
        int[] order = Enumerable.Range(0, count).ToArray();
        var random = new SeededRandom(seed, stream: 0x5B1);
        for (int i = 0; i < validationCount; i++)
        {
            int j = i + random.NextInt32(count - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int[] validation = order[..validationCount];
        int[] train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }

    private sealed class SubsetSource : IDataSource
    {
        private readonly IDataSource _source;
        private readonly int[] _indices;

        public SubsetSource(IDataSource source, int[] indices)
        {
            for (int k = 0; k < indices.Length; k++)
            {
                if ((uint)indices[k] >= (uint)source.Count)
                {
                    throw new ArgumentOutOfRangeException(nameof(indices), indices[k], $"indices[{k}] is {indices[k]}; sample indices must be from 0 to {source.Count - 1}.");
                }
            }
            _source = source;
            _indices = indices;
        }

        public int Count => _indices.Length;
        public int InputLength => _source.InputLength;
        public int TargetLength => _source.TargetLength;
        public IReadOnlyList<string>? ClassNames => _source.ClassNames;

        public void Read(int index, Span<float> input, Span<float> target) => _source.Read(_indices[index], input, target);
    }
}
