using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Dense;

/// <summary>
/// Dense (IO weights) against the reference: units 1, 7, 8, 17, 64 and 130 (scalar-only, vector,
/// vector + scalar, one whole 64-unit block, and repeated blocks), several input lengths, with and without bias.
/// A Flatten in front makes the input rank 1, as Keras requires.
/// </summary>
public sealed class DenseForwardTests(DenseForwardTests.Networks networks)
    : IClassFixture<DenseForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(DenseForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(DenseCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> DenseCases()
    {
        var inputs = new (int Height, int Width, int Channels)[] { (1, 1, 1), (3, 3, 1), (4, 4, 4), (2, 5, 13) };
        foreach (var (h, w, c) in inputs)
        foreach (int units in new[] { 1, 7, 8, 17, 64, 130 })
        foreach (bool useBias in new[] { true, false })
        {
            string name = $"Dense_in{h * w * c}_units{units}{(useBias ? "" : "_nobias")}";
            yield return new ForwardCase(name, h, w, c, new FlattenLayer(), new DenseLayer(units, UseBias: useBias));
        }
    }
}
