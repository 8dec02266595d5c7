using System;
using System.Globalization;

namespace ConvGen.Augmentation;

/// <summary>
/// A Keras augmentation factor: one number or a (lower, upper) pair. What a single number means
/// depends on the option, exactly as in Keras: ± the number for rotation, shear, translation,
/// zoom and brightness; <c>[1 - f, 1 + f]</c> for contrast; <c>[0, f]</c> for saturation and
/// hue. A pair is used as given (contrast: <c>[1 - lower, 1 + upper]</c>). Write a single
/// number as a plain <c>double</c> (implicit conversion) and a pair as <c>(lower, upper)</c>.
/// </summary>
public readonly record struct AugmentationFactor
{
    private AugmentationFactor(double lower, double upper, bool isSingle)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), $"Augmentation factors must be finite; got ({lower}, {upper}).");
        }
        if (!isSingle && lower > upper)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), $"An augmentation range needs lower <= upper; got ({lower}, {upper}).");
        }
        Lower = lower;
        Upper = upper;
        IsSingle = isSingle;
    }

    /// <summary>A single number (Keras <c>factor=f</c>).</summary>
    public static AugmentationFactor Single(double factor) => new(factor, factor, isSingle: true);

    /// <summary>A (lower, upper) pair (Keras <c>factor=(lower, upper)</c>).</summary>
    public static AugmentationFactor Range(double lower, double upper) => new(lower, upper, isSingle: false);

    /// <summary>No augmentation of this kind.</summary>
    public static AugmentationFactor None => default;

    /// <summary>The lower value (equal to <see cref="Upper"/> for a single number).</summary>
    public double Lower { get; }

    /// <summary>The upper value.</summary>
    public double Upper { get; }

    /// <summary>True when given as one number.</summary>
    public bool IsSingle { get; }

    /// <summary>True for the zero factor (single 0 or the pair (0, 0)): the augmentation is off.</summary>
    public bool IsZero => Lower == 0 && Upper == 0;

    /// <summary>A single number.</summary>
    public static implicit operator AugmentationFactor(double factor) => Single(factor);

    /// <summary>A (lower, upper) pair.</summary>
    public static implicit operator AugmentationFactor((double Lower, double Upper) range) => Range(range.Lower, range.Upper);

    /// <summary>Single f → [-|f|, |f|]; a pair as given.</summary>
    internal (double Lower, double Upper) Symmetric() => IsSingle ? (-Math.Abs(Lower), Math.Abs(Lower)) : (Lower, Upper);

    /// <summary>Single f → [0, f]; a pair as given.</summary>
    internal (double Lower, double Upper) FromZero() => IsSingle ? (0, Lower) : (Lower, Upper);

    /// <summary>Keras contrast: single f → [1 - f, 1 + f]; (a, b) → [1 - a, 1 + b].</summary>
    internal (double Lower, double Upper) AroundOne() => (1 - Lower, 1 + Upper);

    /// <inheritdoc/>
    public override string ToString() => IsSingle
        ? Lower.ToString("0.###", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"({Lower:0.###}, {Upper:0.###})");
}
