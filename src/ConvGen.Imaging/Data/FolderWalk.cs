using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Imaging;

namespace ConvGen.Data;

/// <summary>A class folder found by <see cref="FolderWalk"/>: its name, its path under the root and the real folder it is.</summary>
internal sealed record ClassFolder(string Name, string Path, string RealPath);

/// <summary>
/// Lists the class folders of an image folder and the files in each, following symbolic links
/// only where they cannot loop or change a label: a link is followed when it leads inside the
/// folder it belongs to (the root for a class folder, the class folder for anything in it)
/// and, for a link to a folder, into a folder not read yet (a link to a folder already read,
/// an alias or a loop back up, is passed over: its images are read once, through the real
/// folder). Links that lead out of their folder, links that lead nowhere, and entries whose
/// name is not valid UTF-8 (which .NET cannot open) are bad input, handled by the policy like
/// unreadable images.
/// </summary>
/// <remarks>
/// Without this, <c>class_b/loop -&gt; ..</c> made enumeration run in circles with growing
/// memory, and a link into class a's folder from class b gave a's images the label b.
/// </remarks>
internal sealed class FolderWalk
{
    // As Linux's ELOOP limit: more links than this in one path is a loop.
    private const int MaxLinksPerPath = 40;

    private readonly string _root;
    private readonly string _realRoot;
    private readonly BadInputPolicy _policy;
    private readonly BadInputReport _report;
    private readonly Dictionary<string, string> _readBy = new(StringComparer.Ordinal); // real folder -> class that read it

    public FolderWalk(string root, BadInputPolicy policy, BadInputReport report)
    {
        _root = root;
        _realRoot = RealPath(root) ?? Path.GetFullPath(root);
        _policy = policy;
        _report = report;
    }

