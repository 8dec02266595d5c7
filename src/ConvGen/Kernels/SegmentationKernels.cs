using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The parameter-free layers of encoder-decoder networks: channel concatenation and cropping,
/// forward and backward (UpSampling2D's kernels are generated with their constant taps and weights). Generated code calls them with its constant shapes (NHWC,
/// <c>batch</c> samples). Every backward pass is a gather: each input-gradient cell is written
/// once, by the iteration that owns it, from the output-gradient cells that depend on it.
/// </summary>
public static class SegmentationKernels
{
    /// <summary>
    /// Concatenate forward, one source: its <paramref name="channels"/> channels of each of the
    /// <paramref name="pixels"/> pixels go to channels <c>offset..offset+channels</c> of the output's <paramref name="outputChannels"/>.
    /// </summary>
    public static void CopyChannels(ReadOnlySpan<float> source, Span<float> output, int pixels, int channels, int outputChannels, int offset)
    {
        Check(source.Length >= pixels * channels && output.Length >= pixels * outputChannels && offset + channels <= outputChannels, "CopyChannels");
        for (int p = 0; p < pixels; p++)
        {
            source.Slice(p * channels, channels).CopyTo(output.Slice(p * outputChannels + offset, channels));
        }
    }

    /// <summary>
    /// Concatenate backward, one source: its slice of the output gradient (channels
    /// <c>offset..offset+channels</c> of <paramref name="gradientChannels"/>), written to (or, with
    /// <paramref name="accumulate"/>, added to) its own dense gradient.
    /// </summary>
    public static void SplitChannels(ReadOnlySpan<float> gradient, Span<float> target, int pixels, int channels, int gradientChannels, int offset, bool accumulate)
    {
        Check(gradient.Length >= pixels * gradientChannels && target.Length >= pixels * channels && offset + channels <= gradientChannels, "SplitChannels");
        for (int p = 0; p < pixels; p++)
        {
            var from = gradient.Slice(p * gradientChannels + offset, channels);
            var to = target.Slice(p * channels, channels);
            if (accumulate)
            {
                TensorPrimitives.Add(to, from, to);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    /// <summary>Cropping2D forward: the <paramref name="outputHeight"/> x <paramref name="outputWidth"/> window at (<paramref name="top"/>, <paramref name="left"/>).</summary>
    public static void Crop(ReadOnlySpan<float> input, Span<float> output, int batch, int height, int width, int channels, int top, int left, int outputHeight, int outputWidth)
    {
        CheckCrop(input.Length, output.Length, batch, height, width, channels, top, left, outputHeight, outputWidth);
        int row = outputWidth * channels;
        for (int n = 0; n < batch; n++)
        for (int y = 0; y < outputHeight; y++)
        {
            input.Slice(((n * height + y + top) * width + left) * channels, row).CopyTo(output.Slice((n * outputHeight + y) * row, row));
        }
    }

    /// <summary>Cropping2D backward: the input gradient is the output gradient inside the window and zero in the cropped border.</summary>
    public static void CropBackward(ReadOnlySpan<float> gradient, Span<float> inputGradient, int batch, int height, int width, int channels, int top, int left, int outputHeight, int outputWidth)
    {
        CheckCrop(inputGradient.Length, gradient.Length, batch, height, width, channels, top, left, outputHeight, outputWidth);
        int row = outputWidth * channels;
        var all = inputGradient.Slice(0, batch * height * width * channels);
        all.Clear();
        for (int n = 0; n < batch; n++)
        for (int y = 0; y < outputHeight; y++)
        {
            gradient.Slice((n * outputHeight + y) * row, row).CopyTo(all.Slice(((n * height + y + top) * width + left) * channels, row));
        }
    }

    private static void CheckCrop(int inputLength, int outputLength, int batch, int height, int width, int channels, int top, int left, int outputHeight, int outputWidth) =>
        Check(top >= 0 && left >= 0 && top + outputHeight <= height && left + outputWidth <= width
            && inputLength >= batch * height * width * channels && outputLength >= batch * outputHeight * outputWidth * channels, "Crop");

    private static void Check(bool ok, string kernel)
    {
        if (!ok)
        {
            throw new ArgumentException($"{kernel}: the buffers are smaller than the shapes they were called with, or the window lies outside the input.");
        }
    }
}
