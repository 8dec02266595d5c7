using System;
using System.Buffers.Binary;
using System.IO;
using ConvGen.Messages;

namespace ConvGen.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), gzip
/// compressed or raw (detected from the gzip magic bytes 1f 8b, not the file name). The header is
/// big-endian: a magic number whose first two bytes are 0, third byte the element type (0x08,
/// unsigned byte) and fourth the number of dimensions, then one 32-bit size per dimension.
/// The header's counts are checked against the data actually present before anything of their
/// size is allocated, so a small hostile file cannot make the reader allocate gigabytes. Every
/// error is a <see cref="DataFileException"/> naming the file, the field and what was expected.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const string ImagesWhat = "images (3 dimensions: count, rows, columns)";
    private const string LabelsWhat = "labels (1 dimension: count)";

    /// <summary>Reads an image file; pixels are scaled from 0..255 to [0, 1] (divided by 255).</summary>
    /// <exception cref="DataFileException">The file is not an IDX image file, or its data does not match its header.</exception>
    public static IdxImages ReadImages(string path)
    {
        using Stream file = OpenFile(path);
        return ReadImages(file, path);
    }

    /// <summary>
    /// Reads IDX images (raw or gzip) from <paramref name="stream"/>, which is left open;
    /// <paramref name="sourceName"/> (a path or any name) is what the error messages name.
    /// </summary>
    /// <exception cref="DataFileException">The data is not an IDX image file, or does not match its header.</exception>
    public static IdxImages ReadImages(Stream stream, string sourceName)
    {
        using var source = IdxSource.Open(stream, sourceName);
        Span<int> dims = stackalloc int[3];
        ReadHeader(source, ImagesMagic, ImagesWhat, dims);
        int count = Dimension(dims[0], sourceName, "image count", allowZero: true);
        int rows = Dimension(dims[1], sourceName, "row count", allowZero: false);
        int columns = Dimension(dims[2], sourceName, "column count", allowZero: false);
        long imageLength = (long)rows * columns;
        long total = count * imageLength;
        if (imageLength > Array.MaxLength || total > Array.MaxLength)
        {
            throw new DataFileException(sourceName, $"the header declares {count} images of {rows}x{columns}, {total} pixels in all, more than one array can hold.");
        }
        byte[] bytes = ReadData(source, total, imageLength, count, "image", $"{rows}x{columns}");
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            pixels[i] = bytes[i] / 255f; // division, not * (1/255f): the exact Keras value
        }
        return new IdxImages(pixels, count, rows, columns);
    }

    /// <summary>Reads a label file: one byte per sample.</summary>
    /// <exception cref="DataFileException">The file is not an IDX label file, or its data does not match its header.</exception>
    public static byte[] ReadLabels(string path)
    {
        using Stream file = OpenFile(path);
        return ReadLabels(file, path);
    }

    /// <summary>
    /// Reads IDX labels (raw or gzip) from <paramref name="stream"/>, which is left open;
    /// <paramref name="sourceName"/> is what the error messages name.
    /// </summary>
    /// <exception cref="DataFileException">The data is not an IDX label file, or does not match its header.</exception>
    public static byte[] ReadLabels(Stream stream, string sourceName)
    {
        using var source = IdxSource.Open(stream, sourceName);
        Span<int> dims = stackalloc int[1];
        ReadHeader(source, LabelsMagic, LabelsWhat, dims);
        int count = Dimension(dims[0], sourceName, "label count", allowZero: true);
        return ReadData(source, count, 1, count, "label", null);
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
    }

    private static void ReadHeader(IdxSource source, int expectedMagic, string what, Span<int> dims)
    {
        string name = source.Name;
        Span<byte> header = stackalloc byte[4 + 4 * dims.Length];
        int read = source.ReadAll(header.Slice(0, 4));
        if (read < 4)
        {
            throw new DataFileException(name, $"truncated: {read} bytes, too short for the 4-byte IDX magic number (expected 0x{expectedMagic:X8}, {what}).");
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw new DataFileException(name, $"magic number 0x{magic:X8} is not 0x{expectedMagic:X8}, the IDX magic for {what}.{MagicHint(header, dims.Length)}");
        }
        read += source.ReadAll(header.Slice(4));
        if (read < header.Length)
        {
            throw new DataFileException(name, $"truncated: the IDX header of {what} takes {header.Length} bytes but the file holds only {read}.");
        }
        for (int d = 0; d < dims.Length; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.Slice(4 + 4 * d));
        }
    }

    // Says which byte of a wrong magic number is at fault, so the message tells what the file is.
    private static string MagicHint(ReadOnlySpan<byte> magic, int expectedDimensions)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(magic);
        if (value == ImagesMagic)
        {
            return " This is an image file; pass it as images, not labels.";
        }
        if (value == LabelsMagic)
        {
            return " This is a label file; pass it as labels, not images.";
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            return " An IDX file starts with two zero bytes; this is not an IDX file.";
        }
        if (magic[2] != 0x08)
        {
            return $" Its element type byte is 0x{magic[2]:X2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is read.";
        }
        return $" Its dimension count byte is {magic[3]}; expected {expectedDimensions}.";
    }

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX element type",
    };

    private static int Dimension(int value, string name, string field, bool allowZero)
    {
        if (value < 0 || (value == 0 && !allowZero))
        {
            throw new DataFileException(name, $"the header's {field} is {value}; expected {(allowZero ? "0 or more" : "at least 1")}.");
        }
        return value;
    }

    /// <summary>
    /// Reads exactly the <paramref name="length"/> bytes the header declares, then checks that
    /// nothing follows. The buffer grows with the data found (never to the header's size up
    /// front when the length of the data is unknown), so memory follows the real data.
    /// </summary>
    private static byte[] ReadData(IdxSource source, long length, long itemLength, int count, string item, string? shape)
    {
        string declared = $"{Counted.Of(count, item)}{(shape is null ? "" : $" of {shape}")} ({Counted.Of(length, "byte")} of data)";
        if (source.Remaining is long remaining && remaining < length)
        {
            throw Truncated(source.Name, declared, remaining, itemLength, item);
        }
        var data = source.ReadGrowing((int)length);
        if (data.Length < length)
        {
            throw Truncated(source.Name, declared, data.Length, itemLength, item);
        }
        // Extra bytes mean the header's count does not describe the data: refuse rather than
        // silently train on a prefix of the file.
        long extra = source.Remaining ?? source.CountRest();
        if (extra > 0)
        {
            string more = source.Remaining is null && extra >= IdxSource.TrailingCountLimit ? $"at least {Counted.Of(extra, "more byte")}" : Counted.Of(extra, "more byte");
            throw new DataFileException(source.Name, $"count mismatch: the header declares {declared} but {more} {(extra == 1 ? "follows" : "follow")}.");
        }
        source.CheckComplete();
        return data;
    }

    private static DataFileException Truncated(string name, string declared, long found, long itemLength, string item) =>
        new(name, $"truncated: the header declares {declared} but the file holds only {Counted.Of(found / itemLength, item)} (the data ends after {Counted.Of(found, "byte")}).");
}
