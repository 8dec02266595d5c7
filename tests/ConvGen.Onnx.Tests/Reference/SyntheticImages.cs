using System;

namespace ConvGen.Onnx.Tests.Reference;

/// <summary>Deterministic RGB test pictures with values in 0-255, and NCHW/NHWC conversions.</summary>
internal static class SyntheticImages
{
    /// <summary>
    /// Smooth gradients and stripes plus a little seeded noise: structure at several scales so
    /// every stage of a CNN sees non-trivial activations. Returned as NCHW [1,3,H,W] RGB.
    /// </summary>
    public static float[] RgbNchw(int seed, int height, int width)
    {
        var image = new float[3 * height * width];
        var random = new Random(seed);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                double r = 127.5 + 100 * Math.Sin(6.3 * (u * (1 + seed) + v * 0.7));
                double g = 255 * v * (1 - 0.5 * u);
                double b = (((x / (8 + 4 * seed)) + (y / 12)) % 2 == 0) ? 200 : 40;
                double[] rgb = [r, g, b];
                for (int c = 0; c < 3; c++)
                {
                    double noisy = rgb[c] + 20 * (random.NextDouble() - 0.5);
                    image[(c * height + y) * width + x] = (float)Math.Clamp(noisy, 0, 255);
                }
            }
        }
        return image;
    }

    public static float[] NchwToNhwc(float[] nchw, int channels, int height, int width)
    {
        var nhwc = new float[nchw.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < height * width; p++)
            {
                nhwc[p * channels + c] = nchw[c * height * width + p];
            }
        }
        return nhwc;
    }

    public static float[] NhwcToNchw(float[] nhwc, int channels, int height, int width)
    {
        var nchw = new float[nhwc.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < height * width; p++)
            {
                nchw[c * height * width + p] = nhwc[p * channels + c];
            }
        }
        return nchw;
    }
}
