using System;
using System.Buffers.Binary;
using System.IO;
using ConvGen.Data;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// IDX (plain or gzip, detected by the reader from the magic bytes), read from memory streams. The
/// first input byte picks the entry point (its value modulo 3), so one corpus covers all three, and
/// whether the streams can seek (bit 3: the reader checks a seekable file's length up front and
/// grows its buffer as data arrives otherwise, as for gzip):
/// 0: <see cref="IdxReader.ReadImages(Stream, string)"/>; 1: <see cref="IdxReader.ReadLabels(Stream, string)"/>;
/// 2: <see cref="IdxDataset.Load(Stream, string, Stream, string, System.Collections.Generic.IReadOnlyList{string}?)"/>,
/// the next two bytes (little-endian) being the length of the images file, the rest the labels file.
/// Documented refusal: <see cref="DataFileException"/>, for every kind of bad file.
/// </summary>
public static class IdxHarness
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }
        byte[] rest = data[1..];
        bool seekable = (data[0] & 8) != 0;
        try
        {
            switch (data[0] % 3)
            {
                case 0:
                    _ = IdxReader.ReadImages(Open(rest, seekable), "images.idx");
                    break;
                case 1:
                    _ = IdxReader.ReadLabels(Open(rest, seekable), "labels.idx");
                    break;
                default:
                    if (rest.Length < 2)
                    {
                        return;
                    }
                    int imagesLength = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(rest), rest.Length - 2);
                    var images = Open(rest[2..(2 + imagesLength)], seekable);
                    var labels = Open(rest[(2 + imagesLength)..], seekable);
                    _ = IdxDataset.Load(images, "images.idx", labels, "labels.idx");
                    break;
            }
        }
        catch (DataFileException)
        {
        }
    }

    private static Stream Open(byte[] bytes, bool seekable) =>
        seekable ? new MemoryStream(bytes, writable: false) : new ForwardOnlyStream(bytes);

    /// <summary>A memory stream that hides its length, so the reader takes its streaming path (as for gzip).</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
