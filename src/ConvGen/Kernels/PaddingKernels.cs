using System;

namespace ConvGen.Kernels;

/// <summary>
/// ZeroPadding2D: NHWC samples framed by rows and columns of zeros (<see cref="Pad"/>), and its
/// gradient, the inner part of the padded gradient (<see cref="Crop"/>). Whole rows of
/// <c>width * channels</c> floats are copied at once.
/// </summary>
public static class PaddingKernels
{
    /// <summary>Writes each <c>[height, width, channels]</c> sample into the middle of a <c>[height + top + bottom, width + left + right, channels]</c> one, zeros around it.</summary>
    public static void Pad(ReadOnlySpan<float> input, Span<float> output, int batch, int height, int width, int channels, int top, int bottom, int left, int right)
    {
        int inRow = width * channels;
        int outWidth = width + left + right;
        int outRow = outWidth * channels;
        int inLength = height * inRow;
        int outLength = (height + top + bottom) * outRow;
        CheckLengths(input.Length, output.Length, batch, inLength, outLength, top, bottom, left, right);
        for (int n = 0; n < batch; n++)
        {
            Span<float> y = output.Slice(n * outLength, outLength);
            y.Slice(0, top * outRow).Clear();
            y.Slice((top + height) * outRow).Clear();
            for (int row = 0; row < height; row++)
            {
                Span<float> target = y.Slice((top + row) * outRow, outRow);
                target.Slice(0, left * channels).Clear();
                input.Slice(n * inLength + row * inRow, inRow).CopyTo(target.Slice(left * channels));
                target.Slice((left + width) * channels).Clear();
            }
        }
    }

    /// <summary>The gradient of <see cref="Pad"/>: the <c>[height, width, channels]</c> middle of each padded-shape gradient (overwrites).</summary>
    public static void Crop(ReadOnlySpan<float> paddedGradient, Span<float> inputGradient, int batch, int height, int width, int channels, int top, int bottom, int left, int right)
    {
        int inRow = width * channels;
        int outRow = (width + left + right) * channels;
        int inLength = height * inRow;
        int outLength = (height + top + bottom) * outRow;
        CheckLengths(inputGradient.Length, paddedGradient.Length, batch, inLength, outLength, top, bottom, left, right);
        for (int n = 0; n < batch; n++)
        {
            for (int row = 0; row < height; row++)
            {
                paddedGradient.Slice(n * outLength + (top + row) * outRow + left * channels, inRow).CopyTo(inputGradient.Slice(n * inLength + row * inRow, inRow));
            }
        }
    }

    private static void CheckLengths(int inputLength, int outputLength, int batch, int inLength, int outLength, int top, int bottom, int left, int right)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
        {
            throw new ArgumentException($"padding ({top}, {bottom}, {left}, {right}) has a negative side");
        }
        if (batch < 0 || inputLength < (long)batch * inLength || outputLength < (long)batch * outLength)
        {
            throw new ArgumentException($"a batch of {batch} needs {(long)batch * inLength} input and {(long)batch * outLength} padded floats, the buffers hold {inputLength} and {outputLength}");
        }
    }
}
