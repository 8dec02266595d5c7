using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Layers.Pooling;

/// <summary>GlobalMaxPool2D and GlobalAvgPool2D ([H,W,C] to [C]) against the reference, from a single position to 130 channels.</summary>
public sealed class GlobalPool2DForwardTests(GlobalPool2DForwardTests.Networks networks)
    : IClassFixture<GlobalPool2DForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(GlobalPool2DForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(GlobalCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> GlobalCases()
    {
        var shapes = new (int Height, int Width, int Channels)[] { (1, 1, 3), (5, 7, 1), (4, 4, 8), (3, 5, 17), (2, 3, 72), (3, 3, 130), (3, 4, 6), (2, 2, 4) };
        foreach (bool max in new[] { true, false })
        foreach (var (h, w, c) in shapes)
        {
            yield return new ForwardCase($"{(max ? "GlobalMaxPool" : "GlobalAvgPool")}_{h}x{w}x{c}", h, w, c, new GlobalPool2DLayer(max));
        }
    }
}
