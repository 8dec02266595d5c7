using System;
using System.IO;
using System.Runtime.InteropServices;
using ConvGen.Data;

namespace ConvGen.Imaging;

/// <summary>
/// Opens an image file for reading only after checking that it is a regular, non-empty file:
/// opening a FIFO blocks until some other process writes to it, and a device never ends, so
/// a <c>.png</c> that is either would hang the loader. Every failure is a
/// <see cref="DataFileException"/> naming the file.
/// </summary>
internal static class ImageFile
{
    /// <summary>The checked file, open for reading (caller disposes), and its length.</summary>
    public static FileStream OpenRegular(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? kind = NonRegularKind(path);
        if (kind is not null)
        {
            throw new DataFileException(path, $"not a regular file but {kind}; only regular files are read as images.");
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new DataFileException(path, Directory.Exists(path) ? "a folder, not an image file." : "the file does not exist.");
        }
        if (info.Length == 0)
        {
            // Also where a FIFO or device ends up when its type cannot be asked (they report 0 bytes): never opened.
            throw new DataFileException(path, "the file is empty (0 bytes), not an image.");
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new DataFileException(path, "the file does not exist.", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, $"the file cannot be read: {e.Message}", inner: e);
        }
    }

    /// <summary>"a FIFO (named pipe)", "a character device", ... for a path that exists and is not a regular file or folder; null otherwise or when the type cannot be asked.</summary>
    internal static string? NonRegularKind(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the size check stands in: FIFOs, devices and sockets report 0 bytes.
            return null;
        }
        try
        {
            // statx has the same layout on every Linux architecture (unlike struct stat).
            var buffer = new byte[256];
            if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
            {
                return null; // missing or unreadable: the caller's own checks say which
            }
            int type = BitConverter.ToUInt16(buffer, StatxModeOffset) & FileTypeMask;
            return type switch
            {
                RegularFile or DirectoryType => null,
                Fifo => "a FIFO (named pipe)",
                CharacterDevice => "a character device",
                BlockDevice => "a block device",
                Socket => "a socket",
                _ => $"an entry of file type 0x{type:x}",
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without statx: the size check stands in
        }
    }

    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int DirectoryType = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int RegularFile = 0x8000;
    private const int Socket = 0xC000;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
