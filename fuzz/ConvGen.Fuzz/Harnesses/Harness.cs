using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// One reader under fuzzing: <see cref="Run"/> feeds it the bytes and swallows only the exception
/// types the reader documents for bad input. Anything else escaping (IndexOutOfRange, Overflow,
/// OutOfMemory, NullReference, an undocumented exception type...) is a finding: SharpFuzz reports
/// it to libFuzzer as a crash and libFuzzer saves the input.
/// </summary>
public sealed record Harness(string Name, Action<byte[]> Body)
{
    /// <summary>Every reader, by the name fuzz/run.sh takes.</summary>
    public static IReadOnlyList<Harness> All { get; } =
    [
        new("safetensors", SafeTensorsHarness.Run),
        new("onnx", OnnxHarness.Run),
        new("idx", IdxHarness.Run),
        new("csv", CsvHarness.Run),
    ];

    public static Harness? Find(string name) => All.FirstOrDefault(h => h.Name == name);

    // SharpFuzz hands the input as a span over shared memory; the readers take arrays or files.
    public void Run(ReadOnlySpan<byte> data) => Body(data.ToArray());
}

/// <summary>
/// Inputs for the readers that only take a path: written to a per-process folder in tmpfs
/// (/dev/shm when there is one), so each run costs no disk I/O.
/// </summary>
public static class InputFiles
{
    private static readonly string Folder = CreateFolder();

    private static string CreateFolder()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string folder = Path.Combine(root, $"convgen-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    /// <summary>Writes <paramref name="bytes"/> to the file <paramref name="name"/> of this process's folder and returns its path.</summary>
    public static string Write(string name, ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(Folder, name);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            stream.Write(bytes);
        }
        return path;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
