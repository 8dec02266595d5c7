using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Data;

/// <summary>
/// Samples held in memory as two flat buffers: <see cref="Count"/> inputs of
/// <see cref="InputLength"/> floats (NHWC for images) and as many targets of
/// <see cref="TargetLength"/> floats (1 for a sparse class label, the class count for one-hot,
/// the output count for regression). Flat buffers let a training loop gather a batch with plain
/// span copies.
/// </summary>
public sealed partial class Dataset : IDataSource
{
    // Memory, not arrays: a dense Tensor<float> is held as it is (Dataset.Tensors.cs).
    private readonly ReadOnlyMemory<float> _inputs;
    private readonly ReadOnlyMemory<float> _targets;

    /// <summary>Wraps the buffers (not copied: do not modify them afterwards).</summary>
    /// <param name="inputs"><paramref name="count"/> * <paramref name="inputLength"/> floats.</param>
    /// <param name="targets"><paramref name="count"/> * <paramref name="targetLength"/> floats.</param>
    /// <param name="count">Number of samples, at least 0.</param>
    /// <param name="inputLength">Floats per input, at least 1.</param>
    /// <param name="targetLength">Floats per target, at least 1.</param>
    /// <param name="classNames">Optional class names for reports (confusion matrix).</param>
    public Dataset(float[] inputs, float[] targets, int count, int inputLength, int targetLength, IReadOnlyList<string>? classNames = null)
        : this((ReadOnlyMemory<float>)(inputs ?? throw new ArgumentNullException(nameof(inputs))), (ReadOnlyMemory<float>)(targets ?? throw new ArgumentNullException(nameof(targets))), count, inputLength, targetLength, classNames)
    {
    }

    private Dataset(ReadOnlyMemory<float> inputs, ReadOnlyMemory<float> targets, int count, int inputLength, int targetLength, IReadOnlyList<string>? classNames)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be 0 or more.");
        }
        if (inputLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, "inputLength must be at least 1.");
        }
        if (targetLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLength), targetLength, "targetLength must be at least 1.");
        }
        if (inputs.Length != (long)count * inputLength)
        {
            throw new ArgumentException(
                $"inputs holds {inputs.Length} floats but {count} samples of {inputLength} need {(long)count * inputLength}.", nameof(inputs));
        }
        if (targets.Length != (long)count * targetLength)
        {
            throw new ArgumentException(
                $"targets holds {targets.Length} floats but {count} samples of {targetLength} need {(long)count * targetLength}.", nameof(targets));
        }
        if (classNames is not null && classNames.Any(name => name is null))
        {
            throw new ArgumentException("classNames contains a null name.", nameof(classNames));
        }
        _inputs = inputs;
        _targets = targets;
        Count = count;
        InputLength = inputLength;
        TargetLength = targetLength;
        ClassNames = classNames?.ToArray();
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Floats per input.</summary>
    public int InputLength { get; }

    /// <summary>Floats per target.</summary>
    public int TargetLength { get; }

    /// <summary>Class names, or null when the dataset has none (regression, or not given).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// Where the samples were read from (the label or CSV file), named by training errors about a
    /// sample; null when unknown. Not carried over to subsets, whose sample indices differ.
    /// </summary>
    public string? SourceName { get; init; }

    /// <summary>All inputs, sample after sample.</summary>
    public ReadOnlySpan<float> Inputs => _inputs.Span;

    /// <summary>All targets, sample after sample.</summary>
    public ReadOnlySpan<float> Targets => _targets.Span;

    /// <summary>The input of sample <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Input(int i)
    {
        CheckIndex(i, nameof(i));
        return _inputs.Span.Slice(i * InputLength, InputLength);
    }

    /// <summary>The target of sample <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Target(int i)
    {
        CheckIndex(i, nameof(i));
        return _targets.Span.Slice(i * TargetLength, TargetLength);
    }

    /// <summary>A new dataset of the samples at <paramref name="indices"/>, in that order (repeats allowed); the data is copied.</summary>
    public Dataset Subset(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        for (int k = 0; k < indices.Length; k++)
        {
            if ((uint)indices[k] >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[k], $"indices[{k}] is {indices[k]}; sample indices must be from 0 to {Count - 1}.");
            }
        }
        var inputs = new float[(long)indices.Length * InputLength];
        var targets = new float[(long)indices.Length * TargetLength];
        for (int k = 0; k < indices.Length; k++)
        {
            Input(indices[k]).CopyTo(inputs.AsSpan(k * InputLength, InputLength));
            Target(indices[k]).CopyTo(targets.AsSpan(k * TargetLength, TargetLength));
        }
        return new Dataset(inputs, targets, indices.Length, InputLength, TargetLength, ClassNames);
    }

    /// <summary>
    /// Splits the samples at random into training and validation sets:
    /// <c>round(Count * validationFraction)</c> samples go to validation. The draw depends only on
    /// <paramref name="seed"/>; both parts keep the original sample order (training shuffles anyway).
    /// </summary>
    /// <param name="validationFraction">Share of samples for validation, in [0, 1).</param>
    /// <param name="seed">Seed of the random draw.</param>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, ulong seed)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, "validationFraction must be at least 0 and below 1.");
        }
        var (train, validation) = DataSources.SplitIndices(Count, validationFraction, seed);
        return (Subset(train), Subset(validation));
    }

    /// <inheritdoc/>
    public void Read(int index, Span<float> input, Span<float> target)
    {
        Input(index).CopyTo(input);
        Target(index).CopyTo(target);
    }

    private void CheckIndex(int i, string name)
    {
        if ((uint)i >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(name, i, $"sample index must be from 0 to {Count - 1}.");
        }
    }
}
