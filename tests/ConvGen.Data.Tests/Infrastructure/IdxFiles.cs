using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Data.Tests;

/// <summary>Writes IDX files byte by byte (big-endian header, optional gzip), independently of the reader.</summary>
internal static class IdxFiles
{
    public static byte[] Build(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static void Write(string path, byte[] content, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return;
        }
        using var file = File.Create(path);
        using var compressed = new GZipStream(file, CompressionLevel.Fastest);
        compressed.Write(content);
    }

    public static void WriteImages(string path, int count, int rows, int columns, byte[] pixels, bool gzip) =>
        Write(path, Build(0x00000803, new[] { count, rows, columns }, pixels), gzip);

    public static void WriteLabels(string path, byte[] labels, bool gzip) =>
        Write(path, Build(0x00000801, new[] { labels.Length }, labels), gzip);
}
