using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Layers.Graph;

/// <summary>
/// Explicit, asymmetric padding (PadTop / PadBottom / PadLeft / PadRight, as ONNX and PyTorch
/// pad) on Conv2D, MaxPool2D and AvgPool2D against the reference: the ResNet stem (7x7 stride 2
/// padded 3 above and 2 below), stride-2 windows padded only above and left, single sides, and
/// windows large enough to be walked in loops.
/// </summary>
public sealed class ExplicitPaddingForwardTests(ExplicitPaddingForwardTests.Networks networks)
    : IClassFixture<ExplicitPaddingForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(ExplicitPaddingForwardTests), Cases);

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(ConvCases().Concat(PoolCases()));

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> ConvCases()
    {
        var grid = new (int Kh, int Kw, int Stride, Pads Pads, int Cin, int Cout, int H, int W)[]
        {
            (7, 7, 2, new Pads(3, 2, 3, 2), 3, 16, 16, 15),   // the ResNet-18 stem, scaled down
            (3, 3, 2, new Pads(1, 0, 1, 0), 8, 9, 8, 8),      // ResNet's downsampling 3x3
            (3, 3, 1, new Pads(1, 1, 1, 1), 5, 8, 5, 6),      // what same padding would give, written out
            (1, 3, 1, new Pads(0, 0, 2, 0), 2, 3, 4, 5),      // one side only
            (2, 2, 1, new Pads(0, 1, 1, 0), 4, 17, 3, 4),     // bottom and left
            (5, 3, 3, new Pads(4, 0, 0, 2), 1, 8, 9, 7),      // stride 3, a tall window
            (9, 9, 2, new Pads(8, 1, 0, 8), 3, 4, 6, 5),      // above the unroll budget: loops
        };
        foreach (var (kh, kw, stride, pads, cin, cout, h, w) in grid)
        {
            yield return new ForwardCase($"PadConv_k{kh}x{kw}_s{stride}_{pads}_c{cin}to{cout}", h, w, cin,
                new Conv2DLayer(cout, kh, kw, stride, Pads: pads, Activation: Activation.Relu));
        }
    }

    private static IEnumerable<ForwardCase> PoolCases()
    {
        var grid = new (int Size, int Stride, Pads Pads, int H, int W, int C)[]
        {
            (3, 2, new Pads(1, 0, 1, 0), 12, 12, 8),   // the ResNet-18 max pool
            (3, 2, new Pads(1, 1, 1, 1), 7, 6, 3),
            (2, 2, new Pads(0, 1, 1, 0), 5, 5, 17),
            (3, 1, new Pads(2, 0, 0, 2), 4, 5, 9),
        };
        foreach (bool max in new[] { true, false })
        foreach (var (size, stride, pads, h, w, c) in grid)
        {
            yield return new ForwardCase($"Pad{(max ? "Max" : "Avg")}Pool_{size}_s{stride}_{pads}_{h}x{w}x{c}", h, w, c,
                new Pool2DLayer(max, size, size, stride, Pads: pads));
        }
    }
}
