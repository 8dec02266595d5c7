using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using ConvGen.Onnx.Import;

namespace ConvGen.Onnx.Tests.Reference;

/// <summary>
/// A deliberately plain forward pass over an imported layer list (one sample, NHWC), written
/// from the layer definitions and nothing else. It proves the import (weight layouts, per-side
/// pads, BatchNorm, residual wiring) before the generator supports these layers. The only
/// concession to speed is the loop order: the innermost loop runs over output channels, which
/// are contiguous in both HWIO weights and NHWC outputs, so it is one axpy per input value.
/// </summary>
internal static class ReferenceForward
{
    public static float[] Run(ImportedNetwork network, float[] inputNhwc)
    {
        var weights = network.Weights.ToDictionary(w => w.Name, w => w.Data);
        var outputs = new Dictionary<string, float[]> { [OnnxImporter.NetworkInputName] = inputNhwc };
        float[] last = inputNhwc;
        foreach (ImportedLayer layer in network.Layers)
        {
            float[] x = outputs[layer.Inputs[0]];
            last = layer.Kind switch
            {
                ImportedLayerKind.Conv2D => Conv(layer, x, weights[layer.Name + ".weight"], layer.UseBias ? weights[layer.Name + ".bias"] : null),
                ImportedLayerKind.BatchNorm => BatchNorm(layer, x, weights),
                ImportedLayerKind.Add => Add(x, outputs[layer.Inputs[1]]),
                ImportedLayerKind.Multiply => Multiply(x, outputs[layer.Inputs[1]], layer.OutputShape.Channels),
                ImportedLayerKind.MaxPool2D or ImportedLayerKind.AvgPool2D => Pool(layer, x),
                ImportedLayerKind.GlobalAvgPool2D or ImportedLayerKind.GlobalMaxPool2D => GlobalPool(layer, x),
                ImportedLayerKind.Flatten => (float[])x.Clone(),
                ImportedLayerKind.Dense => Dense(layer, x, weights[layer.Name + ".weight"], layer.UseBias ? weights[layer.Name + ".bias"] : null),
                ImportedLayerKind.Activation => (float[])x.Clone(),
                ImportedLayerKind.DepthwiseConv2D => Depthwise(layer, x, weights[layer.Name + ".weight"], layer.UseBias ? weights[layer.Name + ".bias"] : null),
                ImportedLayerKind.ZeroPadding2D => ZeroPadding(layer, x),
                ImportedLayerKind.Conv2DTranspose => ConvTranspose(layer, x, weights[layer.Name + ".weight"], layer.UseBias ? weights[layer.Name + ".bias"] : null),
                ImportedLayerKind.UpSampling2D => UpSample(layer, x),
                ImportedLayerKind.Concatenate => Concatenate(layer, layer.Inputs.Select(i => outputs[i]).ToArray()),
                ImportedLayerKind.Cropping2D => Crop(layer, x),
                ImportedLayerKind.Reshape => (float[])x.Clone(),
                ImportedLayerKind.GroupNormalization => Normalize(x, layer.InputShape.Channels, layer.Units, groupsSpanPositions: true, layer.Epsilon, weights[layer.Name + ".gamma"], weights[layer.Name + ".beta"]),
                ImportedLayerKind.LayerNormalization => Normalize(x, layer.InputShape.Channels, 1, groupsSpanPositions: false, layer.Epsilon, weights[layer.Name + ".gamma"], weights[layer.Name + ".beta"]),
                _ => throw new NotSupportedException(layer.Kind.ToString()),
            };
            Activate(layer.Activation, layer.Alpha, last, layer.OutputShape.Channels);
            outputs[layer.Name] = last;
        }
        return last;
    }

