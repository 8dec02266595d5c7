using System;
using System.Globalization;
using System.Threading;
using ConvGen.Data;

namespace ConvGen.Augmentation;

/// <summary>
/// Augmentation of image + mask pairs for segmentation: each sample draws one set of random
/// values (<see cref="ImageAugmentation.Draw"/>), the image gets the geometry and the colour
/// changes as <see cref="ImageAugmentation"/> does, and the <c>[H,W]</c> class-index mask (the
/// target) gets the very same geometric transform resampled with nearest-neighbour, so every
/// pixel keeps a label that exists, and no colour change. Pixels that the transform brings in
/// from outside the picture follow the options' <see cref="FillMode"/>; with
/// <see cref="FillMode.Constant"/> the mask is filled with <see cref="FillLabel"/> (say, the
/// background class, or the loss's ignore label).
/// </summary>
public sealed class SegmentationAugmentation : ISampleTargetAugmentation
{
    private readonly ImageAugmentation _image;
    private readonly ThreadLocal<float[]> _scratch;

    /// <summary>Creates the augmentation for images of <paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/> and their masks.</summary>
    /// <param name="options">The transforms, as for <see cref="ImageAugmentation"/>; its interpolation applies to the image only.</param>
    /// <param name="height">Image and mask height.</param>
    /// <param name="width">Image and mask width.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="fillLabel">Mask value outside the picture under <see cref="FillMode.Constant"/> (default 0).</param>
    public SegmentationAugmentation(ImageAugmentationOptions options, int height, int width, int channels, int fillLabel = 0)
    {
        _image = new ImageAugmentation(options, height, width, channels);
        FillLabel = fillLabel;
        _scratch = new ThreadLocal<float[]>(() => new float[height * width]);
    }

    /// <summary>The image augmentation (same options, same draws).</summary>
    public ImageAugmentation Image => _image;

    /// <summary>Mask value for pixels brought in from outside under <see cref="FillMode.Constant"/>.</summary>
    public int FillLabel { get; }

    /// <summary>Pixels per mask.</summary>
    public int MaskLength => _image.Height * _image.Width;

    /// <summary>Without a mask (a caller that has none): the image alone, as <see cref="ImageAugmentation"/>.</summary>
    public void Apply(Span<float> sample, ref SeededRandom random) => _image.Apply(sample, ref random);

    /// <inheritdoc/>
    public void Apply(Span<float> sample, Span<float> target, ref SeededRandom random)
    {
        if (target.Length != MaskLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The target holds {target.Length} floats but a {_image.Height}x{_image.Width} mask of class indices has {MaskLength}; SegmentationAugmentation needs [H,W] class-index masks."),
                nameof(target));
        }
        var draw = _image.Draw(ref random);
        _image.Apply(sample, draw);
        var geometry = draw.Geometry(_image.Height, _image.Width);
        if (geometry.IsIdentity)
        {
            return;
        }
        float[] scratch = _scratch.Value!;
        target.CopyTo(scratch);
        // Nearest: a blend of two labels would be a third, meaningless label.
        AffineResampler.Resample(scratch, target, _image.Height, _image.Width, 1, geometry,
            Interpolation.Nearest, _image.Options.FillMode, FillLabel);
    }
}
