using System.Collections.Generic;

namespace ConvGen.Generators.Emit;

/// <summary>
/// How a layer's channel axis is split into register tiles: repeated blocks of up to
/// <see cref="MaxVectors"/> Vector256 accumulators, then one smaller vector block, then scalar
/// accumulators for the channels that do not fill a vector.
/// </summary>
internal readonly record struct ChannelBlock(int Start, int Vectors, int Scalars, int Repeat)
{
    public const int Lanes = 8;
    public const int MaxVectors = 8;

    /// <summary>Channels covered by one repetition.</summary>
    public int Width => Vectors * Lanes + Scalars;

    public static List<ChannelBlock> Split(int channels) => Split(channels, Lanes, MaxVectors);

    /// <summary>The same split for vectors of <paramref name="lanes"/> floats and blocks of at most <paramref name="maxVectors"/>; <see cref="Width"/> assumes 8 lanes.</summary>
    public static List<ChannelBlock> Split(int channels, int lanes, int maxVectors)
    {
        var blocks = new List<ChannelBlock>();
        int vectors = channels / lanes;
        int fullBlocks = vectors / maxVectors;
        int start = 0;
        if (fullBlocks > 0)
        {
            blocks.Add(new ChannelBlock(0, maxVectors, 0, fullBlocks));
            start = fullBlocks * maxVectors * lanes;
        }
        int restVectors = vectors - fullBlocks * maxVectors;
        if (restVectors > 0)
        {
            blocks.Add(new ChannelBlock(start, restVectors, 0, 1));
            start += restVectors * lanes;
        }
        int scalars = channels - start;
        if (scalars > 0)
        {
            blocks.Add(new ChannelBlock(start, 0, scalars, 1));
        }
        return blocks;
    }
}
