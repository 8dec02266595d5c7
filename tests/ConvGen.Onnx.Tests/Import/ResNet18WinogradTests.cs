using System;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Onnx.Import;
using Xunit.Abstractions;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>
/// The Winograd kernel on ResNet-18's real filters: every 3x3 stride-1 layer, with both tiles,
/// against a double-precision direct convolution of the same non-negative (post-ReLU-like) input,
/// within 1e-4 of the layer's output scale. The largest errors are written to the test output.
/// </summary>
public sealed class ResNet18WinogradTests(ResNet18Fixture fixture, ITestOutputHelper output) : IClassFixture<ResNet18Fixture>
{
    [Theory]
    [InlineData(WinogradTile.F2x2)]
    [InlineData(WinogradTile.F4x4)]
    public void Every_3x3_stride_1_layer_stays_within_1e_4_of_the_direct_result(WinogradTile tile)
    {
        var layers = fixture.Network.Layers.Where(l => l.Kind == ImportedLayerKind.Conv2D && l.KernelHeight == 3 && l.StrideHeight == 1).ToList();
        // One layer per shape (56x56x64, 28x28x128, 14x14x256, 7x7x512): a double direct convolution of each is slow.
        var shapes = layers.GroupBy(l => (l.InputShape, l.Units)).Select(g => g.First()).ToList();
        Assert.Equal(4, shapes.Count);
        output.WriteLine($"{layers.Count} layers: {string.Join(", ", layers.Select(l => $"{l.Name} {l.InputShape.Height}x{l.InputShape.Width}x{l.InputShape.Channels}->{l.Units}"))}");
        foreach (var l in shapes)
        {
            int h = l.InputShape.Height, w = l.InputShape.Width, c = l.InputShape.Channels, f = l.Units;
            float[] weights = fixture.Network.Weight(l.Name + ".weight").Data;
            var rng = new Random(c);
            var x = new float[h * w * c];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() < 0.5 ? 0f : (float)rng.NextDouble();
            var y = new float[h * w * f];
            WinogradKernels.Conv3x3(tile, weights, default, x, y, 1, h, w, c, f, l.PadTop);
            double largest = 0, error = 0, relative = 0;
            var sums = new double[f];
            for (int oy = 0; oy < h; oy++)
            for (int ox = 0; ox < w; ox++)
            {
                Array.Clear(sums);
                for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++)
                {
                    int iy = oy + ky - 1, ix = ox + kx - 1;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    for (int i = 0; i < c; i++)
                    {
                        double v = x[(iy * w + ix) * c + i];
                        if (v == 0) continue;
                        int k = ((ky * 3 + kx) * c + i) * f;
                        for (int o = 0; o < f; o++) sums[o] += v * weights[k + o];
                    }
                }
                for (int o = 0; o < f; o++)
                {
                    double e = Math.Abs(y[(oy * w + ox) * f + o] - sums[o]);
                    largest = Math.Max(largest, Math.Abs(sums[o]));
                    error = Math.Max(error, e);
                    if (Math.Abs(sums[o]) > 1e-2) relative = Math.Max(relative, e / Math.Abs(sums[o]));
                }
            }
            output.WriteLine($"{tile} {l.Name} {h}x{w}x{c}->{f}: max abs error {error:E2}, outputs up to {largest:F2} ({error / largest:E2} of the scale), max relative error on |y| > 1e-2 {relative:E2}");
            Assert.True(error <= 1e-4 * largest, $"{tile} {l.Name}: error {error:E3} against outputs up to {largest:E3}");
        }
    }
}
