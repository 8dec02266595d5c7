using System;

namespace ConvGen.Augmentation;

/// <summary>
/// Keras's colour augmentations on one NHWC image with values in [0, 1], in place, in Keras's
/// order (brightness, contrast, saturation, hue) and clipped to [0, 1] like Keras's layers.
/// </summary>
public static class ColorAdjustments
{
    /// <summary>Adds <paramref name="delta"/> to every value (Keras <c>RandomBrightness</c>).</summary>
    public static void Brightness(Span<float> image, float delta)
    {
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = Math.Clamp(image[i] + delta, 0f, 1f);
        }
    }

    /// <summary>
    /// Scales each channel's distance from that channel's mean over the image by
    /// <paramref name="factor"/> (Keras <c>RandomContrast</c>).
    /// </summary>
    public static void Contrast(Span<float> image, int channels, float factor)
    {
        CheckChannels(image, channels, minimum: 1);
        int pixels = image.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = c; i < image.Length; i += channels)
            {
                sum += image[i];
            }
            float mean = (float)(sum / pixels);
            for (int i = c; i < image.Length; i += channels)
            {
                image[i] = Math.Clamp((image[i] - mean) * factor + mean, 0f, 1f);
            }
        }
    }

    /// <summary>
    /// Multiplies the HSV saturation by <paramref name="saturationFactor"/> (clipped to [0, 1]) and
    /// adds <paramref name="hueShift"/> turns to the hue, in one RGB → HSV → RGB round trip
    /// (Keras <c>RandomSaturation</c> then <c>RandomHue</c>). Needs 3 channels.
    /// </summary>
    public static void SaturationAndHue(Span<float> image, float saturationFactor, float hueShift)
    {
        CheckChannels(image, 3, minimum: 3);
        for (int i = 0; i < image.Length; i += 3)
        {
            var (h, s, v) = RgbToHsv(image[i], image[i + 1], image[i + 2]);
            s = Math.Clamp(s * saturationFactor, 0f, 1f);
            h += hueShift;
            h -= MathF.Floor(h);
            var (r, g, b) = HsvToRgb(h, s, v);
            image[i] = Math.Clamp(r, 0f, 1f);
            image[i + 1] = Math.Clamp(g, 0f, 1f);
            image[i + 2] = Math.Clamp(b, 0f, 1f);
        }
    }

    /// <summary>RGB in [0, 1] to hue (turns, [0, 1)), saturation and value, as TensorFlow's <c>rgb_to_hsv</c>.</summary>
    public static (float H, float S, float V) RgbToHsv(float r, float g, float b)
    {
        float max = MathF.Max(r, MathF.Max(g, b));
        float min = MathF.Min(r, MathF.Min(g, b));
        float delta = max - min;
        float s = max > 0 ? delta / max : 0;
        if (delta <= 0)
        {
            return (0, s, max);
        }
        float h = max == r ? (g - b) / delta : max == g ? 2 + (b - r) / delta : 4 + (r - g) / delta;
        h /= 6;
        if (h < 0)
        {
            h += 1;
        }
        return (h, s, max);
    }

    /// <summary>Hue (turns), saturation and value back to RGB.</summary>
    public static (float R, float G, float B) HsvToRgb(float h, float s, float v)
    {
        float h6 = (h - MathF.Floor(h)) * 6;
        int sector = Math.Min((int)h6, 5);
        float f = h6 - sector;
        float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return sector switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    private static void CheckChannels(Span<float> image, int channels, int minimum)
    {
        if (channels < minimum || image.Length % channels != 0)
        {
            throw new ArgumentException($"The image holds {image.Length} floats, not whole pixels of {channels} channels (at least {minimum} needed).", nameof(image));
        }
    }
}
