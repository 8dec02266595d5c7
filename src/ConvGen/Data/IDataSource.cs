using System;
using System.Collections.Generic;

namespace ConvGen.Data;

/// <summary>
/// Samples by index: in memory (<see cref="Dataset"/>), or read from disk on demand (image
/// folders larger than RAM). Training reads through it one batch ahead: on a background thread, or, when its
/// threads take every core and the samples are in memory, on the training threads during the step before.
/// </summary>
public interface IDataSource
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Floats per input sample (NHWC without the batch axis).</summary>
    int InputLength { get; }

    /// <summary>Floats per target (1 for a class index).</summary>
    int TargetLength { get; }

    /// <summary>Class names, when the targets are classes.</summary>
    IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Copies sample <paramref name="index"/> into the spans. Must be safe to call from several threads for different indices.</summary>
    void Read(int index, Span<float> input, Span<float> target);
}

/// <summary>Changes one training sample in place (augmentation); called only in training, with a generator seeded per epoch and sample.</summary>
public interface ISampleAugmentation
{
    /// <summary>Transforms <paramref name="sample"/> (one NHWC sample) in place.</summary>
    void Apply(Span<float> sample, ref SeededRandom random);
}

/// <summary>
/// An augmentation that also changes the sample's target, as segmentation must move the mask
/// with the image; training calls <see cref="Apply(Span{float}, Span{float}, ref SeededRandom)"/>
/// instead of the input-only form.
/// </summary>
public interface ISampleTargetAugmentation : ISampleAugmentation
{
    /// <summary>Transforms one sample's input and its target in place, from the same random draws.</summary>
    void Apply(Span<float> sample, Span<float> target, ref SeededRandom random);
}
