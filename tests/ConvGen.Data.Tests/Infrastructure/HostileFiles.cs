using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvGen.Data.Tests;

/// <summary>A fact that runs only on Linux (FIFOs and byte file names made through the C library).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux: makes FIFOs and file names that are not UTF-8 through libc.";
        }
    }
}

/// <summary>Files a loader must survive, written byte by byte: forged headers, huge flat images, FIFOs, names that are not UTF-8.</summary>
internal static class HostileFiles
{
    private static readonly byte[] PngSignature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>
    /// A PNG whose header declares <paramref name="width"/> x <paramref name="height"/> grey
    /// pixels (correct CRCs) followed by only a few compressed rows.
    /// </summary>
    public static string WritePngHeader(string path, int width, int height)
    {
        using var file = Create(path);
        WritePngStart(file, width, height);
        var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(new byte[1 + Math.Min(width, 64)]); // one short row: the data is far too small
        }
        WriteChunk(file, "IDAT", data.ToArray());
        WriteChunk(file, "IEND", Array.Empty<byte>());
        return path;
    }

    /// <summary>
    /// A valid 8-bit grey PNG of one flat <paramref name="grey"/> level, streamed row by row so
    /// that writing it never holds the picture (a 20000x20000 file is about 400 KB).
    /// </summary>
    public static string WriteFlatGreyPng(string path, int width, int height, byte grey)
    {
        using var file = Create(path);
        WritePngStart(file, width, height);
        var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width];
            row.AsSpan(1).Fill(grey);
            zlib.Write(row); // filter 0 (None) for the first row
            row.AsSpan().Clear();
            row[0] = 2; // filter 2 (Up): every later row equals the one above, all zero bytes
            for (int y = 1; y < height; y++)
            {
                zlib.Write(row);
            }
        }
        WriteChunk(file, "IDAT", data.ToArray());
        WriteChunk(file, "IEND", Array.Empty<byte>());
        return path;
    }

    /// <summary>A BMP (BITMAPINFOHEADER, 24 bits) declaring the size, with a few bytes of pixels.</summary>
    public static string WriteBmpHeader(string path, int width, int height)
    {
        var bytes = new byte[54 + 64];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), 54); // pixel data offset
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40); // info header size
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1); // planes
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 24); // bits per pixel
        using var file = Create(path);
        file.Write(bytes);
        return path;
    }

    /// <summary>A 24-bit BMP, rows stored bottom-up, whose pixel (x, y) is black left of <paramref name="split"/> and white from it on.</summary>
    public static string WriteHalvesBmp(string path, int width, int height, int split)
    {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        WriteBmpHeader(path, width, height);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(54);
        file.Position = 54;
        var row = new byte[rowBytes];
        row.AsSpan(split * 3, (width - split) * 3).Fill(255);
        for (int y = 0; y < height; y++)
        {
            file.Write(row);
        }
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)file.Length);
        file.Position = 2;
        file.Write(size);
        return path;
    }

    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/>; reading it would block until something writes.</summary>
    public static string MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Assert.True(MkFifo(NullTerminated(Encoding.UTF8.GetBytes(path)), 0x1A4) == 0, $"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>Moves <paramref name="source"/> to the folder <paramref name="folder"/> under a name made of raw bytes (which need not be UTF-8).</summary>
    public static void MoveToByteName(string source, string folder, byte[] name)
    {
        byte[] target = NullTerminated(Concat(Encoding.UTF8.GetBytes(folder + "/"), name));
        Assert.True(Rename(NullTerminated(Encoding.UTF8.GetBytes(source)), target) == 0, $"rename {source}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Creates a folder inside <paramref name="folder"/> named by raw bytes.</summary>
    public static void MakeByteNamedFolder(string folder, byte[] name)
    {
        byte[] target = NullTerminated(Concat(Encoding.UTF8.GetBytes(folder + "/"), name));
        Assert.True(MkDir(target, 0x1ED) == 0, $"mkdir in {folder}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Bytes that are not UTF-8 (a lone continuation byte and 0xFF) around some ASCII.</summary>
    public static byte[] NotUtf8(string before, string after) =>
        Concat(Concat(Encoding.ASCII.GetBytes(before), new byte[] { 0x80, 0xFF }), Encoding.ASCII.GetBytes(after));

    private static void WritePngStart(Stream file, int width, int height)
    {
        file.Write(PngSignature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // colour type: grey
        // compression 0, filter 0, interlace 0
        WriteChunk(file, "IHDR", header);
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        byte[] typeAndData = Concat(Encoding.ASCII.GetBytes(type), data);
        file.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        file.Write(crc);
    }

    // The PNG chunk CRC: CRC-32 with the reflected polynomial 0xEDB88320 (PNG spec, annex D).
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc ^ 0xFFFFFFFF;
    }

    private static FileStream Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.Create(path);
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var all = new byte[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        return all;
    }

    private static byte[] NullTerminated(byte[] bytes) => Concat(bytes, new byte[] { 0 });

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MkDir(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(byte[] from, byte[] to);
}
