using System;
using System.Collections.Generic;
using ConvGen.Imaging;

namespace ConvGen.Data;

/// <summary>How <see cref="SegmentationFolder.Open"/> reads image + mask pairs.</summary>
public sealed class SegmentationFolderOptions
{
    /// <summary>Height images and masks are resized to (the network's input height).</summary>
    public required int Height { get; init; }

    /// <summary>Width images and masks are resized to.</summary>
    public required int Width { get; init; }

    /// <summary>Image channels: 1 (grey, luma), 3 (RGB, default) or 4 (RGBA).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Number of classes, 1 to 256: a mask value (or palette index) must be below it or the <see cref="IgnoreLabel"/>.</summary>
    public required int Classes { get; init; }

    /// <summary>
    /// Colour masks: the RGB colour of each class, index = class (as the Pascal VOC palette).
    /// Null (default): masks are 8-bit grey pictures whose value is the class index.
    /// </summary>
    public IReadOnlyList<(byte R, byte G, byte B)>? Palette { get; init; }

    /// <summary>
    /// The label of unlabelled pixels (often 255, the VOC border), passed through to the targets
    /// so that a loss with the same <c>IgnoreLabel</c> skips them; in grey masks, the grey value
    /// that means it. Null: every mask value must be a class.
    /// </summary>
    public int? IgnoreLabel { get; init; }

    /// <summary>In colour masks, the colour of unlabelled pixels (VOC: 224, 224, 192); needs <see cref="IgnoreLabel"/>.</summary>
    public (byte R, byte G, byte B)? IgnoreColor { get; init; }

    /// <summary>Class names, one per class; null: "0", "1", ...</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>What to do with a bad pair (missing mask, unreadable file, size mismatch, label out of range): stop (default) or skip it and record it.</summary>
    public BadInputPolicy BadPairs { get; init; } = BadInputPolicy.Throw;

    /// <summary>Image resize filter (masks always use nearest neighbour).</summary>
    public ResizeInterpolation Interpolation { get; init; } = ResizeInterpolation.Bilinear;

    /// <summary>Largest picture accepted, from its header (default <see cref="ImageDecoder.DefaultMaxPixels"/>).</summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;

    /// <summary>Threads that decode and check the pairs when the folder is opened (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
