namespace ConvGen.Generators.Model;

/// <summary>Per-sample tensor shape: rank 3 [H,W,C] or rank 1 [C] (with H = W = 1).</summary>
internal readonly record struct Shape(int Height, int Width, int Channels, int Rank)
{
    public static Shape Spatial(int height, int width, int channels) => new(height, width, channels, 3);

    public static Shape Vector(int length) => new(1, 1, length, 1);

    public bool IsSpatial => Rank == 3;

    public long Length => (long)Height * Width * Channels;

    /// <summary><c>[H,W,C]</c> or <c>[N]</c>, as in shape comments.</summary>
    public override string ToString() => Rank == 1 ? $"[{Channels}]" : $"[{Height},{Width},{Channels}]";

    /// <summary><c>HxWxC</c> or <c>N</c>, as in diagnostic messages.</summary>
    public string ToText() => Rank == 1 ? $"{Channels}" : $"{Height}x{Width}x{Channels}";
}
