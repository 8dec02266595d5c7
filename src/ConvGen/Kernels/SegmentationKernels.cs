using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The parameter-free layers of encoder-decoder networks: channel concatenation, cropping and
/// upsampling, forward and backward. Generated code calls them with its constant shapes (NHWC,
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

    /// <summary>UpSampling2D nearest: output <c>(y, x)</c> is input <c>(y / sh, x / sw)</c>.</summary>
    public static void UpSampleNearest(ReadOnlySpan<float> input, Span<float> output, int batch, int height, int width, int channels, int sizeHeight, int sizeWidth)
    {
        CheckUpSample(input.Length, output.Length, batch, height, width, channels, sizeHeight, sizeWidth);
        int outHeight = height * sizeHeight, outWidth = width * sizeWidth;
        for (int n = 0; n < batch; n++)
        for (int y = 0; y < outHeight; y++)
        for (int x = 0; x < outWidth; x++)
        {
            input.Slice(((n * height + y / sizeHeight) * width + x / sizeWidth) * channels, channels)
                .CopyTo(output.Slice(((n * outHeight + y) * outWidth + x) * channels, channels));
        }
    }

    /// <summary>UpSampling2D nearest backward: each input cell gathers the sum of its <c>sh x sw</c> block.</summary>
    public static void UpSampleNearestBackward(ReadOnlySpan<float> gradient, Span<float> inputGradient, int batch, int height, int width, int channels, int sizeHeight, int sizeWidth)
    {
        CheckUpSample(inputGradient.Length, gradient.Length, batch, height, width, channels, sizeHeight, sizeWidth);
        int outHeight = height * sizeHeight, outWidth = width * sizeWidth;
        for (int n = 0; n < batch; n++)
        for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
        {
            var cell = inputGradient.Slice(((n * height + i) * width + j) * channels, channels);
            cell.Clear();
            for (int y = i * sizeHeight; y < (i + 1) * sizeHeight; y++)
            for (int x = j * sizeWidth; x < (j + 1) * sizeWidth; x++)
            {
                TensorPrimitives.Add(cell, gradient.Slice(((n * outHeight + y) * outWidth + x) * channels, channels), cell);
            }
        }
    }

    /// <summary>
    /// UpSampling2D bilinear with half-pixel centres (Keras / <c>tf.image.resize</c>, ONNX Resize
    /// <c>half_pixel</c>): output row <c>y</c> blends input rows <c>floor(s)</c> and <c>floor(s) + 1</c>,
    /// clamped to the edge, with <c>s = (y + 0.5) / sh - 0.5</c>; columns likewise.
    /// </summary>
    public static void UpSampleBilinear(ReadOnlySpan<float> input, Span<float> output, int batch, int height, int width, int channels, int sizeHeight, int sizeWidth)
    {
        CheckUpSample(input.Length, output.Length, batch, height, width, channels, sizeHeight, sizeWidth);
        int outHeight = height * sizeHeight, outWidth = width * sizeWidth;
        for (int n = 0; n < batch; n++)
        for (int y = 0; y < outHeight; y++)
        {
            var (top, bottom, down) = Taps(y, sizeHeight, height);
            for (int x = 0; x < outWidth; x++)
            {
                var (left, right, across) = Taps(x, sizeWidth, width);
                var cell = output.Slice(((n * outHeight + y) * outWidth + x) * channels, channels);
                TensorPrimitives.Multiply(Cell(input, n, top, left), (1 - down) * (1 - across), cell);
                TensorPrimitives.MultiplyAdd(Cell(input, n, top, right), (1 - down) * across, cell, cell);
                TensorPrimitives.MultiplyAdd(Cell(input, n, bottom, left), down * (1 - across), cell, cell);
                TensorPrimitives.MultiplyAdd(Cell(input, n, bottom, right), down * across, cell, cell);
            }
        }

        ReadOnlySpan<float> Cell(ReadOnlySpan<float> values, int n, int i, int j) => values.Slice(((n * height + i) * width + j) * channels, channels);
    }

    /// <summary>
    /// UpSampling2D bilinear backward, as a gather: each input cell sums the output-gradient cells
    /// of the rows and columns whose taps reach it (at most three factors' worth per axis), weighted as in the forward pass.
    /// </summary>
    public static void UpSampleBilinearBackward(ReadOnlySpan<float> gradient, Span<float> inputGradient, int batch, int height, int width, int channels, int sizeHeight, int sizeWidth)
    {
        CheckUpSample(inputGradient.Length, gradient.Length, batch, height, width, channels, sizeHeight, sizeWidth);
        int outHeight = height * sizeHeight, outWidth = width * sizeWidth;
        for (int n = 0; n < batch; n++)
        for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
        {
            var cell = inputGradient.Slice(((n * height + i) * width + j) * channels, channels);
            cell.Clear();
            for (int y = Math.Max(0, (i - 1) * sizeHeight); y < Math.Min(outHeight, (i + 2) * sizeHeight); y++)
            {
                float wy = Weight(y, sizeHeight, height, i);
                if (wy == 0)
                {
                    continue;
                }
                for (int x = Math.Max(0, (j - 1) * sizeWidth); x < Math.Min(outWidth, (j + 2) * sizeWidth); x++)
                {
                    float wx = Weight(x, sizeWidth, width, j);
                    if (wx != 0)
                    {
                        TensorPrimitives.MultiplyAdd(gradient.Slice(((n * outHeight + y) * outWidth + x) * channels, channels), wy * wx, cell, cell);
                    }
                }
            }
        }
    }

    /// <summary>The two input indices output index <paramref name="o"/> blends (clamped to the edge) and the weight of the second.</summary>
    public static (int Lower, int Upper, float Fraction) Taps(int o, int factor, int length)
    {
        double source = (o + 0.5) / factor - 0.5;
        double floor = Math.Floor(source);
        int lower = (int)floor;
        return (Math.Clamp(lower, 0, length - 1), Math.Clamp(lower + 1, 0, length - 1), (float)(source - floor));
    }

    /// <summary>How much of input index <paramref name="i"/> output index <paramref name="o"/> takes (0 when it does not read it).</summary>
    private static float Weight(int o, int factor, int length, int i)
    {
        var (lower, upper, fraction) = Taps(o, factor, length);
        return (lower == i ? 1 - fraction : 0) + (upper == i ? fraction : 0);
    }

    private static void CheckCrop(int inputLength, int outputLength, int batch, int height, int width, int channels, int top, int left, int outputHeight, int outputWidth) =>
        Check(top >= 0 && left >= 0 && top + outputHeight <= height && left + outputWidth <= width
            && inputLength >= batch * height * width * channels && outputLength >= batch * outputHeight * outputWidth * channels, "Crop");

    private static void CheckUpSample(int inputLength, int outputLength, int batch, int height, int width, int channels, int sizeHeight, int sizeWidth) =>
        Check(sizeHeight > 0 && sizeWidth > 0 && inputLength >= batch * height * width * channels
            && outputLength >= batch * height * sizeHeight * width * sizeWidth * channels, "UpSample");

    private static void Check(bool ok, string kernel)
    {
        if (!ok)
        {
            throw new ArgumentException($"{kernel}: the buffers are smaller than the shapes they were called with, or the window lies outside the input.");
        }
    }
}
