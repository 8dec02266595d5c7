using System.Linq;
using ConvGen.Onnx.Import;

namespace ConvGen.Onnx.Tests.Import;

/// <summary>The pure pieces of the mapping, table-tested.</summary>
public sealed class GeometryAndLayoutTests
{
    [Theory]
    [InlineData(224, 7, 2, 1, 3, 2, 112)] // ResNet-18 stem (CNTK pads)
    [InlineData(112, 3, 2, 1, 1, 0, 56)]  // its max pool
    [InlineData(56, 3, 2, 1, 1, 0, 28)]   // stride-2 block conv
    [InlineData(56, 1, 2, 1, 0, 0, 28)]   // 1x1 projection
    [InlineData(7, 7, 1, 1, 0, 0, 1)]     // final average pool
    [InlineData(9, 2, 1, 2, 0, 0, 7)]     // dilation 2: effective kernel 3
    [InlineData(2, 3, 1, 1, 0, 0, 0)]     // window larger than the input
    public void Output_length(int input, int kernel, int stride, int dilation, int before, int after, int expected) =>
        Assert.Equal(expected, WindowGeometry.OutputLength(input, kernel, stride, dilation, before, after));

    [Theory]
    [InlineData(224, 7, 2, false, 2, 3)] // TensorFlow "same" puts the extra column after…
    [InlineData(224, 7, 2, true, 3, 2)]  // …SAME_LOWER (and CNTK) before
    [InlineData(56, 3, 1, false, 1, 1)]
    [InlineData(9, 3, 2, false, 1, 1)]
    [InlineData(10, 2, 2, false, 0, 0)]
    public void Same_padding_split(int input, int kernel, int stride, bool extraBefore, int before, int after) =>
        Assert.Equal((before, after), WindowGeometry.SamePadding(input, kernel, stride, 1, extraBefore));

    [Fact]
    public void Conv_layouts_are_inverse()
    {
        float[] oihw = Enumerable.Range(0, 4 * 3 * 2 * 5).Select(i => (float)i).ToArray();
        float[] hwio = WeightLayouts.OihwToHwio(oihw, 4, 3, 2, 5);
        Assert.Equal(oihw, WeightLayouts.HwioToOihw(hwio, 2, 5, 3, 4));
        Assert.Equal(oihw[((3 * 3 + 1) * 2 + 1) * 5 + 4], hwio[((1 * 5 + 4) * 3 + 1) * 4 + 3]);
    }

    [Fact]
    public void Gemm_rows_follow_the_NHWC_flatten_order()
    {
        // [H=2, W=1, C=3]: ONNX flattens (c,h,w) → index c*2+h; ConvGen (h,w,c) → h*3+c.
        var shape = TensorShape.Spatial(2, 1, 3);
        int[] targets = Enumerable.Range(0, 6).Select(i => WeightLayouts.ChwRowToHwc(i, shape)).ToArray();
        Assert.Equal([0, 3, 1, 4, 2, 5], targets);
        float[] b = [1, 2, 3, 4, 5, 6]; // [K=3, N=2], transposed form [N=2, K=3]
        Assert.Equal([2f, 8, 4, 10, 6, 12], WeightLayouts.GemmToIo(b, 3, 2, transposed: true, alpha: 2, flattenedFrom: null));
    }
}
