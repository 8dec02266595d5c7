using System;
using System.IO;

namespace ConvGen.Serialization;

/// <summary>
/// Writes a file so that readers see either the old or the new content, never a torn one: the
/// bytes go to <c>{name}.{32 hex digits}.tmp</c> in the target's directory, are flushed to disk
/// and only then renamed over the target. A process killed mid-write leaves such a temporary
/// file behind (up to the size of a checkpoint); the next write to the same target deletes it.
/// </summary>
internal static class AtomicFile
{
    private const string Suffix = ".tmp";
    private const int RandomDigits = 32;

    /// <summary>
    /// Deletes stale temporary files of <paramref name="path"/>, writes the new content to a fresh
    /// one with <paramref name="write"/> and renames it over <paramref name="path"/>. On failure
    /// the temporary file is deleted and the target is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        DeleteStaleTemporaries(path);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + Suffix;
        try
        {
            // FileShare.None also takes an advisory lock on Unix, which tells a concurrent
            // DeleteStaleTemporaries that this file is still being written.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// True when <paramref name="candidate"/> (a file name without directory) is a temporary file
    /// of the target named <paramref name="targetName"/>: <c>{target}.{32 lowercase hex}.tmp</c>,
    /// or <c>{target}.tmp</c> as versions before the random part wrote it.
    /// </summary>
    public static bool IsTemporaryOf(string targetName, string candidate)
    {
        if (!candidate.StartsWith(targetName, StringComparison.Ordinal) || !candidate.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }
        ReadOnlySpan<char> middle = candidate.AsSpan(targetName.Length, candidate.Length - targetName.Length - Suffix.Length);
        if (middle.IsEmpty)
        {
            return true; // the legacy fixed name
        }
        if (middle.Length != RandomDigits + 1 || middle[0] != '.')
        {
            return false;
        }
        foreach (char c in middle[1..])
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Deletes the temporary files a killed write to <paramref name="path"/> left behind, and only
    /// those (see <see cref="IsTemporaryOf"/>). A file another process still holds open for
    /// writing is locked, and skipped. Best effort: a file that cannot be deleted stays.
    /// </summary>
    public static void DeleteStaleTemporaries(string path)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        string targetName = Path.GetFileName(full);
        if (directory is null || targetName.Length == 0 || !Directory.Exists(directory))
        {
            return;
        }
        foreach (string candidate in Directory.EnumerateFiles(directory, "*" + Suffix))
        {
            if (!IsTemporaryOf(targetName, Path.GetFileName(candidate)))
            {
                continue;
            }
            try
            {
                // Opening exclusively fails while a writer holds the file; DeleteOnClose then removes
                // it without a window in which another writer could reopen it.
                using var stale = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
