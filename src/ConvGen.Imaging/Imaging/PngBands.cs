using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ConvGen.Data;
using SkiaSharp;

namespace ConvGen.Imaging;

/// <summary>
/// Reads a large PNG a band of rows at a time into a <see cref="BlockAverager"/>. SkiaSharp's
/// PNG codec decodes only whole images (no scanline decoding, no scaling), so the compressed
/// data is inflated and unfiltered here as a stream, and each band goes to SkiaSharp as a small
/// PNG of its own (the original header with the band's height, palette and transparency, the
/// rows stored unfiltered): SkiaSharp still does every colour conversion, in bounded memory.
/// </summary>
internal static class PngBands
{
    private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The PNG reduced by <paramref name="factor"/>, or null for an interlaced PNG (the caller decodes it whole, within the pixel limit).</summary>
    public static SKBitmap? DecodeReduced(string path, int factor)
    {
        using var file = ImageFile.OpenRegular(path);
        Span<byte> start = stackalloc byte[8];
        file.ReadExactly(start);
        if (!start.SequenceEqual(Signature))
        {
            throw new DataFileException(path, "corrupt: the PNG signature is wrong.");
        }
        byte[]? header = null;
        var kept = new List<(string Type, byte[] Data)>(); // palette and transparency, for every band
        while (true)
        {
            var (type, length) = ReadChunkHeader(path, file);
            if (type == "IDAT")
            {
                file.Position -= 8; // the stream below starts at this chunk
                break;
            }
            if (type == "IEND")
            {
                throw new DataFileException(path, "corrupt: the PNG has no image data (IDAT).");
            }
            if (type is "IHDR" or "PLTE" or "tRNS")
            {
                if (length > 4096)
                {
                    throw new DataFileException(path, $"corrupt: the PNG's {type} chunk claims {length} bytes.");
                }
                var data = new byte[length];
                file.ReadExactly(data);
                CheckCrc(path, file, type, data);
                if (type == "IHDR")
                {
                    header = data;
                }
                else
                {
                    kept.Add((type, data));
                }
            }
            else
            {
                file.Seek(length + 4L, SeekOrigin.Current); // other chunks: not needed for pixels
            }
        }
        if (header is not { Length: 13 })
        {
            throw new DataFileException(path, "corrupt: the PNG header (IHDR) is missing or malformed.");
        }
        if (header[12] != 0)
        {
            return null; // Adam7 interlacing: rows do not come in order
        }
        int width = BinaryPrimitives.ReadInt32BigEndian(header), height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int channels = header[9] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        int bitsPerPixel = channels * header[8];
        if (channels == 0 || bitsPerPixel == 0 || width < 1 || height < 1)
        {
            throw new DataFileException(path, $"corrupt: the PNG header declares colour type {header[9]}, bit depth {header[8]}, size {width}x{height}.");
        }
        int rowBytes = (int)(((long)width * bitsPerPixel + 7) / 8);
        int bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        int bandRows = Math.Clamp(BandedReduction.BandBytes / (width * 4), 1, height);

        var raw = new byte[bandRows * (rowBytes + 1L)];   // filter byte 0 + unfiltered row
        var prior = new byte[rowBytes];
        var rgba = new byte[(long)bandRows * width * 4];
        var band = new MemoryStream();
        var compressed = new MemoryStream();
        using var reducer = new BlockAverager(width, height, factor);
        using var inflated = new ZLibStream(new IdatStream(path, file), CompressionMode.Decompress);
        var rgbaHandle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            for (int first = 0; first < height; first += bandRows)
            {
                int count = Math.Min(bandRows, height - first);
                for (int r = 0; r < count; r++)
                {
                    var row = raw.AsSpan((int)(r * (rowBytes + 1L)), rowBytes + 1);
                    ReadRow(path, inflated, row, first + r, height);
                    Unfilter(path, row[0], row[1..], prior, bytesPerPixel);
                    row[1..].CopyTo(prior);
                    row[0] = 0;
                }
                WrapBand(band, compressed, header, kept, raw.AsSpan(0, (int)(count * (rowBytes + 1L))), count);
                using var data = SKData.CreateCopy(band.GetBuffer().AsSpan(0, (int)band.Length));
                using var codec = SKCodec.Create(data);
                var info = new SKImageInfo(width, count, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                var result = codec?.GetPixels(info, rgbaHandle.AddrOfPinnedObject()) ?? SKCodecResult.InvalidInput;
                if (result != SKCodecResult.Success)
                {
                    throw new DataFileException(path, $"corrupt: rows {first} to {first + count - 1} of the PNG could not be decoded ({result}).");
                }
                for (int r = 0; r < count; r++)
                {
                    reducer.Add(rgba.AsSpan(r * width * 4, width * 4), first + r);
                }
            }
            return reducer.Finish();
        }
        finally
        {
            rgbaHandle.Free();
        }
    }

