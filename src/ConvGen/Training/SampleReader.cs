using System;
using ConvGen.Data;

namespace ConvGen.Training;

/// <summary>
/// Reads one training sample into a row of a batch and augments it. Each sample's augmentation is
/// seeded by the epoch and the sample's place in the epoch's order, so a batch's contents depend on
/// neither the thread that reads it nor when.
/// </summary>
internal sealed class SampleReader
{
    private readonly IDataSource _source;
    private readonly ISampleAugmentation? _augmentation;
    private readonly ulong _seed;

    public SampleReader(IDataSource source, ISampleAugmentation? augmentation, ulong seed)
    {
        _source = source;
        _augmentation = augmentation;
        _seed = seed;
    }

    /// <summary>Sample <paramref name="sample"/> of the source, at <paramref name="position"/> in epoch <paramref name="epoch"/>'s order, into row <paramref name="row"/>.</summary>
    public void Read(BatchBuffer batch, int row, int sample, int position, int epoch)
    {
        int inputLength = _source.InputLength;
        int targetLength = _source.TargetLength;
        var input = batch.Inputs.AsSpan(row * inputLength, inputLength);
        var target = batch.Targets.AsSpan(row * targetLength, targetLength);
        batch.Samples[row] = sample;
        _source.Read(sample, input, target);
        if (_augmentation is not null)
        {
            // One stream per (epoch, position): the same seed gives the same augmented batches.
            var random = new SeededRandom(_seed, 0xA0_0000_0000UL + ((ulong)(uint)epoch << 24) + (ulong)position);
            if (_augmentation is ISampleTargetAugmentation paired)
            {
                paired.Apply(input, target, ref random); // segmentation: the mask moves with the image
            }
            else
            {
                _augmentation.Apply(input, ref random);
            }
        }
    }
}
