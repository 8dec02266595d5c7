using System;
using System.Globalization;

namespace ConvGen.Serialization;

/// <summary>
/// The finiteness check shared by every weights and checkpoint read and write: a NaN or an
/// infinity in saved weights only resurfaces later as a diverged or silent-garbage network, so
/// it is refused at the file boundary, naming the tensor and the first bad index.
/// </summary>
internal static class FiniteValues
{
    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1 when all are finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>"holds NaN at index 17", or null when every value is finite.</summary>
    public static string? Describe(ReadOnlySpan<float> values)
    {
        int index = FirstNonFinite(values);
        return index < 0 ? null : string.Create(CultureInfo.InvariantCulture, $"holds {values[index]} at index {index} (only finite values are allowed)");
    }

    /// <summary>
    /// Throws when a tensor about to be written is not finite, before anything touches the disk,
    /// so the file already at <paramref name="path"/> stays as it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite.</exception>
    public static void RequireForWrite(string path, string tensorName, ReadOnlySpan<float> values)
    {
        if (Describe(values) is string problem)
        {
            throw new InvalidOperationException(
                $"{path}: not written: tensor '{tensorName}' {problem}; did training diverge? The file on disk, if any, is unchanged.");
        }
    }
}
