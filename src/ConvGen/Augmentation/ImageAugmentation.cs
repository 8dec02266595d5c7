using System;
using System.Threading;
using ConvGen.Data;

namespace ConvGen.Augmentation;

/// <summary>
/// Random flips, rotation, shear, translation, zoom and colour distortion of HxWxC training
/// images (<see cref="ImageAugmentationOptions"/>, Keras semantics). Pass it as
/// <c>TrainingOptions.Augmentation</c>: training applies it to each training sample with a
/// generator seeded per epoch and sample, so the same seed gives the same augmented batches;
/// validation data is never augmented.
/// </summary>
/// <remarks>
/// The geometric transforms compose into one <see cref="AffineMatrix"/> and the image is
/// resampled once. Apart from one scratch image per thread, allocated on the thread's first
/// call, applying it allocates nothing.
/// </remarks>
public sealed class ImageAugmentation : ISampleAugmentation
{
    private const double SaturationEpsilon = 1e-7;
    private readonly ThreadLocal<float[]> _scratch;

    /// <summary>Creates the augmentation for images of the given shape.</summary>
    /// <exception cref="ArgumentException">A factor is outside Keras's bounds, or saturation / hue is requested for images without 3 channels.</exception>
    public ImageAugmentation(ImageAugmentationOptions options, int height, int width, int channels)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (height < 1 || width < 1 || channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"The image shape {height}x{width}x{channels} must have every dimension at least 1.");
        }
        Validate(options, channels);
        Options = options;
        Height = height;
        Width = width;
        Channels = channels;
        int length = checked(height * width * channels);
        _scratch = new ThreadLocal<float[]>(() => new float[length]);
    }

    /// <summary>Creates the augmentation for a network's input shape.</summary>
    public ImageAugmentation(ImageAugmentationOptions options, TensorShape shape)
        : this(options, shape.Height, shape.Width, shape.Channels)
    {
    }

    /// <summary>The options.</summary>
    public ImageAugmentationOptions Options { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel.</summary>
    public int Channels { get; }

    /// <summary>Floats per image.</summary>
    public int Length => Height * Width * Channels;

    /// <inheritdoc/>
    public void Apply(Span<float> sample, ref SeededRandom random) => Apply(sample, Draw(ref random));

    /// <summary>Draws the random values for one image (only for the transforms that are on).</summary>
    public AugmentationDraw Draw(ref SeededRandom random)
    {
        var o = Options;
        bool flipH = o.HorizontalFlip && random.NextDouble() < 0.5;
        bool flipV = o.VerticalFlip && random.NextDouble() < 0.5;
        double rotation = o.Rotation.IsZero ? 0 : Uniform(ref random, o.Rotation.Symmetric());
        double shearX = 0, shearY = 0;
        if (!o.ShearX.IsZero || !o.ShearY.IsZero)
        {
            // Keras draws one sign for both axes, so a range such as (0.1, 0.3) shears either way.
            double sign = random.NextDouble() < 0.5 ? -1 : 1;
            shearX = o.ShearX.IsZero ? 0 : sign * Uniform(ref random, o.ShearX.Symmetric());
            shearY = o.ShearY.IsZero ? 0 : sign * Uniform(ref random, o.ShearY.Symmetric());
        }
        double shiftH = o.TranslateHeight.IsZero ? 0 : Uniform(ref random, o.TranslateHeight.Symmetric());
        double shiftW = o.TranslateWidth.IsZero ? 0 : Uniform(ref random, o.TranslateWidth.Symmetric());
        double zoomH = o.ZoomHeight.IsZero ? 0 : Uniform(ref random, o.ZoomHeight.Symmetric());
        double zoomW = o.ZoomWidth is { } zw ? (zw.IsZero ? 0 : Uniform(ref random, zw.Symmetric())) : zoomH;
        float brightness = o.Brightness.IsZero ? 0 : (float)Uniform(ref random, o.Brightness.Symmetric());
        float contrast = o.Contrast.IsZero ? 1 : (float)Uniform(ref random, o.Contrast.AroundOne());
        float saturation = 1;
        if (!o.Saturation.IsZero)
        {
            double s = Uniform(ref random, o.Saturation.FromZero());
            saturation = (float)(s / (1 - s + SaturationEpsilon));
        }
        float hue = 0;
        if (!o.Hue.IsZero)
        {
            double sign = random.NextDouble() < 0.5 ? -1 : 1;
            hue = (float)(sign * Uniform(ref random, o.Hue.FromZero()) * 0.5);
        }
        return new AugmentationDraw(flipH, flipV, rotation, shearX, shearY, shiftH, shiftW, zoomH, zoomW, brightness, contrast, saturation, hue);
    }

    /// <summary>Applies chosen values to one image in place: one resample for the geometry, then the colour changes.</summary>
    public void Apply(Span<float> sample, in AugmentationDraw draw)
    {
        if (sample.Length != Length)
        {
            throw new ArgumentException($"The sample holds {sample.Length} floats but this augmentation is for {Height}x{Width}x{Channels} images ({Length} floats).", nameof(sample));
        }
        var geometry = draw.Geometry(Height, Width);
        if (!geometry.IsIdentity)
        {
            float[] scratch = _scratch.Value!;
            sample.CopyTo(scratch);
            AffineResampler.Resample(scratch, sample, Height, Width, Channels, geometry, Options.Interpolation, Options.FillMode, Options.FillValue);
        }
        if (draw.BrightnessDelta != 0)
        {
            ColorAdjustments.Brightness(sample, draw.BrightnessDelta);
        }
        if (draw.ContrastFactor != 1)
        {
            ColorAdjustments.Contrast(sample, Channels, draw.ContrastFactor);
        }
        if (draw.SaturationFactor != 1 || draw.HueShift != 0)
        {
            ColorAdjustments.SaturationAndHue(sample, draw.SaturationFactor, draw.HueShift);
        }
    }

    private static double Uniform(ref SeededRandom random, (double Lower, double Upper) range) =>
        range.Lower + (range.Upper - range.Lower) * random.NextDouble();

    private static void Validate(ImageAugmentationOptions o, int channels)
    {
        CheckRange(o.ShearX.Symmetric(), -1, 1, nameof(o.ShearX));
        CheckRange(o.ShearY.Symmetric(), -1, 1, nameof(o.ShearY));
        CheckRange(o.TranslateHeight.Symmetric(), -1, 1, nameof(o.TranslateHeight));
        CheckRange(o.TranslateWidth.Symmetric(), -1, 1, nameof(o.TranslateWidth));
        CheckRange(o.ZoomHeight.Symmetric(), -0.99, double.MaxValue, nameof(o.ZoomHeight));
        if (o.ZoomWidth is { } zw) CheckRange(zw.Symmetric(), -0.99, double.MaxValue, nameof(o.ZoomWidth));
        CheckRange(o.Brightness.Symmetric(), -1, 1, nameof(o.Brightness));
        if (!o.Contrast.IsZero) CheckRange(o.Contrast.AroundOne(), 0, double.MaxValue, nameof(o.Contrast));
        CheckRange(o.Saturation.FromZero(), 0, 1, nameof(o.Saturation));
        CheckRange(o.Hue.FromZero(), 0, 1, nameof(o.Hue));
        if ((!o.Saturation.IsZero || !o.Hue.IsZero) && channels != 3)
        {
            throw new ArgumentException($"Saturation and hue changes need RGB images (3 channels), but the images have {channels}; use brightness and contrast instead.", nameof(o));
        }
    }

    private static void CheckRange((double Lower, double Upper) range, double min, double max, string name)
    {
        if (range.Lower < min || range.Upper > max)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} draws from [{range.Lower}, {range.Upper}], outside the allowed [{min}, {max}] (Keras's bounds).");
        }
    }
}
