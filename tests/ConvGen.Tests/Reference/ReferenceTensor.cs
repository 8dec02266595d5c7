using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// A batch of activations in double precision for the reference implementations: NHWC, or
/// rank 1 per sample (height = width = 1) after Flatten, global pooling and Dense.
/// </summary>
public sealed class ReferenceTensor
{
    public ReferenceTensor(int batch, int height, int width, int channels, int rank = 3)
    {
        Batch = batch;
        Height = height;
        Width = width;
        Channels = channels;
        Rank = rank;
        Values = new double[batch * height * width * channels];
    }

    public int Batch { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public int Rank { get; }
    public double[] Values { get; }

    /// <summary>Floats per sample.</summary>
    public int SampleLength => Height * Width * Channels;

    /// <summary>The per-sample shape as the generated networks report it.</summary>
    public TensorShape SampleShape => new(Height, Width, Channels, Rank);

    public double this[int n, int y, int x, int c]
    {
        get => Values[Index(n, y, x, c)];
        set => Values[Index(n, y, x, c)] = value;
    }

    public int Index(int n, int y, int x, int c) => ((n * Height + y) * Width + x) * Channels + c;

    public static ReferenceTensor FromNhwc(ReadOnlySpan<float> values, int batch, int height, int width, int channels)
    {
        var tensor = new ReferenceTensor(batch, height, width, channels);
        if (values.Length != tensor.Values.Length)
        {
            throw new ArgumentException($"{values.Length} floats do not make a [{batch},{height},{width},{channels}] tensor.");
        }
        for (int i = 0; i < values.Length; i++)
        {
            tensor.Values[i] = values[i];
        }
        return tensor;
    }

    /// <summary>Channels-last flattening is a reinterpretation of the same values.</summary>
    public ReferenceTensor Flatten()
    {
        var flat = new ReferenceTensor(Batch, 1, 1, SampleLength, rank: 1);
        Values.CopyTo(flat.Values, 0);
        return flat;
    }

    /// <summary>The same values under another per-sample shape of as many elements (Reshape, GlobalPool with KeepDims).</summary>
    public ReferenceTensor Reshape(int height, int width, int channels, int rank)
    {
        if (height * width * channels != SampleLength)
        {
            throw new ArgumentException($"[{Height},{Width},{Channels}] cannot become [{height},{width},{channels}].");
        }
        var reshaped = new ReferenceTensor(Batch, height, width, channels, rank);
        Values.CopyTo(reshaped.Values, 0);
        return reshaped;
    }

    /// <summary>"[n=.., y=.., x=.., c=..]" (or "[n=.., i=..]" for rank 1) for a flat index, for failure messages.</summary>
    public string Describe(int index)
    {
        int c = index % Channels;
        int rest = index / Channels;
        int x = rest % Width;
        rest /= Width;
        int y = rest % Height;
        int n = rest / Height;
        return Rank == 1 ? $"[n={n}, i={c}]" : $"[n={n}, y={y}, x={x}, c={c}]";
    }
}
