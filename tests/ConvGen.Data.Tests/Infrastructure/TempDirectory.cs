using System;
using System.IO;

namespace ConvGen.Data.Tests;

/// <summary>A fresh directory per test, deleted afterwards, so file tests never collide when xunit runs classes in parallel.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "convgen-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates (and returns) a sub-folder.</summary>
    public string Folder(params string[] parts)
    {
        string path = System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