    /// <summary>The root's non-hidden sub-folders (and links to folders that may be followed), in ordinal name order.</summary>
    public List<ClassFolder> ClassFolders()
    {
        var folders = new List<ClassFolder>();
        var links = new List<(FileSystemInfo Entry, string Path, string? Real)>();
        foreach (var entry in Entries(_root))
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }
            string path = Path.Combine(_root, entry.Name); // as the caller named the root, relative or not
            if (HasUnreadableName(entry))
            {
                if (entry is DirectoryInfo)
                {
                    Bad(path, UnreadableNameProblem);
                }
                continue;
            }
            if (entry.LinkTarget is null)
            {
                if (entry is DirectoryInfo)
                {
                    folders.Add(new ClassFolder(entry.Name, path, Path.Combine(_realRoot, entry.Name)));
                }
                continue;
            }
            links.Add((entry, path, RealPath(entry.FullName)));
        }
        // A class folder that is a link must not lead onto the root or into another class's folder
        // (whose images would then carry two labels).
        foreach (var (entry, path, real) in links)
        {
            if (real is null)
            {
                Bad(path, Dangling(entry));
                continue;
            }
            if (!Directory.Exists(real))
            {
                continue; // a link to a file: a loose file, like the others at the top
            }
            string? owner = folders.FirstOrDefault(f => IsInside(real, f.RealPath))?.Name;
            if (!IsInside(real, _realRoot) || real == _realRoot)
            {
                Bad(path, $"a link to '{real}', which is not inside the image folder '{_realRoot}': not followed. {LinkAdvice}");
            }
            else if (owner is not null)
            {
                Bad(path, $"a link to '{real}', inside the folder of class '{owner}': not followed (those images would carry two labels).");
            }
            else
            {
                folders.Add(new ClassFolder(entry.Name, path, real));
            }
        }
        folders.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return folders;
    }

    /// <summary>
    /// The image files under a class folder (recursively, hidden files left out), in ordinal
    /// path order, and how many other files it holds.
    /// </summary>
    public (List<string> Images, int Ignored) Files(ClassFolder folder)
    {
        var images = new List<string>();
        int ignored = 0;
        if (_readBy.TryGetValue(folder.RealPath, out string? reader))
        {
            Bad(folder.Path, $"a link to '{folder.RealPath}', already read as class '{reader}': not followed.");
            return (images, ignored);
        }
        // Real folders first, links after: a link to a folder of the tree then finds it read
        // whatever the names' order, and never reads it twice. An explicit stack, not
        // recursion, so that deep trees cannot overflow the call stack.
        var folders = new Stack<(string Path, string Real)>();
        var links = new Queue<(FileSystemInfo Entry, string Path)>();
        folders.Push((folder.Path, folder.RealPath));
        _readBy[folder.RealPath] = folder.Name;
        while (folders.Count > 0 || links.Count > 0)
        {
            if (folders.Count == 0)
            {
                var (link, linkPath) = links.Dequeue();
                string? real = RealPath(link.FullName);
                if (real is null)
                {
                    Bad(linkPath, Dangling(link));
                }
                else if (!IsInside(real, folder.RealPath))
                {
                    Bad(linkPath, $"a link to '{real}', outside the class folder '{folder.Name}': not followed (it would give other images the label '{folder.Name}', or loop). {LinkAdvice}");
                }
                else if (Directory.Exists(real))
                {
                    // A folder already read (an alias inside the class, or a loop back up to it)
                    // is not read again: its images count once, through the real folder, so
                    // nothing is lost and nothing needs reporting.
                    if (_readBy.TryAdd(real, folder.Name))
                    {
                        folders.Push((linkPath, real));
                    }
                }
                else
                {
                    Add(linkPath);
                }
                continue;
            }
            var (path, realPath) = folders.Pop();
            foreach (var entry in Entries(path))
            {
                string entryPath = Path.Combine(path, entry.Name);
                if (HasUnreadableName(entry))
                {
                    if (entry is DirectoryInfo || ImageDecoder.HasImageExtension(entry.Name))
                    {
                        Bad(entryPath, UnreadableNameProblem);
                    }
                    else
                    {
                        ignored++;
                    }
                }
                else if (entry.LinkTarget is not null)
                {
                    if (!entry.Name.StartsWith('.'))
                    {
                        links.Enqueue((entry, entryPath));
                    }
                }
                else if (entry is DirectoryInfo)
                {
                    // Hidden folders are read too, as before: only hidden files are left out.
                    string real = Path.Combine(realPath, entry.Name);
                    if (_readBy.TryAdd(real, folder.Name))
                    {
                        folders.Push((entryPath, real));
                    }
                }
                else if (!entry.Name.StartsWith('.'))
                {
                    Add(entryPath);
                }
            }
        }
        images.Sort(StringComparer.Ordinal);
        return (images, ignored);

        void Add(string file)
        {
            if (ImageDecoder.HasImageExtension(file))
            {
                images.Add(file);
            }
            else
            {
                ignored++;
            }
        }
    }

    /// <summary>
    /// The path with every symbolic link resolved (as POSIX <c>realpath</c>), or null when it
    /// does not exist or passes through more than 40 links (a loop).
    /// </summary>
    internal static string? RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushParts(pending, full[current.Length..]);
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            string next = Path.Combine(current, part);
            var info = new FileInfo(next);
            string? target = info.LinkTarget;
            if (target is null)
            {
                if (!info.Exists && !Directory.Exists(next))
                {
                    return null;
                }
                current = next;
                continue;
            }
            if (++links > MaxLinksPerPath)
            {
                return null;
            }
            // A relative target is relative to the link's folder (current, already resolved).
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }
            PushParts(pending, target);
        }
        return current;
    }

    private const string UnreadableNameProblem =
        "the name is not valid UTF-8 (the invalid bytes show as \uFFFD), so it cannot be opened by that name; rename it.";

    private const string LinkAdvice =
        "Links are followed only inside the folder that holds them; open a common parent folder or copy the files instead.";

    private static string Dangling(FileSystemInfo link) =>
        $"a link to '{link.LinkTarget}', which does not exist (or is a loop of links): not followed.";

    // .NET shows bytes that are not UTF-8 as U+FFFD; such a name then names nothing on disk.
    private static bool HasUnreadableName(FileSystemInfo entry) =>
        entry.Name.Contains('\uFFFD') && !Exists(entry.FullName);

    private static bool Exists(string path) =>
        new FileInfo(path).LinkTarget is not null || File.Exists(path) || Directory.Exists(path);

    private static bool IsInside(string path, string folder)
    {
        if (path == folder)
        {
            return true;
        }
        string prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static void PushParts(Stack<string> pending, string relative)
    {
        var parts = relative.Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private List<FileSystemInfo> Entries(string folder)
    {
        try
        {
            return new DirectoryInfo(folder).EnumerateFileSystemInfos()
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (folder == _root)
            {
                throw;
            }
            Bad(folder, $"the folder cannot be listed: {e.Message}");
            return new List<FileSystemInfo>();
        }
    }

    private void Bad(string path, string problem) => _report.Handle(_policy, new DataFileException(path, problem));
}
