using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace ConvGen.Generators.Tests.ProgramChecks;

/// <summary>
/// Each mistaken program of <see cref="MistakeCatalogue"/> gets exactly its diagnostic, at the
/// marked span, with the exact message; each corrected program compiles and gets none.
/// </summary>
public sealed class MistakeCatalogueTests
{
    public static TheoryData<string> Names() => new(MistakeCatalogue.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Mistake_is_reported_where_it_is_written(string name)
    {
        var mistake = MistakeCatalogue.All.Single(m => m.Name == name);
        int start = mistake.Program.IndexOf("[|", System.StringComparison.Ordinal);
        string program = mistake.Program.Replace("[|", "").Replace("|]", "");
        int end = mistake.Program.IndexOf("|]", System.StringComparison.Ordinal) - 2;

        var (analyzer, errors) = await ProgramAnalyzerHarness.RunAsync(program, CatalogueNetworks.Source);

        errors.ShouldBeEmpty();
        var diagnostic = analyzer.ShouldHaveSingleItem(string.Join("\n", analyzer));
        diagnostic.Id.ShouldBe(mistake.Id);
        diagnostic.Location.SourceTree!.FilePath.ShouldBe("Program.cs");
        program.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length).ShouldBe(program.Substring(start, end - start));
        diagnostic.GetMessage(CultureInfo.InvariantCulture).ShouldBe(mistake.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Corrected_program_compiles_without_a_diagnostic(string name)
    {
        var mistake = MistakeCatalogue.All.Single(m => m.Name == name);

        var (analyzer, errors) = await ProgramAnalyzerHarness.RunAsync(mistake.Corrected, CatalogueNetworks.Source);

        errors.ShouldBeEmpty();
        analyzer.ShouldBeEmpty();
    }

    [Fact]
    public void Catalogue_covers_every_program_check()
    {
        MistakeCatalogue.All.Count.ShouldBeGreaterThanOrEqualTo(25);
        MistakeCatalogue.All.Select(m => m.Id).Distinct().Count().ShouldBe(10);
        MistakeCatalogue.All.Select(m => m.Name).Distinct().Count().ShouldBe(MistakeCatalogue.All.Count);
    }
}
