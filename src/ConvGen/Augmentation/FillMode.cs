namespace ConvGen.Augmentation;

/// <summary>
/// How an affine resample reads outside the source image (Keras <c>fill_mode</c>). Shown for a
/// row <c>a b c d</c> extended on both sides.
/// </summary>
public enum FillMode
{
    /// <summary><c>(d c b a | a b c d | d c b a)</c>: reflection about the edge of the last pixel (Keras's default).</summary>
    Reflect,

    /// <summary><c>(k k k k | a b c d | k k k k)</c>: a constant value <c>k</c> (the fill value).</summary>
    Constant,

    /// <summary><c>(a a a a | a b c d | d d d d)</c>: the nearest edge pixel.</summary>
    Nearest,

    /// <summary><c>(a b c d | a b c d | a b c d)</c>: wraps around to the opposite edge.</summary>
    Wrap,
}

/// <summary>How a resample reads between pixel centres (Keras <c>interpolation</c>).</summary>
public enum Interpolation
{
    /// <summary>Weighted mean of the four surrounding pixels (Keras's default).</summary>
    Bilinear,

    /// <summary>The pixel whose centre is nearest (ties round half to even, like Keras's NumPy backend).</summary>
    Nearest,
}
