using System;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Conversions between ONNX (NCHW world) and ConvGen (NHWC world) parameter layouts. Pure
/// index arithmetic, shared by import and export so the two stay each other's inverse.
/// </summary>
public static class WeightLayouts
{
    /// <summary>Conv weights <c>OIHW</c> [out][in][kh][kw] (ONNX) → <c>HWIO</c> [kh][kw][in][out] (ConvGen).</summary>
    public static float[] OihwToHwio(ReadOnlySpan<float> oihw, int outChannels, int inChannels, int kernelHeight, int kernelWidth)
    {
        CheckLength(oihw.Length, outChannels * inChannels * kernelHeight * kernelWidth, "OIHW");
        var hwio = new float[oihw.Length];
        for (int o = 0; o < outChannels; o++)
        {
            for (int i = 0; i < inChannels; i++)
            {
                for (int y = 0; y < kernelHeight; y++)
                {
                    for (int x = 0; x < kernelWidth; x++)
                    {
                        hwio[((y * kernelWidth + x) * inChannels + i) * outChannels + o] = oihw[((o * inChannels + i) * kernelHeight + y) * kernelWidth + x];
                    }
                }
            }
        }
        return hwio;
    }

    /// <summary>Conv weights <c>HWIO</c> (ConvGen) → <c>OIHW</c> (ONNX); the inverse of <see cref="OihwToHwio"/>.</summary>
    public static float[] HwioToOihw(ReadOnlySpan<float> hwio, int kernelHeight, int kernelWidth, int inChannels, int outChannels)
    {
        CheckLength(hwio.Length, outChannels * inChannels * kernelHeight * kernelWidth, "HWIO");
        var oihw = new float[hwio.Length];
        for (int y = 0; y < kernelHeight; y++)
        {
            for (int x = 0; x < kernelWidth; x++)
            {
                for (int i = 0; i < inChannels; i++)
                {
                    for (int o = 0; o < outChannels; o++)
                    {
                        oihw[((o * inChannels + i) * kernelHeight + y) * kernelWidth + x] = hwio[((y * kernelWidth + x) * inChannels + i) * outChannels + o];
                    }
                }
            }
        }
        return oihw;
    }

    /// <summary>
    /// ConvTranspose weights <c>[in][filters][kh][kw]</c> (ONNX) → Keras <c>HWOI</c>
    /// <c>[kh][kw][filters][in]</c> (ConvGen's Conv2DTranspose).
    /// </summary>
    public static float[] IohwToHwoi(ReadOnlySpan<float> iohw, int inChannels, int filters, int kernelHeight, int kernelWidth)
    {
        CheckLength(iohw.Length, inChannels * filters * kernelHeight * kernelWidth, "IOHW");
        int taps = kernelHeight * kernelWidth;
        var hwoi = new float[iohw.Length];
        for (int c = 0; c < inChannels; c++)
        {
            for (int f = 0; f < filters; f++)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    hwoi[(tap * filters + f) * inChannels + c] = iohw[(c * filters + f) * taps + tap];
                }
            }
        }
        return hwoi;
    }

    /// <summary>Conv2DTranspose weights <c>HWOI</c> (ConvGen) → <c>[in][filters][kh][kw]</c> (ONNX); the inverse of <see cref="IohwToHwoi"/>.</summary>
    public static float[] HwoiToIohw(ReadOnlySpan<float> hwoi, int kernelHeight, int kernelWidth, int filters, int inChannels)
    {
        CheckLength(hwoi.Length, inChannels * filters * kernelHeight * kernelWidth, "HWOI");
        int taps = kernelHeight * kernelWidth;
        var iohw = new float[hwoi.Length];
        for (int tap = 0; tap < taps; tap++)
        {
            for (int f = 0; f < filters; f++)
            {
                for (int c = 0; c < inChannels; c++)
                {
                    iohw[(c * filters + f) * taps + tap] = hwoi[(tap * filters + f) * inChannels + c];
                }
            }
        }
        return iohw;
    }

    /// <summary>
    /// Dense weights from a Gemm's B ([K,N], or [N,K] when <paramref name="transposed"/>) to IO
    /// [K][N], scaled by Gemm's alpha. When the Gemm follows a Flatten of an NCHW map of
    /// <paramref name="flattenedFrom"/> = [H,W,C], the rows are permuted from ONNX's (c,h,w)
    /// order to ConvGen's (h,w,c) order, because ConvGen flattens NHWC.
    /// </summary>
    public static float[] GemmToIo(ReadOnlySpan<float> b, int inputs, int units, bool transposed, float alpha, TensorShape? flattenedFrom)
    {
        CheckLength(b.Length, inputs * units, "Gemm B");
        var io = new float[b.Length];
        for (int row = 0; row < inputs; row++)
        {
            int target = flattenedFrom is { } s ? ChwRowToHwc(row, s) : row;
            for (int n = 0; n < units; n++)
            {
                float value = transposed ? b[n * inputs + row] : b[row * units + n];
                io[target * units + n] = alpha * value;
            }
        }
        return io;
    }

    /// <summary>Index of flattened element (c,h,w) in NHWC flatten order.</summary>
    public static int ChwRowToHwc(int chwIndex, TensorShape shape)
    {
        int planeSize = shape.Height * shape.Width;
        int c = chwIndex / planeSize;
        int hw = chwIndex % planeSize;
        return hw * shape.Channels + c;
    }

    private static void CheckLength(int actual, int expected, string layout)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{layout} weights have {actual} values, expected {expected}.");
        }
    }
}
