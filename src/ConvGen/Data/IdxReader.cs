using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), gzip
/// compressed or raw (detected from the gzip magic bytes 1f 8b, not the file name). The header is
/// big-endian: a magic number whose third byte is the element type (0x08, unsigned byte) and
/// fourth the number of dimensions, then one 32-bit size per dimension. Every error is an
/// <see cref="InvalidDataException"/> naming the file and saying what was expected.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file; pixels are scaled from 0..255 to [0, 1] (divided by 255).</summary>
    public static IdxImages ReadImages(string path)
    {
        using Stream stream = Open(path);
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, path, header, ImagesMagic, "images (3 dimensions: count, rows, columns)");
        int count = Dimension(header, 4, path, "image count", allowZero: true);
        int rows = Dimension(header, 8, path, "row count", allowZero: false);
        int columns = Dimension(header, 12, path, "column count", allowZero: false);
        long total = (long)count * rows * columns;
        if (total > Array.MaxLength)
        {
            throw Invalid(path, $"the header declares {count} images of {rows}x{columns}, {total} pixels in all, more than one array can hold.");
        }
        byte[] bytes = ReadData(stream, path, (int)total, $"{count} images of {rows}x{columns}");
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            pixels[i] = bytes[i] / 255f; // division, not * (1/255f): the exact Keras value
        }
        return new IdxImages(pixels, count, rows, columns);
    }

    /// <summary>Reads a label file: one byte per sample.</summary>
    public static byte[] ReadLabels(string path)
    {
        using Stream stream = Open(path);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, path, header, LabelsMagic, "labels (1 dimension: count)");
        int count = Dimension(header, 4, path, "label count", allowZero: true);
        return ReadData(stream, path, count, $"{count} labels");
    }

    private static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
            }
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void ReadHeader(Stream stream, string path, Span<byte> header, int expectedMagic, string what)
    {
        int read = ReadAll(stream, path, header);
        if (read < 4)
        {
            throw Invalid(path, $"truncated: {read} bytes, too short for the 4-byte IDX magic number (expected 0x{expectedMagic:X8}, {what}).");
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            string hint = magic switch
            {
                ImagesMagic => " This is an image file; pass it as images, not labels.",
                LabelsMagic => " This is a label file; pass it as labels, not images.",
                _ => "",
            };
            throw Invalid(path, $"magic number 0x{magic:X8} is not 0x{expectedMagic:X8}, the IDX magic for {what}.{hint}");
        }
        if (read < header.Length)
        {
            throw Invalid(path, $"truncated: the IDX header of {what} takes {header.Length} bytes but the file holds only {read}.");
        }
    }

    private static int Dimension(ReadOnlySpan<byte> header, int offset, string path, string name, bool allowZero)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header.Slice(offset));
        if (value < 0 || (value == 0 && !allowZero))
        {
            throw Invalid(path, $"the header's {name} is {value}; expected {(allowZero ? "0 or more" : "at least 1")}.");
        }
        return value;
    }

    private static byte[] ReadData(Stream stream, string path, int length, string declared)
    {
        var data = new byte[length];
        int read = ReadAll(stream, path, data);
        if (read < length)
        {
            throw Invalid(path, $"truncated: the header declares {declared} ({length} bytes of data) but the data ends after {read} bytes.");
        }
        // Extra bytes mean the header's count does not describe the data: refuse rather than
        // silently train on a prefix of the file.
        long extra = 0;
        Span<byte> scratch = stackalloc byte[4096];
        int n;
        while ((n = ReadSome(stream, path, scratch)) > 0)
        {
            extra += n;
        }
        if (extra > 0)
        {
            throw Invalid(path, $"count mismatch: the header declares {declared} ({length} bytes of data) but {extra} more bytes follow.");
        }
        return data;
    }

    private static int ReadAll(Stream stream, string path, Span<byte> buffer)
    {
        int total = 0;
        int n;
        while (total < buffer.Length && (n = ReadSome(stream, path, buffer.Slice(total))) > 0)
        {
            total += n;
        }
        return total;
    }

    private static int ReadSome(Stream stream, string path, Span<byte> buffer)
    {
        try
        {
            return stream.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // GZipStream reports corrupt compressed data without naming the file.
            throw Invalid(path, $"the gzip data is corrupt: {e.Message}", e);
        }
    }

    private static InvalidDataException Invalid(string path, string message, Exception? inner = null) =>
        new($"{path}: {message}", inner);
}
