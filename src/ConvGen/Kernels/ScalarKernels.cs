using System;

namespace ConvGen.Kernels;

/// <summary>
/// Plain-loop kernels that generated code falls back to when the CPU has no 256-bit vectors.
/// Shapes are arguments here; the generated fast paths bake them in as constants.
/// Activations are applied by the caller afterwards.
/// </summary>
public static class ScalarKernels
{
    /// <summary>NHWC convolution with HWIO weights; <paramref name="bias"/> may be empty.</summary>
    public static void Conv2D(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output, int batch,
        int inH, int inW, int inC, int outH, int outW, int outC,
        int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    int outBase = ((n * outH + oy) * outW + ox) * outC;
                    for (int co = 0; co < outC; co++)
                    {
                        float sum = bias.IsEmpty ? 0f : bias[co];
                        for (int ky = 0; ky < kernelH; ky++)
                        {
                            int iy = oy * strideH - padTop + ky * dilationH;
                            if ((uint)iy >= (uint)inH) continue;
                            for (int kx = 0; kx < kernelW; kx++)
                            {
                                int ix = ox * strideW - padLeft + kx * dilationW;
                                if ((uint)ix >= (uint)inW) continue;
                                int inBase = ((n * inH + iy) * inW + ix) * inC;
                                int wBase = (ky * kernelW + kx) * inC * outC + co;
                                for (int ci = 0; ci < inC; ci++)
                                {
                                    sum += input[inBase + ci] * weights[wBase + ci * outC];
                                }
                            }
                        }
                        output[outBase + co] = sum;
                    }
                }
            }
        }
    }

    /// <summary>Max or average pooling over NHWC; padded cells are ignored (not counted in averages).</summary>
    public static void Pool2D(
        bool max, ReadOnlySpan<float> input, Span<float> output, int batch,
        int inH, int inW, int channels, int outH, int outW,
        int poolH, int poolW, int strideH, int strideW, int padTop, int padLeft)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        float acc = max ? float.NegativeInfinity : 0f;
                        int count = 0;
                        for (int ky = 0; ky < poolH; ky++)
                        {
                            int iy = oy * strideH - padTop + ky;
                            if ((uint)iy >= (uint)inH) continue;
                            for (int kx = 0; kx < poolW; kx++)
                            {
                                int ix = ox * strideW - padLeft + kx;
                                if ((uint)ix >= (uint)inW) continue;
                                float v = input[((n * inH + iy) * inW + ix) * channels + c];
                                acc = max ? MathF.Max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        output[((n * outH + oy) * outW + ox) * channels + c] = max ? acc : acc / count;
                    }
                }
            }
        }
    }

    /// <summary>Max or average over all positions of each channel: [N,H,W,C] to [N,C].</summary>
    public static void GlobalPool2D(bool max, ReadOnlySpan<float> input, Span<float> output, int batch, int positions, int channels)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                float acc = max ? float.NegativeInfinity : 0f;
                for (int p = 0; p < positions; p++)
                {
                    float v = input[(n * positions + p) * channels + c];
                    acc = max ? MathF.Max(acc, v) : acc + v;
                }
                output[n * channels + c] = max ? acc : acc / positions;
            }
        }
    }
}
