namespace ConvGen;

/// <summary>
/// Shape of one sample's activation: rank 3 <c>[Height, Width, Channels]</c> (channels last) or
/// rank 1 <c>[Length]</c> after Flatten / global pooling / Dense, where Height = Width = 1.
/// </summary>
public readonly record struct TensorShape(int Height, int Width, int Channels, int Rank)
{
    /// <summary>A rank-3 shape.</summary>
    public static TensorShape Spatial(int height, int width, int channels) => new(height, width, channels, 3);

    /// <summary>A rank-1 shape.</summary>
    public static TensorShape Vector(int length) => new(1, 1, length, 1);

    /// <summary>Number of floats per sample.</summary>
    public int Length => Height * Width * Channels;

    /// <summary><c>[H,W,C]</c> or <c>[N]</c>, as in the generated shape comments.</summary>
    public override string ToString() => Rank == 1 ? $"[{Channels}]" : $"[{Height},{Width},{Channels}]";
}
