namespace ConvGen;

/// <summary>Multiply: the element-wise product of its two sources (one may be a <c>[1,1,C]</c> factor broadcast over the other).</summary>
public sealed record MultiplyConfig : LayerConfig;

/// <summary>Reshape: the same values under <see cref="LayerInfo.OutputShape"/>.</summary>
/// <param name="Height">Target rows (1 for a vector).</param>
/// <param name="Width">Target columns (1 for a vector).</param>
/// <param name="Channels">Target channels, or the vector's length.</param>
/// <param name="Rank">3 for a map, 1 for a vector.</param>
public sealed record ReshapeConfig(int Height, int Width, int Channels, int Rank) : LayerConfig;

/// <summary>GroupNormalization, and LayerNormalization (one group per position).</summary>
/// <param name="Groups">Channel groups (1 for LayerNormalization).</param>
/// <param name="Epsilon">Added to the variance.</param>
/// <param name="Center">Whether a trained beta is added.</param>
/// <param name="Scale">Whether a trained gamma multiplies.</param>
public sealed record NormalizationConfig(int Groups, double Epsilon, bool Center, bool Scale) : LayerConfig;
