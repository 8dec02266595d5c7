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
    // Decoded RGBA bytes per band: bounded, yet large enough that an interlaced image (decoded
    // in full once per call by SkiaSharp) needs few passes.
    internal const int BandBytes = 8 << 20;

    /// <summary>
    /// The <paramref name="size"/>-pixel decode of <paramref name="codec"/> reduced by
    /// <paramref name="factor"/>, read through SkiaSharp's scanline decoding (BMP, scaled JPEG),
    /// or null when the codec cannot decode by rows (SkiaSharp's PNG and GIF codecs).
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
        int bandRows = topDown ? Math.Clamp(BandBytes / rowBytes, 1, size.Height) : 1; // bottom-up: one row at a time, in the order they come
        var band = new byte[(long)bandRows * rowBytes];
        var reducer = new BlockAverager(size.Width, size.Height, factor);
        var handle = GCHandle.Alloc(band, GCHandleType.Pinned);
        try
        {
            int decoded = 0;
            while (decoded < size.Height)
            {
                int first = codec.GetOutputScanline(codec.NextScanline);
                int count = Math.Min(bandRows, size.Height - decoded);
                int got = codec.GetScanlines(handle.AddrOfPinnedObject(), count, rowBytes);
                if (got < count)
                {
                    reducer.Dispose();
                    throw new DataFileException(path,
                        $"truncated: the {codec.EncodedFormat.ToString().ToUpperInvariant()} data ends after {decoded + got} of the {size.Height} rows.");
                }
                for (int r = 0; r < count; r++)
                {
                    reducer.Add(band.AsSpan(r * rowBytes, rowBytes), first + r);
                }
                decoded += count;
            }
            return reducer.Finish();
        }
        finally
        {
            handle.Free();
        }
    }
}

/// <summary>
/// Averages RGBA rows, given in order (top-down or bottom-up), into <c>factor x factor</c>
/// blocks: edge blocks average the pixels they have. Holds one row of sums and the result.
/// </summary>
internal sealed class BlockAverager : IDisposable
{
    private readonly int _width;
    private readonly int _factor;
    private readonly long[] _sums;
    private readonly byte[] _row;
    private SKBitmap? _reduced;
    private int _block = -1;
    private int _rowsInBlock;

    public BlockAverager(int width, int height, int factor)
    {
        _width = width;
        _factor = factor;
        int outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor;
        _reduced = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        _sums = new long[outWidth * 4];
        _row = new byte[outWidth * 4];
    }

    /// <summary>Adds row <paramref name="y"/> (RGBA, unpremultiplied: colours are averaged as stored).</summary>
    public void Add(ReadOnlySpan<byte> rgba, int y)
    {
        if (y / _factor != _block)
        {
            Flush();
            _block = y / _factor;
        }
        for (int block = 0, x = 0; x < _width; block++)
        {
            long r = 0, g = 0, b = 0, a = 0;
            for (int end = Math.Min(_width, x + _factor); x < end; x++)
            {
                r += rgba[4 * x];
                g += rgba[4 * x + 1];
                b += rgba[4 * x + 2];
                a += rgba[4 * x + 3];
            }
            _sums[4 * block] += r;
            _sums[4 * block + 1] += g;
            _sums[4 * block + 2] += b;
            _sums[4 * block + 3] += a;
        }
        _rowsInBlock++;
    }

    /// <summary>The reduced picture (the caller disposes it).</summary>
    public SKBitmap Finish()
    {
        Flush();
        var reduced = _reduced!;
        _reduced = null;
        return reduced;
    }

    public void Dispose() => _reduced?.Dispose();

    private void Flush()
    {
        if (_block < 0 || _rowsInBlock == 0)
        {
            return;
        }
        int outWidth = _row.Length / 4;
        for (int bx = 0; bx < outWidth; bx++)
        {
            long pixels = (long)_rowsInBlock * Math.Min(_factor, _width - bx * _factor);
            for (int c = 0; c < 4; c++)
            {
                _row[4 * bx + c] = (byte)((_sums[4 * bx + c] + pixels / 2) / pixels);
            }
        }
        Marshal.Copy(_row, 0, _reduced!.GetPixels() + _block * _reduced.RowBytes, _row.Length);
        Array.Clear(_sums);
        _rowsInBlock = 0;
    }
}
