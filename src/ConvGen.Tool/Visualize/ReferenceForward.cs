using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Tool.Visualize;

/// <summary>
/// Runs the first layers of a saved network on one image with plain loops, straight from the
/// weights file (no generated code needed): convolution (stride, dilation, explicit or resolved
/// padding, bias, activation), depthwise convolution, zero padding, max and average pooling, activations and dropout (identity at
/// inference). Each layer's settings are its <see cref="LayerInfo.Config"/> as the file records it.
/// Slow and simple on purpose: it draws pictures, it does not train.
/// </summary>
internal static class ReferenceForward
{
    /// <summary>The layers the reference forward pass can run.</summary>
    public const string Supported = "Conv2D, DepthwiseConv2D, ZeroPadding2D, MaxPool2D, AvgPool2D, Activation, Dropout";

    /// <summary>The activations of layer <paramref name="last"/> (HWC) for <paramref name="image"/> (the network's input shape).</summary>
    /// <exception cref="NotSupportedException">A layer up to <paramref name="last"/> is of a kind the pass does not run.</exception>
    /// <exception cref="InvalidOperationException">A layer has no configuration (a file saved before it was recorded) or its weights do not fit it.</exception>
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
            values = layer.Kind switch
            {
                "Conv2D" => Convolve(network, layer, layer.RequireConfig<ConvolutionConfig>(), values, shape),
                "MaxPool2D" or "AvgPool2D" => Pool(layer, layer.RequireConfig<PoolConfig>(), values, shape),
                "Activation" => Activate(layer.RequireConfig<ActivationConfig>(), values, layer.OutputShape.Channels),
                "Dropout" => values,
                "DepthwiseConv2D" => Depthwise(network, layer, layer.RequireConfig<DepthwiseConvolutionConfig>(), values, shape),
                "ZeroPadding2D" => ZeroPad(layer.RequireConfig<ZeroPaddingConfig>(), values, shape, layer.OutputShape),
                _ => throw new NotSupportedException($"layer {layer.Index} '{layer.Name}' is {layer.Kind}; feature maps are computed through {Supported} only."),
            };
            shape = layer.OutputShape;
        }
        return values;
    }

    private static float[] Activate(ActivationConfig config, float[] values, int channels) => Activations.Apply(config.Activation, config.Alpha, values, channels);

    private static float[] Convolve(SavedNetwork network, LayerInfo layer, ConvolutionConfig g, float[] input, TensorShape inShape)
    {
        TensorShape outShape = layer.OutputShape;
        float[] weight = network.File.Get(layer.Name + ".weight").Data;   // HWIO [kh][kw][in][filters]
        float[]? bias = g.UseBias ? network.File.Get(layer.Name + ".bias").Data : null;
        int cin = inShape.Channels, cout = outShape.Channels;
        if (weight.Length != (long)g.KernelHeight * g.KernelWidth * cin * cout || (bias is not null && bias.Length != cout))
        {
            throw new InvalidOperationException($"{layer.Name}.weight holds {weight.Length} values, not {g.KernelHeight}x{g.KernelWidth}x{cin}x{cout} (or its bias is not {cout} long).");
        }
        var output = new float[outShape.Length];
        var sums = new double[cout];
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int f = 0; f < cout; f++) sums[f] = bias?[f] ?? 0;
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    long iy = (long)oy * g.StrideHeight + (long)ky * g.DilationHeight - g.PadTop;
                    if (iy < 0 || iy >= inShape.Height) continue;
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        long ix = (long)ox * g.StrideWidth + (long)kx * g.DilationWidth - g.PadLeft;
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
        return Activations.Apply(g.Activation, g.Alpha, output, cout);
    }

    /// <summary>Output channel c * m + j: filter j of input channel c, weights [kh][kw][in][m] as saved.</summary>
    private static float[] Depthwise(SavedNetwork network, LayerInfo layer, DepthwiseConvolutionConfig g, float[] input, TensorShape inShape)
    {
        TensorShape outShape = layer.OutputShape;
        float[] weight = network.File.Get(layer.Name + ".weight").Data;
        float[]? bias = g.UseBias ? network.File.Get(layer.Name + ".bias").Data : null;
        int cin = inShape.Channels, m = g.DepthMultiplier, cout = outShape.Channels;
        if (cout != (long)cin * m || weight.Length != (long)g.KernelHeight * g.KernelWidth * cout || (bias is not null && bias.Length != cout))
        {
            throw new InvalidOperationException($"{layer.Name}.weight holds {weight.Length} values, not {g.KernelHeight}x{g.KernelWidth}x{cin}x{m} (or its bias is not {cout} long).");
        }
        var output = new float[outShape.Length];
        for (int oy = 0; oy < outShape.Height; oy++)
        for (int ox = 0; ox < outShape.Width; ox++)
        for (int o = 0; o < cout; o++)
        {
            double sum = bias?[o] ?? 0;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                long iy = (long)oy * g.StrideHeight + (long)ky * g.DilationHeight - g.PadTop;
                if (iy < 0 || iy >= inShape.Height) continue;
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    long ix = (long)ox * g.StrideWidth + (long)kx * g.DilationWidth - g.PadLeft;
                    if (ix < 0 || ix >= inShape.Width) continue;
                    sum += input[(iy * inShape.Width + ix) * cin + o / m] * weight[(ky * g.KernelWidth + kx) * cout + o];
                }
            }
            output[(oy * outShape.Width + ox) * cout + o] = (float)sum;
        }
        return Activations.Apply(g.Activation, g.Alpha, output, cout);
    }

    private static float[] ZeroPad(ZeroPaddingConfig g, float[] input, TensorShape inShape, TensorShape outShape)
    {
        var output = new float[outShape.Length];
        int row = inShape.Width * inShape.Channels;
        for (int y = 0; y < inShape.Height; y++)
        {
            Array.Copy(input, y * row, output, ((y + g.Top) * outShape.Width + g.Left) * inShape.Channels, row);
        }
        return output;
    }

    private static float[] Pool(LayerInfo layer, PoolConfig g, float[] input, TensorShape inShape)
    {
        TensorShape outShape = layer.OutputShape;
        int channels = inShape.Channels;
        bool max = layer.Kind == "MaxPool2D";
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
                        long iy = (long)oy * g.StrideHeight + ky - g.PadTop;
                        if (iy < 0 || iy >= inShape.Height) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            long ix = (long)ox * g.StrideWidth + kx - g.PadLeft;
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

/// <summary>The activations as the generated code computes them.</summary>
internal static class Activations
{
    /// <summary>A new array with the activation applied to every value (softmax: over the channels of each pixel).</summary>
    public static float[] Apply(Activation activation, float alpha, float[] input, int channels)
    {
        float[] values = (float[])input.Clone();
        Func<double, double>? f = activation switch
        {
            Activation.Linear => null,
            Activation.Relu => x => Math.Max(x, 0),
            Activation.LeakyRelu => x => x >= 0 ? x : alpha * x,
            Activation.Sigmoid => x => 1 / (1 + Math.Exp(-x)),
            Activation.Tanh => Math.Tanh,
            Activation.Elu => x => x >= 0 ? x : alpha * (Math.Exp(x) - 1),
            Activation.Gelu => x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
            Activation.Relu6 => x => Math.Min(Math.Max(x, 0), 6),
            Activation.HardSigmoid => x => Math.Min(Math.Max(x + 3, 0), 6) / 6,
            Activation.HardSwish => x => x * Math.Min(Math.Max(x + 3, 0), 6) / 6,
            Activation.Silu => x => x / (1 + Math.Exp(-x)),
            Activation.Mish => x => x * Math.Tanh(x > 30 ? x : Math.Log(1 + Math.Exp(x))),
            Activation.Softmax => null,
            _ => throw new NotSupportedException($"activation {activation}"),
        };
        if (activation == Activation.Softmax)
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
