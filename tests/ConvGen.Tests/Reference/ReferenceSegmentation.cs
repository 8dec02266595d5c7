using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Tests.Reference;

/// <summary>
/// The encoder-decoder layers as their definitions state them, in double precision: the
/// transposed convolution as a scatter (each input pixel adds the kernel, scaled, into the
/// output at <c>i * stride + tap * dilation</c>, then the result is cut as Keras sizes it), bilinear
/// upsampling with TensorFlow's half-pixel formulas, nearest, cropping and concatenation.
/// Deliberately written differently from the generated gathers they check.
/// </summary>
public static class ReferenceSegmentation
{
    /// <summary>
    /// Keras <c>Conv2DTranspose</c>; weights <c>[kh][kw][filters][in]</c>. <paramref name="outputPadding"/> -1 is Keras's None.
    /// </summary>
    public static ReferenceTensor ConvTranspose(ReferenceTensor input, double[] weights, double[]? bias, int filters,
        int kernelHeight, int kernelWidth, int stride, int dilation, bool same, int outputPadding)
    {
        var (outHeight, padTop) = Axis(input.Height, kernelHeight, stride, dilation, same, outputPadding);
        var (outWidth, padLeft) = Axis(input.Width, kernelWidth, stride, dilation, same, outputPadding);
        int fullHeight = (input.Height - 1) * stride + (kernelHeight - 1) * dilation + 1;
        int fullWidth = (input.Width - 1) * stride + (kernelWidth - 1) * dilation + 1;
        // The full result, large enough for any output padding past its end.
        var full = new double[input.Batch, Math.Max(fullHeight, padTop + outHeight), Math.Max(fullWidth, padLeft + outWidth), filters];
        int channels = input.Channels;
        for (int n = 0; n < input.Batch; n++)
        for (int i = 0; i < input.Height; i++)
        for (int j = 0; j < input.Width; j++)
        for (int ky = 0; ky < kernelHeight; ky++)
        for (int kx = 0; kx < kernelWidth; kx++)
        for (int f = 0; f < filters; f++)
        for (int c = 0; c < channels; c++)
        {
            full[n, i * stride + ky * dilation, j * stride + kx * dilation, f] +=
                input[n, i, j, c] * weights[((ky * kernelWidth + kx) * filters + f) * channels + c];
        }
        var output = new ReferenceTensor(input.Batch, outHeight, outWidth, filters);
        for (int n = 0; n < input.Batch; n++)
        for (int y = 0; y < outHeight; y++)
        for (int x = 0; x < outWidth; x++)
        for (int f = 0; f < filters; f++)
        {
            output[n, y, x, f] = full[n, y + padTop, x + padLeft, f] + (bias?[f] ?? 0);
        }
        return output;
    }

    /// <summary>Keras's <c>deconv_output_length</c>, and where TensorFlow's transposed convolution starts in the full result.</summary>
    public static (int Output, int PadBefore) Axis(int input, int kernel, int stride, int dilation, bool same, int outputPadding)
    {
        int extent = (kernel - 1) * dilation + 1;
        int output = outputPadding < 0
            ? same ? input * stride : input * stride + Math.Max(extent - stride, 0)
            : (input - 1) * stride + extent - 2 * (same ? extent / 2 : 0) + outputPadding;
        // TensorFlow pads the convolution it transposes with SAME's split (the smaller half first).
        int padBefore = same ? Math.Max((input - 1) * stride + extent - output, 0) / 2 : 0;
        return (output, padBefore);
    }

    public static ReferenceTensor UpSampleNearest(ReferenceTensor input, int sizeHeight, int sizeWidth)
    {
        var output = new ReferenceTensor(input.Batch, input.Height * sizeHeight, input.Width * sizeWidth, input.Channels);
        for (int n = 0; n < input.Batch; n++)
        for (int y = 0; y < output.Height; y++)
        for (int x = 0; x < output.Width; x++)
        for (int c = 0; c < input.Channels; c++)
        {
            output[n, y, x, c] = input[n, y / sizeHeight, x / sizeWidth, c];
        }
        return output;
    }

    /// <summary>
    /// <c>tf.image.resize(method="bilinear")</c> (half-pixel centres, no antialiasing), as
    /// TensorFlow's <c>compute_interpolation_weights</c> writes it:
    /// <c>in = (out + 0.5) / scale - 0.5</c>, lower <c>max(floor(in), 0)</c>, upper <c>min(ceil(in), size - 1)</c>, weight <c>in - floor(in)</c>.
    /// </summary>
    public static ReferenceTensor UpSampleBilinear(ReferenceTensor input, int sizeHeight, int sizeWidth)
    {
        var output = new ReferenceTensor(input.Batch, input.Height * sizeHeight, input.Width * sizeWidth, input.Channels);
        for (int n = 0; n < input.Batch; n++)
        for (int y = 0; y < output.Height; y++)
        for (int x = 0; x < output.Width; x++)
        {
            var (top, bottom, dy) = Weights(y, sizeHeight, input.Height);
            var (left, right, dx) = Weights(x, sizeWidth, input.Width);
            for (int c = 0; c < input.Channels; c++)
            {
                double upper = input[n, top, left, c] + (input[n, top, right, c] - input[n, top, left, c]) * dx;
                double lower = input[n, bottom, left, c] + (input[n, bottom, right, c] - input[n, bottom, left, c]) * dx;
                output[n, y, x, c] = upper + (lower - upper) * dy;
            }
        }
        return output;
    }

    private static (int Lower, int Upper, double Lerp) Weights(int o, int scale, int size)
    {
        double at = (o + 0.5) / scale - 0.5;
        return ((int)Math.Max(Math.Floor(at), 0), (int)Math.Min(Math.Ceiling(at), size - 1), at - Math.Floor(at));
    }

    public static ReferenceTensor Crop(ReferenceTensor input, int top, int bottom, int left, int right)
    {
        var output = new ReferenceTensor(input.Batch, input.Height - top - bottom, input.Width - left - right, input.Channels);
        for (int n = 0; n < input.Batch; n++)
        for (int y = 0; y < output.Height; y++)
        for (int x = 0; x < output.Width; x++)
        for (int c = 0; c < input.Channels; c++)
        {
            output[n, y, x, c] = input[n, y + top, x + left, c];
        }
        return output;
    }

    /// <summary>Along the channels, in order; all maps of one height and width (or all vectors).</summary>
    public static ReferenceTensor Concatenate(IReadOnlyList<ReferenceTensor> inputs)
    {
        var first = inputs[0];
        int channels = inputs.Sum(t => t.Channels);
        var output = new ReferenceTensor(first.Batch, first.Height, first.Width, channels, first.Rank);
        for (int n = 0; n < first.Batch; n++)
        for (int y = 0; y < first.Height; y++)
        for (int x = 0; x < first.Width; x++)
        {
            int offset = 0;
            foreach (var t in inputs)
            {
                if (t.Height != first.Height || t.Width != first.Width || t.Batch != first.Batch)
                {
                    throw new ArgumentException("Concatenate needs equal batches, heights and widths.");
                }
                for (int c = 0; c < t.Channels; c++)
                {
                    output[n, y, x, offset + c] = t[n, y, x, c];
                }
                offset += t.Channels;
            }
        }
        return output;
    }
}
