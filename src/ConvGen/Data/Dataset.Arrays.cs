using System;
using System.Collections.Generic;

namespace ConvGen.Data;

public sealed partial class Dataset
{
    /// <summary>
    /// In-memory data from one array per sample: <paramref name="inputs"/>[i] is sample i's input
    /// (NHWC for images), <paramref name="targets"/>[i] its target (regression values, a one-hot
    /// row or 0/1 labels). All rows of each kind must have the same length. The rows are copied.
    /// </summary>
    public static Dataset FromArrays(IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count != targets.Count)
        {
            throw new ArgumentException($"There are {inputs.Count} inputs but {targets.Count} targets; give one target per input.", nameof(targets));
        }
        if (inputs.Count == 0)
        {
            throw new ArgumentException("There are no samples; the input length cannot be known from an empty array.", nameof(inputs));
        }
        int inputLength = RowLength(inputs, nameof(inputs));
        int targetLength = RowLength(targets, nameof(targets));
        var inputBuffer = new float[(long)inputs.Count * inputLength];
        var targetBuffer = new float[(long)targets.Count * targetLength];
        for (int i = 0; i < inputs.Count; i++)
        {
            inputs[i].CopyTo(inputBuffer, (long)i * inputLength);
            targets[i].CopyTo(targetBuffer, (long)i * targetLength);
        }
        return new Dataset(inputBuffer, targetBuffer, inputs.Count, inputLength, targetLength, classNames);
    }

    /// <summary>
    /// In-memory classification data with one class index per sample (sparse targets, for
    /// <c>SparseSoftmaxCrossEntropy</c>). Every label must be in [0, <paramref name="classNames"/>.Count).
    /// </summary>
    public static Dataset FromLabels(IReadOnlyList<float[]> inputs, IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        var targets = new float[labels.Count][];
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"labels[{i}] is {labels[i]}, not a class index from 0 to {classNames.Count - 1}.");
            }
            targets[i] = new float[] { labels[i] };
        }
        return FromArrays(inputs, targets, classNames);
    }

    /// <summary>In-memory data from two matrices: row i of <paramref name="inputs"/> and of <paramref name="targets"/> is sample i.</summary>
    public static Dataset FromArrays(float[,] inputs, float[,] targets, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        int count = inputs.GetLength(0);
        if (targets.GetLength(0) != count)
        {
            throw new ArgumentException($"inputs has {count} rows but targets has {targets.GetLength(0)}; give one target row per input row.", nameof(targets));
        }
        var inputBuffer = new float[inputs.Length];
        var targetBuffer = new float[targets.Length];
        Buffer.BlockCopy(inputs, 0, inputBuffer, 0, inputs.Length * sizeof(float));
        Buffer.BlockCopy(targets, 0, targetBuffer, 0, targets.Length * sizeof(float));
        return new Dataset(inputBuffer, targetBuffer, count, inputs.GetLength(1), targets.GetLength(1), classNames);
    }

    private static int RowLength(IReadOnlyList<float[]> rows, string name)
    {
        int length = rows[0]?.Length ?? throw new ArgumentException($"{name}[0] is null.", name);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null)
            {
                throw new ArgumentException($"{name}[{i}] is null.", name);
            }
            if (rows[i].Length != length)
            {
                throw new ArgumentException($"{name}[{i}] has {rows[i].Length} values but {name}[0] has {length}; every row must have the same length.", name);
            }
        }
        if (length == 0)
        {
            throw new ArgumentException($"The rows of {name} are empty.", name);
        }
        return length;
    }
}
