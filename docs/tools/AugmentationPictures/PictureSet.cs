using System.Collections.Generic;
using ConvGen.Augmentation;

namespace AugmentationPictures;

/// <summary>One picture of docs/data.md: a file name and the options it shows.</summary>
/// <param name="ColourOnly">Saturation and hue need three channels, so they have no grey (Fashion-MNIST) row.</param>
public sealed record PictureSet(string Name, ImageAugmentationOptions Options, bool ColourOnly = false)
{
    /// <summary>
    /// Every option of <see cref="ImageAugmentationOptions"/>, each alone with a factor large
    /// enough to see, then the lecture's combination. Random draws: the seven columns after the
    /// original show seven draws of the same options.
    /// </summary>
    public static IReadOnlyList<PictureSet> Random { get; } = new PictureSet[]
    {
        new("horizontal-flip", new() { HorizontalFlip = true }),
        new("vertical-flip", new() { VerticalFlip = true }),
        new("rotation", new() { Rotation = 0.1 }),
        new("shear-x", new() { ShearX = 0.3 }),
        new("shear-y", new() { ShearY = 0.3 }),
        new("translate-height", new() { TranslateHeight = 0.2 }),
        new("translate-width", new() { TranslateWidth = 0.2 }),
        new("zoom", new() { ZoomHeight = 0.3 }),
        new("zoom-width", new() { ZoomHeight = 0.3, ZoomWidth = 0.0 }),
        new("brightness", new() { Brightness = 0.3 }),
        new("contrast", new() { Contrast = 0.5 }),
        new("saturation", new() { Saturation = (0.1, 0.9) }, ColourOnly: true),
        new("hue", new() { Hue = 0.3 }, ColourOnly: true),
        new("lecture", ImageAugmentationOptions.Lecture, ColourOnly: true),
    };

    /// <summary>
    /// The same fixed transform (a rotation of 1/8 turn with a 40% zoom out, both as a range of
    /// one value, so every draw is the same) under each fill mode, then under each interpolation.
    /// </summary>
    public static IReadOnlyList<(string Name, ImageAugmentationOptions Options)> FillModes { get; } = new (string, ImageAugmentationOptions)[]
    {
        ("reflect", Fixed(FillMode.Reflect, Interpolation.Bilinear)),
        ("constant", Fixed(FillMode.Constant, Interpolation.Bilinear)),
        ("nearest", Fixed(FillMode.Nearest, Interpolation.Bilinear)),
        ("wrap", Fixed(FillMode.Wrap, Interpolation.Bilinear)),
        ("nearest-interpolation", Fixed(FillMode.Reflect, Interpolation.Nearest)),
    };

    private static ImageAugmentationOptions Fixed(FillMode fill, Interpolation interpolation) => new()
    {
        Rotation = (0.125, 0.125),
        ZoomHeight = (0.4, 0.4),
        FillMode = fill,
        FillValue = 0.5f,
        Interpolation = interpolation,
    };
}
