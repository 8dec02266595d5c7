using System.IO;
using System.Linq;
using ConvGen.Fuzz.Harnesses;

namespace ConvGen.Fuzz.Tests;

/// <summary>
/// The checked-in seeds (fuzz/corpus/READER) are valid inputs that still pass their harness with
/// today's readers, and the seed maker still writes them: a reader change that breaks a seed shows
/// here, without clang.
/// </summary>
public sealed class SeedCorpusTests
{
    [Theory]
    [MemberData(nameof(FuzzRunTests.Readers), MemberType = typeof(FuzzRunTests))]
    public void Every_checked_in_seed_passes_its_harness(string reader)
    {
        string folder = Path.Combine(FuzzRunTests.RepositoryRoot(), "fuzz", "corpus", reader);
        string[] seeds = Directory.GetFiles(folder);
        Assert.NotEmpty(seeds);
        Harness harness = Harness.Find(reader)!;
        foreach (string seed in seeds)
        {
            harness.Run(File.ReadAllBytes(seed));
        }
    }

    [Fact]
    public void The_seed_maker_writes_the_checked_in_seed_names()
    {
        string folder = Path.Combine(Path.GetTempPath(), "convgen-fuzz-seed-test-" + System.Guid.NewGuid().ToString("N"));
        try
        {
            SeedCorpus.WriteAll(folder);
            string corpus = Path.Combine(FuzzRunTests.RepositoryRoot(), "fuzz", "corpus");
            foreach (Harness harness in Harness.All)
            {
                string[] Names(string root) => Directory.GetFiles(Path.Combine(root, harness.Name)).Select(Path.GetFileName).Order().ToArray()!;
                Assert.Equal(Names(corpus), Names(folder));
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
