using System;

namespace ConvGen;

/// <summary>
/// Element-wise product of two earlier layers' outputs: equal shapes, or a <c>[1,1,C]</c> factor
/// (e.g. <c>GlobalAvgPool2D(KeepDims = true)</c> followed by Dense layers) broadcast over every
/// position of an <c>[H,W,C]</c> map, in either order: squeeze-and-excitation's gate. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiplyAttribute : LayerAttribute
{
    /// <summary>Multiplies the outputs of the layers named <paramref name="first"/> and <paramref name="second"/>.</summary>
    public MultiplyAttribute(string first, string second)
    {
        First = first;
        Second = second;
    }

    /// <summary>Name of the first factor's layer.</summary>
    public string First { get; }
    /// <summary>Name of the second factor's layer.</summary>
    public string Second { get; }
}

/// <summary>
/// Gives the values a new shape with the same number of elements (Keras <c>Reshape</c>, channels
/// last, no copy): <c>[Reshape(1, 1, C)]</c> turns a vector of C into a 1x1 map, <c>[Reshape(n)]</c>
/// flattens.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute : LayerAttribute
{
    /// <summary>To a vector of <paramref name="length"/> values.</summary>
    public ReshapeAttribute(int length) => Channels = length;

    /// <summary>To a <paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/> map.</summary>
    public ReshapeAttribute(int height, int width, int channels)
    {
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>Rows of the target map (1 for a vector).</summary>
    public int Height { get; } = 1;
    /// <summary>Columns of the target map (1 for a vector).</summary>
    public int Width { get; } = 1;
    /// <summary>Channels of the target map, or the vector's length.</summary>
    public int Channels { get; }
}

/// <summary>
/// Keras 3 <c>GroupNormalization</c>: each sample's channels in <c>groups</c> equal runs, each
/// normalised over all positions and its channels, then scaled by gamma and shifted by beta
/// (both per channel, trained). Statistics are per sample, so training and inference agree.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormalizationAttribute : LayerAttribute
{
    /// <summary>Normalises in <paramref name="groups"/> groups of channels (it must divide the channel count).</summary>
    public GroupNormalizationAttribute(int groups) => Groups = groups;

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }
    /// <summary>Added to the variance before the square root (Keras default 1e-3).</summary>
    public double Epsilon { get; set; } = 1e-3;
    /// <summary>Learn beta, a per-channel shift (default true).</summary>
    public bool Center { get; set; } = true;
    /// <summary>Learn gamma, a per-channel scale (default true).</summary>
    public bool Scale { get; set; } = true;
}

/// <summary>
/// Keras <c>LayerNormalization</c> over the channel (last) axis: each position of each sample
/// normalised over its channels, then gamma and beta per channel (trained).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormalizationAttribute : LayerAttribute
{
    /// <summary>Added to the variance before the square root (Keras default 1e-3).</summary>
    public double Epsilon { get; set; } = 1e-3;
    /// <summary>Learn beta, a per-channel shift (default true).</summary>
    public bool Center { get; set; } = true;
    /// <summary>Learn gamma, a per-channel scale (default true).</summary>
    public bool Scale { get; set; } = true;
}
