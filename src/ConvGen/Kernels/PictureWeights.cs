using System;

namespace ConvGen.Kernels;

/// <summary>
/// The packed weights of a generated convolution that runs the picture plan (large weights on a
/// small map: one channel block's weight slice is read once per picture and reused by every tile).
/// A block's slice is packed in the order its tiles read it, one contiguous run instead of rows a
/// whole filter row apart (which fell in the same L2 sets): for output channels
/// <c>[first, first + width)</c>, at <c>first * taps * inputChannels</c>, input channels in blocks of
/// <c>inputBlock</c>, each block <c>[taps, its input channels, width]</c>. The generated network
/// packs them once per call, or once for a frozen workspace (see <see cref="InferenceWorkspace.FreezeWeights"/>).
/// </summary>
public static class PictureWeights
{
    /// <summary>Packs output channels <paramref name="first"/> to <paramref name="first"/> + <paramref name="width"/> of HWIO <paramref name="weights"/> into <paramref name="packed"/> (as long as the weights).</summary>
    public static void Pack(ReadOnlySpan<float> weights, Span<float> packed, int taps, int inputChannels, int outputChannels, int inputBlock, int first, int width)
    {
        if (taps < 1 || inputChannels < 1 || inputBlock < 1 || first < 0 || width < 1 || first + width > outputChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(first),
                $"PictureWeights: channels {first} to {first + width} of {outputChannels}, {taps} taps, {inputChannels} input channels in blocks of {inputBlock}: not a block of the layer.");
        }
        long length = (long)taps * inputChannels * outputChannels;
        if (weights.Length != length || packed.Length != length)
        {
            throw new ArgumentException($"PictureWeights: the weights hold {weights.Length} floats and the packed buffer {packed.Length}, expected {length} each.", nameof(packed));
        }
        for (int k0 = 0; k0 < inputChannels; k0 += inputBlock)
        {
            int count = Math.Min(inputBlock, inputChannels - k0);
            var block = packed.Slice((first * inputChannels + k0 * width) * taps, taps * count * width);
            for (int t = 0; t < taps; t++)
            {
                for (int c = 0; c < count; c++)
                {
                    weights.Slice((t * inputChannels + k0 + c) * outputChannels + first, width).CopyTo(block.Slice((t * count + c) * width, width));
                }
            }
        }
    }
}