    private static void ReadRow(string path, Stream inflated, Span<byte> row, int y, int height)
    {
        try
        {
            inflated.ReadExactly(row);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFileException(path, $"truncated: the PNG data ends after {y} of the {height} rows.", inner: e);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, $"corrupt: the PNG's compressed data is invalid at row {y}: {e.Message}", inner: e);
        }
    }

    // PNG row filters (specification, section 9): each byte was stored as a difference from
    // its left, upper or predicted neighbour.
    private static void Unfilter(string path, byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }
                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += prior[i];
                }
                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((left + prior[i]) >> 1);
                }
                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                break;
            default:
                throw new DataFileException(path, $"corrupt: a PNG row has the unknown filter type {filter}.");
        }
    }

    private static void WrapBand(MemoryStream band, MemoryStream compressed, byte[] header, List<(string Type, byte[] Data)> kept, ReadOnlySpan<byte> rows, int count)
    {
        compressed.SetLength(0);
        using (var zlib = new ZLibStream(compressed, CompressionLevel.NoCompression, leaveOpen: true))
        {
            zlib.Write(rows);
        }
        band.SetLength(0);
        band.Write(Signature);
        var bandHeader = (byte[])header.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bandHeader.AsSpan(4), count);
        WriteChunk(band, "IHDR", bandHeader);
        foreach (var (type, data) in kept)
        {
            WriteChunk(band, type, data);
        }
        WriteChunk(band, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(band, "IEND", ReadOnlySpan<byte>.Empty);
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
        {
            typeBytes[i] = (byte)type[i];
        }
        stream.Write(typeBytes);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(Crc(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF);
        stream.Write(word);
    }

    private static (string Type, int Length) ReadChunkHeader(string path, Stream file)
    {
        Span<byte> chunk = stackalloc byte[8];
        if (file.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8)
        {
            throw new DataFileException(path, "truncated: the PNG ends between chunks.");
        }
        uint length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
        if (length > int.MaxValue)
        {
            throw new DataFileException(path, $"corrupt: a PNG chunk claims {length} bytes.");
        }
        return (System.Text.Encoding.ASCII.GetString(chunk[4..]), (int)length);
    }

    private static void CheckCrc(string path, Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> stored = stackalloc byte[4];
        if (file.ReadAtLeast(stored, 4, throwOnEndOfStream: false) < 4)
        {
            throw new DataFileException(path, $"truncated: the PNG ends inside its {type} chunk.");
        }
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
        {
            typeBytes[i] = (byte)type[i];
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(stored) != (Crc(Crc(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF))
        {
            throw new DataFileException(path, $"corrupt: the PNG's {type} chunk fails its CRC check.");
        }
    }

    // CRC-32 as PNG defines it (reflected polynomial 0xEDB88320), continued from `crc`.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    /// <summary>The data of consecutive IDAT chunks as one stream, each chunk's CRC checked.</summary>
    private sealed class IdatStream(string path, Stream file) : Stream
    {
        private int _remaining;
        private uint _crc;
        private bool _ended;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_remaining == 0)
            {
                if (_ended || !NextChunk())
                {
                    return 0;
                }
            }
            int read = file.Read(buffer[..Math.Min(buffer.Length, _remaining)]);
            if (read == 0)
            {
                throw new DataFileException(path, "truncated: the PNG ends inside its image data.");
            }
            _crc = Crc(_crc, buffer[..read]);
            _remaining -= read;
            if (_remaining == 0)
            {
                EndChunk();
            }
            return read;
        }

        private bool NextChunk()
        {
            var (type, length) = ReadChunkHeader(path, file);
            if (type != "IDAT")
            {
                _ended = true;
                return false;
            }
            _remaining = length;
            _crc = Crc(0xFFFFFFFF, "IDAT"u8);
            if (length == 0)
            {
                EndChunk();
            }
            return true;
        }

        private void EndChunk()
        {
            Span<byte> stored = stackalloc byte[4];
            if (file.ReadAtLeast(stored, 4, throwOnEndOfStream: false) < 4)
            {
                throw new DataFileException(path, "truncated: the PNG ends inside its image data.");
            }
            if (BinaryPrimitives.ReadUInt32BigEndian(stored) != (_crc ^ 0xFFFFFFFF))
            {
                throw new DataFileException(path, "corrupt: an IDAT chunk of the PNG fails its CRC check.");
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
