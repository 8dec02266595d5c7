using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConvGen.Generators.Tests.Infrastructure;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The approved snapshots (which <see cref="SnapshotTests"/> keep equal to the generator's
/// output) stay readable and small: kernels carry no literal identities, and each kernel is
/// written once, so a network's file stays within its size budget.
/// </summary>
public sealed class GeneratedCodeQualityTests
{
    /// <summary>The goal for every sample network's generated file: 120 KB (the issue counted 345,283 bytes as 345 KB).</summary>
    private const int GoalBytes = 120 * 1000;

    /// <summary>
    /// Arithmetic that a reader must see through. Each pattern is written so that it cannot match
    /// legitimate code: <c>* 1</c> but not <c>* 16</c>, <c>* 1.5f</c> or <c>* 1e-5f</c>; <c>+ 0</c>
    /// but not <c>+ 0.5f</c>, <c>+ 08</c> or <c>+ 0x10</c>; <c>0 +</c> but not <c>10 +</c> or <c>1.0 +</c>.
    /// </summary>
    private static readonly (string Name, Regex Pattern)[] s_noise =
    {
        ("two braces on one line", new Regex(@"\{ \{")),
        ("a product with 1", new Regex(@"\* 1\b(?!\d|\.)")),
        ("a sum with 0", new Regex(@"\+ 0\b(?![.\dxf])")),
        ("0 added to a term", new Regex(@"(?<![\w.])0 \+ ")),
        ("a difference with 0", new Regex(@"\s- 0\b(?![.\dxf])")),
        ("a ref moved by 0", new Regex(@"Unsafe\.Add\(ref [\w.]+, 0\)")),
        ("a vector load or store at offset 0", new Regex(@"(Load|Store)Unsafe\((ref [\w.]+|[^;]*, ref [\w.]+), (\(nuint\))?0\)")),
        ("a loop that runs once", new Regex(@"for \(int (\w+) = 0; \1 < (\d+); \1 \+= \2\)")),
    };

    public static IEnumerable<object[]> Snapshots() =>
        Directory.GetFiles(GoldenFile.SnapshotDirectory, "*.approved.cs").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void Kernels_have_no_literal_identities(string snapshot)
    {
        string text = File.ReadAllText(Path.Combine(GoldenFile.SnapshotDirectory, snapshot));
        string kernels = KernelsClass(text, snapshot);
        var found = s_noise
            .SelectMany(noise => kernels.Split('\n').Where(line => noise.Pattern.IsMatch(line)).Take(3).Select(line => $"{noise.Name}: {line.Trim()}"))
            .ToList();
        found.ShouldBeEmpty($"{snapshot} has noise in its kernels");
    }

    /// <summary>
    /// LectureNet and ResidualNet (119,705 bytes, from 346,824 before the kernel catalogue) meet
    /// the goal. StridedNet (139,152: its weight-gradient tiles are written out row by row) does
    /// not yet: its budget is where it stands, so that it can only shrink; lower it to
    /// <see cref="GoalBytes"/> when it gets there.
    /// </summary>
    [Theory]
    [InlineData("LectureNet.approved.cs", GoalBytes)]
    [InlineData("ResidualNet.approved.cs", GoalBytes)]
    [InlineData("StridedNet.approved.cs", 140 * 1000)]
    public void Generated_file_is_within_the_size_budget(string snapshot, int budget)
    {
        long bytes = new FileInfo(Path.Combine(GoldenFile.SnapshotDirectory, snapshot)).Length;
        bytes.ShouldBeLessThanOrEqualTo(budget, $"{snapshot} is {bytes} bytes, the budget is {budget}");
    }

    /// <summary>
    /// Every register tile's comment (<c>6 pixels x 2 Vector256 accumulators</c>, <c>6 rows x 2 scalar
    /// accumulators</c>) names a tile whose accumulators, loaded vectors (or scalars) and broadcast fit
    /// the registers of its body's width: 16 in a Vector256 body (AVX2), 32 in a Vector512 one.
    /// A tile of 3 pixels x 4 Vector256 (17 registers) had the JIT keep an accumulator on the stack
    /// inside the input-channel loop.
    /// </summary>
    [Theory]
    [MemberData(nameof(Snapshots))]
    public void Register_tiles_fit_their_bodys_registers(string snapshot)
    {
        var body = new Regex(@"static void \w+?(Vector256|Vector512)\b");
        var tile = new Regex(@"// .*: (\d+) (?:pixels|rows) x (\d+) (?:Vector128|Vector256|Vector512|scalar) accumulators");
        int registers = 16;
        var over = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(GoldenFile.SnapshotDirectory, snapshot)))
        {
            var method = body.Match(line);
            if (method.Success)
            {
                registers = method.Groups[1].Value == "Vector512" ? 32 : 16;
            }
            var match = tile.Match(line);
            if (match.Success)
            {
                int rows = int.Parse(match.Groups[1].Value), columns = int.Parse(match.Groups[2].Value);
                if (rows * columns + columns + 1 > registers)
                {
                    over.Add($"{line.Trim()} in {registers} registers");
                }
            }
        }
        over.ShouldBeEmpty($"{snapshot} has tiles that spill");
    }

    [Fact]
    public void The_noise_patterns_match_noise_and_nothing_else()
    {
        string[] noise = { "{ {", "(oy * 1 + ox)", "ox * 1)", "i + 0]", "(0 + ox)", "x - 0;", "Unsafe.Add(ref weightGradient, 0)", "Vector256.LoadUnsafe(ref d, 0)", "Vector512.StoreUnsafe(a0, ref pixel, 0);", "a0.StoreUnsafe(ref pixel, 0);", "for (int ox = 0; ox < 8; ox += 8)" };
        string[] legitimate = { "{", "oy * 16 + ox", "x * 1.5f", "x * 1e-5f", "at + 0.5f", "at + 08", "10 + ox", "1.0 + x", "x - 0.5f", "Unsafe.Add(ref x, 10)", "Vector256.LoadUnsafe(ref d, 8)", "Vector512.StoreUnsafe(a0, ref pixel, 160);", "Array.Clear(padded, 0, 867);", "a0.StoreUnsafe(ref pixel, 16);", "for (int ox = 0; ox < 16; ox += 8)", "for (int r = 0; r < 8; r++)" };
        foreach (string line in noise)
        {
            s_noise.Any(n => n.Pattern.IsMatch(line)).ShouldBeTrue(line);
        }
        foreach (string line in legitimate)
        {
            s_noise.Where(n => n.Pattern.IsMatch(line)).Select(n => n.Name).ShouldBeEmpty(line);
        }
    }

    /// <summary>The file's kernels class (<c>file static class {Network}Kernels</c> to the end): the code the kernel emitters write.</summary>
    private static string KernelsClass(string text, string snapshot)
    {
        var start = Regex.Match(text, @"^\s*file static class \w+Kernels\b", RegexOptions.Multiline);
        start.Success.ShouldBeTrue($"{snapshot} has no kernels class");
        return text.Substring(start.Index);
    }
}
