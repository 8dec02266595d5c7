namespace ConvGen.Tests.Reference;

/// <summary>
/// Depthwise convolution and zero padding as Keras defines them, one output value at a time in
/// double precision: the definitions the generated layers are checked against.
/// </summary>
public static class ReferenceDepthwise
{
    /// <param name="weights"><c>[kernelHeight][kernelWidth][input channels][multiplier]</c>; output channel <c>c * multiplier + j</c> uses filter j of channel c.</param>
    /// <param name="bias">One value per output channel, or null.</param>
    public static ReferenceTensor Forward(
        ReferenceTensor input, double[] weights, double[]? bias, int multiplier,
        int kernelHeight, int kernelWidth, int stride, int dilation, bool same, Pads? pads = null)
    {
        var ((outHeight, padTop), (outWidth, padLeft)) =
            ReferenceGeometry.Window(input.Height, input.Width, kernelHeight, kernelWidth, stride, stride, dilation, same, pads);
        int channels = input.Channels;
        var output = new ReferenceTensor(input.Batch, outHeight, outWidth, channels * multiplier);
        for (int n = 0; n < input.Batch; n++)
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < channels; c++)
        for (int j = 0; j < multiplier; j++)
        {
            int o = c * multiplier + j;
            double sum = bias?[o] ?? 0.0;
            for (int ky = 0; ky < kernelHeight; ky++)
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                int iy = oy * stride - padTop + ky * dilation;
                int ix = ox * stride - padLeft + kx * dilation;
                if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                {
                    continue; // zero padding
                }
                sum += input[n, iy, ix, c] * weights[((ky * kernelWidth + kx) * channels + c) * multiplier + j];
            }
            output[n, oy, ox, o] = sum;
        }
        return output;
    }

    /// <summary>Each sample framed by <paramref name="top"/> rows of zeros above, ... (Keras ZeroPadding2D).</summary>
    public static ReferenceTensor ZeroPadding(ReferenceTensor input, int top, int bottom, int left, int right)
    {
        var output = new ReferenceTensor(input.Batch, input.Height + top + bottom, input.Width + left + right, input.Channels);
        for (int n = 0; n < input.Batch; n++)
        for (int y = 0; y < input.Height; y++)
        for (int x = 0; x < input.Width; x++)
        for (int c = 0; c < input.Channels; c++)
        {
            output[n, y + top, x + left, c] = input[n, y, x, c];
        }
        return output;
    }
}