    /// <summary>
    /// GroupNorm: statistics of each group of channels over every position; LayerNorm: of each
    /// position's channels. Then the per-channel gamma and beta. Computed in double.
    /// </summary>
    private static float[] Normalize(float[] x, int channels, int groups, bool groupsSpanPositions, double epsilon, float[] gamma, float[] beta)
    {
        var y = new float[x.Length];
        int positions = x.Length / channels, width = channels / groups;
        int blocks = groupsSpanPositions ? 1 : positions;
        int positionsPerBlock = groupsSpanPositions ? positions : 1;
        for (int block = 0; block < blocks; block++)
        for (int g = 0; g < groups; g++)
        {
            double sum = 0, squares = 0;
            int count = positionsPerBlock * width;
            for (int p = block; p < block + positionsPerBlock; p++)
            for (int c = g * width; c < (g + 1) * width; c++)
            {
                sum += x[p * channels + c];
            }
            double mean = sum / count;
            for (int p = block; p < block + positionsPerBlock; p++)
            for (int c = g * width; c < (g + 1) * width; c++)
            {
                double d = x[p * channels + c] - mean;
                squares += d * d;
            }
            double inverse = 1 / Math.Sqrt(squares / count + epsilon);
            for (int p = block; p < block + positionsPerBlock; p++)
            for (int c = g * width; c < (g + 1) * width; c++)
            {
                y[p * channels + c] = (float)((x[p * channels + c] - mean) * inverse * gamma[c] + beta[c]);
            }
        }
        return y;
    }

