using System.Collections.Generic;

namespace ConvGen.Augmentation;

/// <summary>
/// What <see cref="ImageAugmentation"/> does to each training image, with the parameters of
/// Keras's preprocessing layers (<c>RandomFlip</c>, <c>RandomRotation</c>, <c>RandomShear</c>,
/// <c>RandomTranslation</c>, <c>RandomZoom</c>, <c>RandomBrightness</c>, <c>RandomContrast</c>,
/// <c>RandomSaturation</c>, <c>RandomHue</c>). Everything is off by default. Pixel values are
/// expected in [0, 1], as ConvGen's loaders produce them; colour changes clip to that range.
/// </summary>
/// <remarks>
/// The geometric transforms act in the order of the properties (flip, rotation, shear,
/// translation, zoom) as a Keras pipeline of those layers would, but are composed into one
/// matrix and resampled once: one interpolation blur instead of five, and one pass.
/// </remarks>
public sealed class ImageAugmentationOptions
{
    /// <summary>Mirror left-right with probability 1/2 (Keras <c>RandomFlip("horizontal")</c>).</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Mirror top-bottom with probability 1/2 (Keras <c>RandomFlip("vertical")</c>).</summary>
    public bool VerticalFlip { get; init; }

    /// <summary>Rotation as a fraction of a full turn: 0.1 rotates by up to ±36°; positive is counter-clockwise.</summary>
    public AugmentationFactor Rotation { get; init; }

    /// <summary>Horizontal shear (Keras <c>x_factor</c>): 0.2 shifts rows by up to 20% of the way across, either direction.</summary>
    public AugmentationFactor ShearX { get; init; }

    /// <summary>Vertical shear (Keras <c>y_factor</c>).</summary>
    public AugmentationFactor ShearY { get; init; }

    /// <summary>Vertical shift as a fraction of the height: 0.1 moves the picture up or down by up to 10%.</summary>
    public AugmentationFactor TranslateHeight { get; init; }

    /// <summary>Horizontal shift as a fraction of the width.</summary>
    public AugmentationFactor TranslateWidth { get; init; }

    /// <summary>Zoom of the height: positive zooms out, negative in; 0.2 draws from [-20%, +20%].</summary>
    public AugmentationFactor ZoomHeight { get; init; }

    /// <summary>Zoom of the width; null (the default) zooms the width by the same draw as the height, keeping the aspect ratio.</summary>
    public AugmentationFactor? ZoomWidth { get; init; }

    /// <summary>Brightness shift as a fraction of the value range: 0.2 adds a value from [-0.2, 0.2].</summary>
    public AugmentationFactor Brightness { get; init; }

    /// <summary>Contrast: 0.2 scales each channel's distance from its mean by a factor from [0.8, 1.2].</summary>
    public AugmentationFactor Contrast { get; init; }

    /// <summary>
    /// Saturation, Keras semantics: a draw <c>s</c> from [0, f] (or the given pair) multiplies the
    /// saturation by <c>s / (1 - s)</c>; 0.5 keeps it, 0 makes the image grey, 1 fully saturated.
    /// Pass a pair such as (0.3, 0.7) for changes both ways. Needs 3 channels.
    /// </summary>
    public AugmentationFactor Saturation { get; init; }

    /// <summary>Hue, Keras semantics: a draw <c>f</c> from [0, f] (or the pair) shifts the hue by ±f/2 of a full turn. Needs 3 channels.</summary>
    public AugmentationFactor Hue { get; init; }

    /// <summary>Reading outside the image (default <see cref="FillMode.Reflect"/>, as Keras).</summary>
    public FillMode FillMode { get; init; } = FillMode.Reflect;

    /// <summary>Value outside the image for <see cref="FillMode.Constant"/>.</summary>
    public float FillValue { get; init; }

    /// <summary>Interpolation of the geometric resample (default bilinear, as Keras).</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;

    /// <summary>The lecture's set: horizontal flip, rotation ±0.1 turn, shear 0.1, shift 0.1, zoom 0.1, brightness and contrast 0.1, saturation (0.35, 0.65), hue 0.05.</summary>
    public static ImageAugmentationOptions Lecture { get; } = new()
    {
        HorizontalFlip = true,
        Rotation = 0.1,
        ShearX = 0.1,
        ShearY = 0.1,
        TranslateHeight = 0.1,
        TranslateWidth = 0.1,
        ZoomHeight = 0.1,
        Brightness = 0.1,
        Contrast = 0.1,
        Saturation = (0.35, 0.65),
        Hue = 0.05,
    };

    /// <summary>True when any geometric transform is on.</summary>
    public bool HasGeometry =>
        HorizontalFlip || VerticalFlip || !Rotation.IsZero || !ShearX.IsZero || !ShearY.IsZero
        || !TranslateHeight.IsZero || !TranslateWidth.IsZero || !ZoomHeight.IsZero || (ZoomWidth is { } zw && !zw.IsZero);

    /// <summary>One line per active transform, for logs.</summary>
    public IEnumerable<string> Describe()
    {
        if (HorizontalFlip || VerticalFlip)
        {
            yield return "flip " + (HorizontalFlip && VerticalFlip ? "horizontal and vertical" : HorizontalFlip ? "horizontal" : "vertical");
        }
        if (!Rotation.IsZero) yield return $"rotation {Rotation} turn";
        if (!ShearX.IsZero || !ShearY.IsZero) yield return $"shear x {ShearX}, y {ShearY}";
        if (!TranslateHeight.IsZero || !TranslateWidth.IsZero) yield return $"translation height {TranslateHeight}, width {TranslateWidth}";
        if (!ZoomHeight.IsZero || ZoomWidth is { IsZero: false }) yield return $"zoom height {ZoomHeight}, width {(ZoomWidth is { } w ? w.ToString() : "same")}";
        if (!Brightness.IsZero) yield return $"brightness {Brightness}";
        if (!Contrast.IsZero) yield return $"contrast {Contrast}";
        if (!Saturation.IsZero) yield return $"saturation {Saturation}";
        if (!Hue.IsZero) yield return $"hue {Hue}";
        if (HasGeometry) yield return $"fill {FillMode}{(FillMode == FillMode.Constant ? $" {FillValue}" : "")}, {Interpolation} interpolation";
    }
}
