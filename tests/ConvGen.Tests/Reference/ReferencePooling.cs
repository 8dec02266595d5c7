using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// Windowed and global pooling by definition. With same padding the padded cells take no part:
/// they never win a maximum and are not counted in an average (TensorFlow's rule).
/// </summary>
public static class ReferencePooling
{
    /// <param name="stride">Step between windows; 0 means the window size (Keras's default).</param>
    public static ReferenceTensor Window(ReferenceTensor input, bool max, int poolHeight, int poolWidth, int stride, bool same, Pads? pads = null)
    {
        int strideHeight = stride == 0 ? poolHeight : stride;
        int strideWidth = stride == 0 ? poolWidth : stride;
        var ((outHeight, padTop), (outWidth, padLeft)) =
            ReferenceGeometry.Window(input.Height, input.Width, poolHeight, poolWidth, strideHeight, strideWidth, 1, same, pads);
        var output = new ReferenceTensor(input.Batch, outHeight, outWidth, input.Channels);
        for (int n = 0; n < input.Batch; n++)
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < input.Channels; c++)
        {
            double best = double.NegativeInfinity;
            double sum = 0;
            int count = 0;
            for (int ky = 0; ky < poolHeight; ky++)
            for (int kx = 0; kx < poolWidth; kx++)
            {
                int iy = oy * strideHeight - padTop + ky;
                int ix = ox * strideWidth - padLeft + kx;
                if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                {
                    continue;
                }
                double v = input[n, iy, ix, c];
                best = Math.Max(best, v);
                sum += v;
                count++;
            }
            output[n, oy, ox, c] = max ? best : sum / count;
        }
        return output;
    }

    /// <summary>[H,W,C] to [C]: the maximum or mean of each channel over all positions.</summary>
    public static ReferenceTensor Global(ReferenceTensor input, bool max)
    {
        var output = new ReferenceTensor(input.Batch, 1, 1, input.Channels, rank: 1);
        for (int n = 0; n < input.Batch; n++)
        for (int c = 0; c < input.Channels; c++)
        {
            double best = double.NegativeInfinity;
            double sum = 0;
            for (int y = 0; y < input.Height; y++)
            for (int x = 0; x < input.Width; x++)
            {
                best = Math.Max(best, input[n, y, x, c]);
                sum += input[n, y, x, c];
            }
            output[n, 0, 0, c] = max ? best : sum / (input.Height * input.Width);
        }
        return output;
    }
}
