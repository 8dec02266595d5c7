namespace ConvGen.Tests.Reference;

/// <summary>
/// Convolution as the textbook defines it (cross-correlation, no kernel flip), one output value
/// at a time in double precision. Deliberately naive: it is the definition the fast generated
/// kernels are checked against.
/// </summary>
public static class ReferenceConv2D
{
    /// <param name="weights">HWIO: <c>[kernelHeight][kernelWidth][input channels][filters]</c>.</param>
    /// <param name="bias">One value per filter, or null.</param>
    public static ReferenceTensor Forward(
        ReferenceTensor input, double[] weights, double[]? bias, int filters,
        int kernelHeight, int kernelWidth, int stride, int dilation, bool same, Pads? pads = null)
    {
        var ((outHeight, padTop), (outWidth, padLeft)) =
            ReferenceGeometry.Window(input.Height, input.Width, kernelHeight, kernelWidth, stride, stride, dilation, same, pads);
        int inChannels = input.Channels;
        var output = new ReferenceTensor(input.Batch, outHeight, outWidth, filters);
        for (int n = 0; n < input.Batch; n++)
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int f = 0; f < filters; f++)
        {
            double sum = bias?[f] ?? 0.0;
            for (int ky = 0; ky < kernelHeight; ky++)
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                int iy = oy * stride - padTop + ky * dilation;
                int ix = ox * stride - padLeft + kx * dilation;
                if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                {
                    continue; // zero padding
                }
                for (int c = 0; c < inChannels; c++)
                {
                    sum += input[n, iy, ix, c] * weights[((ky * kernelWidth + kx) * inChannels + c) * filters + f];
                }
            }
            output[n, oy, ox, f] = sum;
        }
        return output;
    }
}
