using System;
using System.Globalization;

namespace ConvGen.Augmentation;

/// <summary>
/// A 2-D affine map from OUTPUT pixel coordinates to INPUT pixel coordinates, the convention of
/// Keras's <c>affine_transform</c>: <c>x' = A x + B y + C</c>, <c>y' = D x + E y + F</c>, where x is
/// the column and y the row, both 0 at the centre of the top-left pixel. Resampling reads the
/// input at (x', y') for every output pixel (x, y).
/// </summary>
/// <remarks>
/// Because the map goes from output to input, applying transform <c>first</c> and then
/// <c>second</c> to an image equals one resample with <c>first * second</c> (see
/// <see cref="Then"/>): the output pixel is mapped back through the last transform first.
/// </remarks>
public readonly record struct AffineMatrix(double A, double B, double C, double D, double E, double F)
{
    /// <summary>The map that changes nothing.</summary>
    public static AffineMatrix Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>True when every coefficient equals the identity's.</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>The input position read for output pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (double X, double Y) Map(double x, double y) => (A * x + B * y + C, D * x + E * y + F);

    /// <summary>
    /// The single map equal to resampling with this map and then with <paramref name="next"/>
    /// (the matrix product <c>this * next</c>).
    /// </summary>
    public AffineMatrix Then(AffineMatrix next) => new(
        A * next.A + B * next.D, A * next.B + B * next.E, A * next.C + B * next.F + C,
        D * next.A + E * next.D, D * next.B + E * next.E, D * next.C + E * next.F + F);

    /// <summary>Mirrors left-right: <c>x' = (width - 1) - x</c>.</summary>
    public static AffineMatrix FlipHorizontal(int width) => new(-1, 0, width - 1, 0, 1, 0);

    /// <summary>Mirrors top-bottom: <c>y' = (height - 1) - y</c>.</summary>
    public static AffineMatrix FlipVertical(int height) => new(1, 0, 0, 0, -1, height - 1);

    /// <summary>
    /// Rotation by <paramref name="turns"/> of a full turn about the image centre; positive turns
    /// rotate the picture counter-clockwise, as Keras's <c>RandomRotation</c>. Multiples of a
    /// quarter turn use exact sines and cosines, so 90° rotations move pixels without interpolation.
    /// </summary>
    public static AffineMatrix Rotation(double turns, int height, int width)
    {
        var (sin, cos) = QuarterExactSinCos(turns);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        // Keras: x' = cos x - sin y + x_offset, y' = sin x + cos y + y_offset, centred.
        return new(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }

    /// <summary>
    /// Shear about the image centre: <c>x' = x + shearX (y - cy)</c>, <c>y' = y + shearY (x - cx)</c>.
    /// The factors are Keras's <c>RandomShear</c> factors (0.3 moves a pixel up to 30% of the way
    /// across); Keras shears about the top-left corner, which also shifts the picture, so ConvGen
    /// centres it to keep the subject in view.
    /// </summary>
    public static AffineMatrix Shear(double shearX, double shearY, int height, int width)
    {
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        return new(1, shearX, -shearX * cy, shearY, 1, -shearY * cx);
    }

    /// <summary>
    /// Moves the picture down by <paramref name="heightFraction"/> of its height and right by
    /// <paramref name="widthFraction"/> of its width (negative: up / left), as Keras's <c>RandomTranslation</c>.
    /// </summary>
    public static AffineMatrix Translation(double heightFraction, double widthFraction, int height, int width) =>
        new(1, 0, -widthFraction * width, 0, 1, -heightFraction * height);

    /// <summary>
    /// Zoom about the centre as Keras's <c>RandomZoom</c>: a positive factor zooms out (the output
    /// shows a region <c>1 + factor</c> times larger), a negative one zooms in.
    /// </summary>
    public static AffineMatrix Zoom(double heightFactor, double widthFactor, int height, int width)
    {
        double zx = 1 + widthFactor, zy = 1 + heightFactor;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        return new(zx, 0, cx * (1 - zx), 0, zy, cy * (1 - zy));
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[x' = {A:0.####} x + {B:0.####} y + {C:0.###}, y' = {D:0.####} x + {E:0.####} y + {F:0.###}]");

    private static (double Sin, double Cos) QuarterExactSinCos(double turns)
    {
        double quarters = turns * 4;
        double nearest = Math.Round(quarters);
        if (Math.Abs(quarters - nearest) < 1e-12)
        {
            return ((((long)nearest % 4) + 4) % 4) switch
            {
                0 => (0, 1),
                1 => (1, 0),
                2 => (0, -1),
                _ => (-1, 0),
            };
        }
        double angle = turns * 2 * Math.PI;
        return (Math.Sin(angle), Math.Cos(angle));
    }
}
