using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Tool.Visualize;

/// <summary>
/// Runs the first layers of a saved network on one image with plain loops, straight from the
/// weights file (no generated code needed): convolution (stride, dilation, same / valid padding,
/// bias, activation), max and average pooling, activations and dropout (identity at inference).
/// Slow and simple on purpose: it draws pictures, it does not train.
/// </summary>
internal static class ReferenceForward
{
    /// <summary>The activations of layer <paramref name="last"/> (HWC) for <paramref name="image"/> (the network's input shape).</summary>
    public static float[] Run(SavedNetwork network, float[] image, int last)
    {
        if (image.Length != network.InputShape.Length)
        {
            throw new ArgumentException($"The image holds {image.Length} values; the network's input {network.InputShape} needs {network.InputShape.Length}.");
        }
        float[] values = image;
        TensorShape shape = network.InputShape;
        foreach (LayerInfo layer in network.Layers.Take(last + 1))
        {
            LayerGeometry geometry = LayerGeometry.Of(layer)
                ?? throw new NotSupportedException($"layer {layer.Index} '{layer.Name}' is {layer.Kind}; feature maps are computed through {LayerGeometry.Supported} only.");
            values = geometry.Kind switch
            {
                "Conv2D" => Convolve(network, layer, geometry, values, shape),
                "MaxPool2D" or "AvgPool2D" => Pool(layer, geometry, values, shape),
                "Activation" => Activations.Apply(geometry.Activation, values, layer.OutputShape.Channels),
                _ => values,
            };
            shape = layer.OutputShape;
        }
        return values;
    }

    /// <summary>Keras "same": ceil(in / stride) outputs, the odd padding cell at the bottom / right.</summary>
    private static int PadBefore(int input, int output, int kernel, int stride, int dilation, bool same) =>
        same ? Math.Max((output - 1) * stride + (kernel - 1) * dilation + 1 - input, 0) / 2 : 0;

    private static float[] Convolve(SavedNetwork network, LayerInfo layer, LayerGeometry g, float[] input, TensorShape inShape)
    {
        TensorShape outShape = layer.OutputShape;
        float[] weight = network.File.Get(layer.Name + ".weight").Data;   // HWIO [kh][kw][in][filters]
        float[]? bias = g.UseBias ? network.File.Get(layer.Name + ".bias").Data : null;
        int cin = inShape.Channels, cout = outShape.Channels;
        if (weight.Length != g.KernelHeight * g.KernelWidth * cin * cout)
        {
            throw new InvalidOperationException($"{layer.Name}.weight holds {weight.Length} values, not {g.KernelHeight}x{g.KernelWidth}x{cin}x{cout}.");
        }
        int top = PadBefore(inShape.Height, outShape.Height, g.KernelHeight, g.StrideHeight, g.Dilation, g.Same);
        int left = PadBefore(inShape.Width, outShape.Width, g.KernelWidth, g.StrideWidth, g.Dilation, g.Same);
        var output = new float[outShape.Length];
        var sums = new double[cout];
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int f = 0; f < cout; f++) sums[f] = bias?[f] ?? 0;
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    int iy = oy * g.StrideHeight + ky * g.Dilation - top;
                    if (iy < 0 || iy >= inShape.Height) continue;
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int ix = ox * g.StrideWidth + kx * g.Dilation - left;
                        if (ix < 0 || ix >= inShape.Width) continue;
                        for (int c = 0; c < cin; c++)
                        {
                            float x = input[(iy * inShape.Width + ix) * cin + c];
                            int w = ((ky * g.KernelWidth + kx) * cin + c) * cout;
                            for (int f = 0; f < cout; f++) sums[f] += x * weight[w + f];
                        }
                    }
                }
                for (int f = 0; f < cout; f++) output[(oy * outShape.Width + ox) * cout + f] = (float)sums[f];
            }
        }
        return Activations.Apply(g.Activation, output, cout);
    }

    private static float[] Pool(LayerInfo layer, LayerGeometry g, float[] input, TensorShape inShape)
    {
        TensorShape outShape = layer.OutputShape;
        int channels = inShape.Channels;
        int top = PadBefore(inShape.Height, outShape.Height, g.KernelHeight, g.StrideHeight, 1, g.Same);
        int left = PadBefore(inShape.Width, outShape.Width, g.KernelWidth, g.StrideWidth, 1, g.Same);
        bool max = g.Kind == "MaxPool2D";
        var output = new float[outShape.Length];
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int c = 0; c < channels; c++)
                {
                    // Padding cells take no part: neither in the maximum nor in the average's count (Keras).
                    double best = double.NegativeInfinity, sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight + ky - top;
                        if (iy < 0 || iy >= inShape.Height) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth + kx - left;
                            if (ix < 0 || ix >= inShape.Width) continue;
                            float x = input[(iy * inShape.Width + ix) * channels + c];
                            best = Math.Max(best, x);
                            sum += x;
                            count++;
                        }
                    }
                    output[(oy * outShape.Width + ox) * channels + c] = (float)(max ? best : sum / count);
                }
            }
        }
        return output;
    }
}

/// <summary>The activations by the names the layer descriptions use.</summary>
internal static class Activations
{
    /// <summary>A new array with the activation applied to every value (softmax: over the channels of each pixel).</summary>
    public static float[] Apply(string name, float[] input, int channels)
    {
        float[] values = (float[])input.Clone();
        Func<double, double>? f = name switch
        {
            "linear" => null,
            "relu" => x => Math.Max(x, 0),
            // The description does not carry a custom alpha; 0.01 is ConvGen's (and Keras's) default.
            "leaky_relu" => x => x >= 0 ? x : 0.01 * x,
            "sigmoid" => x => 1 / (1 + Math.Exp(-x)),
            "tanh" => Math.Tanh,
            "elu" => x => x >= 0 ? x : Math.Exp(x) - 1,
            "gelu" => x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
            "softmax" => null,
            _ => throw new NotSupportedException($"activation '{name}'"),
        };
        if (name == "softmax")
        {
            Softmax(values, channels);
        }
        else if (f is not null)
        {
            for (int i = 0; i < values.Length; i++) values[i] = (float)f(values[i]);
        }
        return values;
    }

    private static void Softmax(float[] values, int channels)
    {
        for (int start = 0; start < values.Length; start += channels)
        {
            var span = values.AsSpan(start, channels);
            double max = span.ToArray().Max(), sum = 0;
            for (int i = 0; i < channels; i++) sum += Math.Exp(span[i] - max);
            for (int i = 0; i < channels; i++) span[i] = (float)(Math.Exp(span[i] - max) / sum);
        }
    }

    // Abramowitz and Stegun 7.1.26 is too coarse for a check against the generated GELU; this
    // series / continued-fraction pair is accurate to ~1e-15.
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double t = 0;
        for (int n = 60; n >= 1; n--) t = n / 2.0 / (ax + t);
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + t);
        return Math.Sign(x) * (1 - erfc);
    }
}
