using System;
using System.IO;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Approved/received snapshots (the Verify convention, which cannot be restored here). Each
/// snapshot lives at <c>Snapshots/{name}.approved.cs</c> in the source tree. On a mismatch the
/// actual text is written to <c>{name}.received.cs</c> beside it (git-ignored) and the test
/// fails; review with a diff tool and, if the change is intended, rename received to approved.
/// Setting <c>CONVGEN_ACCEPT_SNAPSHOTS=1</c> accepts every received text in one run.
/// </summary>
internal static class GoldenFile
{
    private const string AcceptVariable = "CONVGEN_ACCEPT_SNAPSHOTS";

    public static string SnapshotDirectory { get; } = Path.Combine(TestPaths.ProjectDirectory, "Snapshots");

    public static void Verify(string actual, string name)
    {
        string approvedPath = Path.Combine(SnapshotDirectory, name + ".approved.cs");
        string receivedPath = Path.Combine(SnapshotDirectory, name + ".received.cs");
        actual = NormalizeLineEndings(actual);
        string? approved = File.Exists(approvedPath) ? NormalizeLineEndings(File.ReadAllText(approvedPath)) : null;

        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(SnapshotDirectory);
            File.WriteAllText(approvedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        string reason = approved is null
            ? "no approved snapshot exists yet."
            : "it differs from the approved snapshot " + FirstDifference(approved, actual);
        Assert.Fail($"Snapshot '{name}': {reason}{Environment.NewLine}" +
            $"  received: {receivedPath}{Environment.NewLine}" +
            $"  approved: {approvedPath}{Environment.NewLine}" +
            $"  diff -u '{approvedPath}' '{receivedPath}'; if the change is intended, move received over approved " +
            $"(or rerun with {AcceptVariable}=1).");
    }

    private static string FirstDifference(string approved, string actual)
    {
        var expectedLines = approved.Split('\n');
        var actualLines = actual.Split('\n');
        for (int i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            string? expected = i < expectedLines.Length ? expectedLines[i] : null;
            string? received = i < actualLines.Length ? actualLines[i] : null;
            if (expected != received)
            {
                return $"at line {i + 1}:{Environment.NewLine}  approved: {expected ?? "<end of file>"}{Environment.NewLine}  received: {received ?? "<end of file>"}";
            }
        }
        return "";
    }

    // Snapshots compare text, not the platform's newline convention or git's autocrlf choice.
    private static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n");
}