    /// <summary>Output channel c * m + j of a depthwise convolution: filter j of input channel c, weights [kh,kw,C,m].</summary>
    private static float[] Depthwise(ImportedLayer l, float[] x, float[] w, float[]? bias)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        int m = l.DepthMultiplier;
        var y = new float[o.Length];
        for (int oy = 0; oy < o.Height; oy++)
        for (int ox = 0; ox < o.Width; ox++)
        for (int c = 0; c < i.Channels; c++)
        for (int j = 0; j < m; j++)
        {
            int oc = c * m + j;
            double sum = bias?[oc] ?? 0;
            for (int ky = 0; ky < l.KernelHeight; ky++)
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                int iy = oy * l.StrideHeight - l.PadTop + ky * l.DilationHeight;
                int ix = ox * l.StrideWidth - l.PadLeft + kx * l.DilationWidth;
                if ((uint)iy < (uint)i.Height && (uint)ix < (uint)i.Width)
                {
                    sum += x[(iy * i.Width + ix) * i.Channels + c] * w[((ky * l.KernelWidth + kx) * i.Channels + c) * m + j];
                }
            }
            y[(oy * o.Width + ox) * o.Channels + oc] = (float)sum;
        }
        return y;
    }

    private static float[] ZeroPadding(ImportedLayer l, float[] x)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        var y = new float[o.Length];
        for (int r = 0; r < i.Height; r++)
        {
            x.AsSpan(r * i.Width * i.Channels, i.Width * i.Channels).CopyTo(y.AsSpan(((r + l.PadTop) * o.Width + l.PadLeft) * o.Channels));
        }
        return y;
    }

    private static float[] Conv(ImportedLayer l, float[] x, float[] w, float[]? bias)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        var y = new float[o.Length];
        System.Threading.Tasks.Parallel.For(0, o.Height, oy =>
        {
            for (int ox = 0; ox < o.Width; ox++)
            {
                Span<float> acc = y.AsSpan((oy * o.Width + ox) * o.Channels, o.Channels);
                bias?.CopyTo(acc);
                for (int ky = 0; ky < l.KernelHeight; ky++)
                {
                    int iy = oy * l.StrideHeight - l.PadTop + ky * l.DilationHeight;
                    if ((uint)iy >= (uint)i.Height)
                    {
                        continue;
                    }
                    for (int kx = 0; kx < l.KernelWidth; kx++)
                    {
                        int ix = ox * l.StrideWidth - l.PadLeft + kx * l.DilationWidth;
                        if ((uint)ix >= (uint)i.Width)
                        {
                            continue;
                        }
                        int pixel = (iy * i.Width + ix) * i.Channels;
                        int tap = (ky * l.KernelWidth + kx) * i.Channels;
                        for (int c = 0; c < i.Channels; c++)
                        {
                            ReadOnlySpan<float> row = w.AsSpan((tap + c) * o.Channels, o.Channels);
                            TensorPrimitives.MultiplyAdd(row, x[pixel + c], acc, acc);
                        }
                    }
                }
            }
        });
        return y;
    }

    /// <summary>
    /// The ONNX definition as a scatter: input pixel (i, j) adds <c>x · W[ty][tx][f][c]</c> to row
    /// <c>i·s + ty·d − PadTop</c>, column <c>j·s + tx·d − PadLeft</c>; rows outside the output are dropped.
    /// </summary>
    private static float[] ConvTranspose(ImportedLayer l, float[] x, float[] w, float[]? bias)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        var y = new float[o.Length];
        for (int p = 0; bias is not null && p < y.Length; p += o.Channels)
        {
            bias.CopyTo(y, p);
        }
        for (int iy = 0; iy < i.Height; iy++)
        {
            for (int ix = 0; ix < i.Width; ix++)
            {
                for (int ty = 0; ty < l.KernelHeight; ty++)
                {
                    int oy = iy * l.StrideHeight + ty * l.DilationHeight - l.PadTop;
                    for (int tx = 0; tx < l.KernelWidth; tx++)
                    {
                        int ox = ix * l.StrideWidth + tx * l.DilationWidth - l.PadLeft;
                        if ((uint)oy >= (uint)o.Height || (uint)ox >= (uint)o.Width)
                        {
                            continue;
                        }
                        for (int f = 0; f < o.Channels; f++)
                        {
                            double sum = 0;
                            for (int c = 0; c < i.Channels; c++)
                            {
                                sum += x[(iy * i.Width + ix) * i.Channels + c] * w[((ty * l.KernelWidth + tx) * o.Channels + f) * i.Channels + c];
                            }
                            y[(oy * o.Width + ox) * o.Channels + f] += (float)sum;
                        }
                    }
                }
            }
        }
        return y;
    }

    /// <summary>Nearest: <c>floor(y / s)</c>. Bilinear: half-pixel centres, source clamped to the edge rows (Keras, ONNX half_pixel).</summary>
    private static float[] UpSample(ImportedLayer l, float[] x)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        var y = new float[o.Length];
        (int Low, int High, double Weight) Source(int index, int factor, int length)
        {
            if (l.Interpolation == UpSamplingInterpolation.Nearest)
            {
                return (index / factor, index / factor, 0);
            }
            double source = Math.Clamp((index + 0.5) / factor - 0.5, 0, length - 1);
            int low = (int)Math.Floor(source);
            return (low, Math.Min(low + 1, length - 1), source - low);
        }
        for (int oy = 0; oy < o.Height; oy++)
        {
            var (y0, y1, fy) = Source(oy, l.StrideHeight, i.Height);
            for (int ox = 0; ox < o.Width; ox++)
            {
                var (x0, x1, fx) = Source(ox, l.StrideWidth, i.Width);
                for (int c = 0; c < o.Channels; c++)
                {
                    double At(int r, int q) => x[(r * i.Width + q) * i.Channels + c];
                    double top = At(y0, x0) * (1 - fx) + At(y0, x1) * fx, bottom = At(y1, x0) * (1 - fx) + At(y1, x1) * fx;
                    y[(oy * o.Width + ox) * o.Channels + c] = (float)(top * (1 - fy) + bottom * fy);
                }
            }
        }
        return y;
    }

    private static float[] Concatenate(ImportedLayer l, float[][] sources)
    {
        int pixels = l.OutputShape.Length / l.OutputShape.Channels;
        var y = new float[l.OutputShape.Length];
        int offset = 0;
        foreach (float[] source in sources)
        {
            int channels = source.Length / pixels;
            for (int p = 0; p < pixels; p++)
            {
                Array.Copy(source, p * channels, y, p * l.OutputShape.Channels + offset, channels);
            }
            offset += channels;
        }
        return y;
    }

    private static float[] Crop(ImportedLayer l, float[] x)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        var y = new float[o.Length];
        for (int oy = 0; oy < o.Height; oy++)
        {
            Array.Copy(x, ((oy + l.PadTop) * i.Width + l.PadLeft) * i.Channels, y, oy * o.Width * o.Channels, o.Width * o.Channels);
        }
        return y;
    }

    private static float[] BatchNorm(ImportedLayer l, float[] x, Dictionary<string, float[]> weights)
    {
        float[] gamma = weights[l.Name + ".gamma"], beta = weights[l.Name + ".beta"];
        float[] mean = weights[l.Name + ".running_mean"], variance = weights[l.Name + ".running_var"];
        int channels = l.OutputShape.Channels;
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + l.Epsilon);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - mean[c] * s);
        }
        var y = new float[x.Length];
        for (int p = 0; p < x.Length; p += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                y[p + c] = x[p + c] * scale[c] + shift[c];
            }
        }
        return y;
    }

    /// <summary>Element by element; the shorter operand (a [1,1,C] factor) repeats over positions.</summary>
    private static float[] Multiply(float[] a, float[] b, int channels)
    {
        float[] full = a.Length >= b.Length ? a : b, other = a.Length >= b.Length ? b : a;
        var y = new float[full.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = full[i] * other[other.Length == full.Length ? i : i % channels];
        }
        return y;
    }

    private static float[] Add(float[] a, float[] b)
    {
        var y = new float[a.Length];
        TensorPrimitives.Add(a, b, y);
        return y;
    }

    /// <summary>Padded cells are skipped: never the max, not counted in the average.</summary>
    private static float[] Pool(ImportedLayer l, float[] x)
    {
        TensorShape i = l.InputShape, o = l.OutputShape;
        bool max = l.Kind == ImportedLayerKind.MaxPool2D;
        var y = new float[o.Length];
        for (int oy = 0; oy < o.Height; oy++)
        {
            for (int ox = 0; ox < o.Width; ox++)
            {
                for (int c = 0; c < o.Channels; c++)
                {
                    double sum = 0, best = double.NegativeInfinity;
                    int count = 0;
                    for (int ky = 0; ky < l.KernelHeight; ky++)
                    {
                        int iy = oy * l.StrideHeight - l.PadTop + ky;
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            int ix = ox * l.StrideWidth - l.PadLeft + kx;
                            if ((uint)iy >= (uint)i.Height || (uint)ix >= (uint)i.Width)
                            {
                                continue;
                            }
                            float v = x[(iy * i.Width + ix) * i.Channels + c];
                            sum += v;
                            best = Math.Max(best, v);
                            count++;
                        }
                    }
                    y[(oy * o.Width + ox) * o.Channels + c] = (float)(max ? best : sum / count);
                }
            }
        }
        return y;
    }

    private static float[] GlobalPool(ImportedLayer l, float[] x)
    {
        int channels = l.InputShape.Channels, pixels = l.InputShape.Height * l.InputShape.Width;
        bool max = l.Kind == ImportedLayerKind.GlobalMaxPool2D;
        var y = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, best = double.NegativeInfinity;
            for (int p = 0; p < pixels; p++)
            {
                sum += x[p * channels + c];
                best = Math.Max(best, x[p * channels + c]);
            }
            y[c] = (float)(max ? best : sum / pixels);
        }
        return y;
    }

    private static float[] Dense(ImportedLayer l, float[] x, float[] w, float[]? bias)
    {
        int units = l.Units;
        var y = new float[units];
        bias?.CopyTo(y, 0);
        for (int k = 0; k < x.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(w.AsSpan(k * units, units), x[k], y, y);
        }
        return y;
    }

    /// <summary>Softmax runs over each pixel's channels (the whole vector for a vector).</summary>
    private static void Activate(Activation activation, double alpha, float[] v, int channels)
    {
        switch (activation)
        {
            case Activation.Linear: break;
            case Activation.Relu: TensorPrimitives.Max(v, 0f, v); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(v, v); break;
            case Activation.Tanh: TensorPrimitives.Tanh(v, v); break;
            case Activation.Softmax:
                for (int p = 0; p < v.Length; p += channels)
                {
                    TensorPrimitives.SoftMax(v.AsSpan(p, channels), v.AsSpan(p, channels));
                }
                break;
            case Activation.LeakyRelu:
                float slope = double.IsNaN(alpha) ? 0.01f : (float)alpha;
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = v[i] > 0 ? v[i] : slope * v[i];
                }
                break;
            case Activation.Elu:
                float scale = double.IsNaN(alpha) ? 1f : (float)alpha;
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = v[i] > 0 ? v[i] : scale * float.ExpM1(v[i]);
                }
                break;
            case Activation.Relu6:
            case Activation.HardSigmoid:
            case Activation.HardSwish:
            case Activation.Silu:
            case Activation.Mish:
                for (int i = 0; i < v.Length; i++)
                {
                    double x = v[i];
                    double hard = Math.Min(Math.Max(x + 3, 0), 6) / 6;
                    v[i] = (float)(activation switch
                    {
                        Activation.Relu6 => Math.Min(Math.Max(x, 0), 6),
                        Activation.HardSigmoid => hard,
                        Activation.HardSwish => x * hard,
                        Activation.Silu => x / (1 + Math.Exp(-x)),
                        _ => x * Math.Tanh(x > 30 ? x : Math.Log(1 + Math.Exp(x))),
                    });
                }
                break;
            default: throw new NotSupportedException(activation.ToString());
        }
    }
}
