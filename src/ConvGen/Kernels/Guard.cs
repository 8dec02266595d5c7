using System;

namespace ConvGen.Kernels;

/// <summary>Argument checks shared by generated entry points, so their messages are uniform.</summary>
public static class Guard
{
    /// <summary>
    /// Checks that <paramref name="inputLength"/> is a whole, non-zero batch of
    /// <paramref name="sampleInputLength"/> and that the output holds the same batch; returns the batch size.
    /// </summary>
    public static int BatchSize(string network, int inputLength, int sampleInputLength, int outputLength, int sampleOutputLength)
    {
        if (inputLength == 0 || inputLength % sampleInputLength != 0)
        {
            throw new ArgumentException(
                $"{network}: the input holds {inputLength} floats, which is not a whole, non-empty batch of samples of {sampleInputLength} floats each.",
                "inputs");
        }
        int batch = inputLength / sampleInputLength;
        if (outputLength != batch * sampleOutputLength)
        {
            throw new ArgumentException(
                $"{network}: the output holds {outputLength} floats but a batch of {batch} needs {batch * sampleOutputLength} ({batch} x {sampleOutputLength}).",
                "outputs");
        }
        return batch;
    }

    /// <summary>A workspace's capacity, checked first of all its buffers: at least one sample.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public static int Capacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        return capacity;
    }
}
