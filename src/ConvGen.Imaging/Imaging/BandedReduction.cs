using System;
using System.Runtime.InteropServices;
using ConvGen.Data;
using SkiaSharp;

namespace ConvGen.Imaging;

/// <summary>
/// Decodes a large image a band of rows at a time and averages each <c>factor x factor</c>
/// block into one pixel, so the whole picture is never in memory: PNG and BMP have no scaled
/// decoding of their own (JPEG and WebP do), and a valid 20000x20000 PNG would otherwise take
/// 1.6 GB as RGBA just to be shrunk to a network input of a few thousand pixels.
/// </summary>
internal static class BandedReduction
{
    // Rows decoded per call: an interlaced PNG is decoded in full once per call, so bands must
    // be large enough to keep those passes few, yet bounded.
    private const int BandBytes = 8 << 20;

    /// <summary>
    /// The <paramref name="size"/>-pixel decode of <paramref name="codec"/> reduced by
    /// <paramref name="factor"/> (RGBA, unpremultiplied; edge blocks average the pixels they
    /// have), or null when the codec cannot decode by rows (GIF): the caller decodes whole.
    /// </summary>
    public static SKBitmap? Decode(string path, SKCodec codec, SKSizeI size, int factor)
    {
        var rowInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (codec.StartScanlineDecode(rowInfo) != SKCodecResult.Success)
        {
            return null;
        }
        bool topDown = codec.ScanlineOrder == SKCodecScanlineOrder.TopDown;
        int rowBytes = size.Width * 4;
        int bandRows = topDown ? (int)Math.Clamp(BandBytes / rowBytes, 1, size.Height) : 1; // bottom-up: one row at a time, in the order they come
        int outWidth = (size.Width + factor - 1) / factor, outHeight = (size.Height + factor - 1) / factor;
        var reduced = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var band = new byte[(long)bandRows * rowBytes];
        var sums = new long[outWidth * 4];
        var outRow = new byte[outWidth * 4];
        var handle = GCHandle.Alloc(band, GCHandleType.Pinned);
        try
        {
            int block = -1, rowsInBlock = 0, decoded = 0;
            while (decoded < size.Height)
            {
                int first = codec.GetOutputScanline(codec.NextScanline);
                int count = Math.Min(bandRows, size.Height - decoded);
                int got = codec.GetScanlines(handle.AddrOfPinnedObject(), count, rowBytes);
                if (got < count)
                {
                    reduced.Dispose();
                    throw new DataFileException(path,
                        $"truncated: the {codec.EncodedFormat.ToString().ToUpperInvariant()} data ends after {decoded + got} of the {size.Height} rows.");
                }
                for (int r = 0; r < count; r++)
                {
                    int y = first + r;
                    if (y / factor != block)
                    {
                        Flush(reduced, block, rowsInBlock, size.Width, factor, sums, outRow);
                        block = y / factor;
                        rowsInBlock = 0;
                    }
                    Accumulate(band.AsSpan(r * rowBytes, rowBytes), factor, sums);
                    rowsInBlock++;
                }
                decoded += count;
            }
            Flush(reduced, block, rowsInBlock, size.Width, factor, sums, outRow);
            return reduced;
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Accumulate(ReadOnlySpan<byte> row, int factor, long[] sums)
    {
        int width = row.Length / 4;
        for (int x = 0; x < width; x++)
        {
            int o = x / factor * 4, i = 4 * x;
            sums[o] += row[i];
            sums[o + 1] += row[i + 1];
            sums[o + 2] += row[i + 2];
            sums[o + 3] += row[i + 3];
        }
    }

    // Writes the averages of block row `block` and clears the sums.
    private static void Flush(SKBitmap reduced, int block, int rowsInBlock, int width, int factor, long[] sums, byte[] outRow)
    {
        if (block < 0 || rowsInBlock == 0)
        {
            return;
        }
        int outWidth = outRow.Length / 4;
        for (int bx = 0; bx < outWidth; bx++)
        {
            long pixels = (long)rowsInBlock * Math.Min(factor, width - bx * factor);
            for (int c = 0; c < 4; c++)
            {
                outRow[4 * bx + c] = (byte)((sums[4 * bx + c] + pixels / 2) / pixels);
            }
        }
        Marshal.Copy(outRow, 0, reduced.GetPixels() + block * reduced.RowBytes, outRow.Length);
        Array.Clear(sums);
    }
}
