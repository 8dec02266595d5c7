using System;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Benchmarks.Torch;

/// <summary>
/// The four Fashion-MNIST IDX files (gzipped or not) as float pixels in [0, 1] and int64 labels,
/// scaled as ConvGen's <c>FashionMnist.Load</c> scales them, so both frameworks see the same
/// numbers. This project does not reference ConvGen (it is the independent peer), hence its own
/// reader.
/// </summary>
internal static class FashionMnistFiles
{
    public const int Side = 28;

    public static (float[] Images, long[] Labels) Load(string directory, string prefix)
    {
        byte[] images = Read(directory, $"{prefix}-images-idx3-ubyte", magic: 0x803, headerBytes: 16);
        byte[] labels = Read(directory, $"{prefix}-labels-idx1-ubyte", magic: 0x801, headerBytes: 8);
        int count = labels.Length;
        if (images.Length != count * Side * Side)
        {
            throw new InvalidDataException($"{prefix}: {images.Length} pixel bytes for {count} labels, expected {count * Side * Side}.");
        }
        var pixels = new float[images.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = images[i] / 255f;
        var classes = new long[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = labels[i] <= 9 ? labels[i] : throw new InvalidDataException($"{prefix}: label {labels[i]} of sample {i} is not a class 0-9.");
        }
        return (pixels, classes);
    }

    /// <summary>The payload after the IDX header of <paramref name="name"/> (or <c>name.gz</c>).</summary>
    private static byte[] Read(string directory, string name, int magic, int headerBytes)
    {
        string plain = Path.Combine(directory, name);
        string path = File.Exists(plain) ? plain : plain + ".gz";
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Fashion-MNIST file {name}(.gz) not found in {directory}.", path);
        }
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        byte[] bytes = memory.ToArray();
        if (bytes.Length < headerBytes || (bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) != magic)
        {
            throw new InvalidDataException($"{path}: not an IDX file with magic 0x{magic:X}.");
        }
        return bytes.AsSpan(headerBytes).ToArray();
    }
}
