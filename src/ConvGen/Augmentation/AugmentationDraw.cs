namespace ConvGen.Augmentation;

/// <summary>
/// The random values drawn for one image: which transforms to apply and by how much. Drawing
/// and applying are separate so tests (and users) can apply chosen values.
/// </summary>
/// <param name="FlipHorizontal">Mirror left-right.</param>
/// <param name="FlipVertical">Mirror top-bottom.</param>
/// <param name="RotationTurns">Counter-clockwise rotation as a fraction of a full turn.</param>
/// <param name="ShearX">Horizontal shear factor.</param>
/// <param name="ShearY">Vertical shear factor.</param>
/// <param name="TranslateHeight">Downward shift as a fraction of the height.</param>
/// <param name="TranslateWidth">Rightward shift as a fraction of the width.</param>
/// <param name="ZoomHeight">Vertical zoom factor (positive zooms out).</param>
/// <param name="ZoomWidth">Horizontal zoom factor.</param>
/// <param name="BrightnessDelta">Added to every value.</param>
/// <param name="ContrastFactor">Scales each channel's distance from its mean (1 = unchanged).</param>
/// <param name="SaturationFactor">Multiplies the HSV saturation (1 = unchanged).</param>
/// <param name="HueShift">Added to the HSV hue, in full turns (0 = unchanged).</param>
public readonly record struct AugmentationDraw(
    bool FlipHorizontal = false,
    bool FlipVertical = false,
    double RotationTurns = 0,
    double ShearX = 0,
    double ShearY = 0,
    double TranslateHeight = 0,
    double TranslateWidth = 0,
    double ZoomHeight = 0,
    double ZoomWidth = 0,
    float BrightnessDelta = 0,
    float ContrastFactor = 1,
    float SaturationFactor = 1,
    float HueShift = 0)
{
    /// <summary>Changes nothing.</summary>
    public static AugmentationDraw Identity => new();

    /// <summary>
    /// The one output-to-input map of all geometric transforms, in the order flip, rotation,
    /// shear, translation, zoom (each acting on the result of the one before).
    /// </summary>
    public AffineMatrix Geometry(int height, int width)
    {
        var m = AffineMatrix.Identity;
        if (FlipHorizontal) m = m.Then(AffineMatrix.FlipHorizontal(width));
        if (FlipVertical) m = m.Then(AffineMatrix.FlipVertical(height));
        if (RotationTurns != 0) m = m.Then(AffineMatrix.Rotation(RotationTurns, height, width));
        if (ShearX != 0 || ShearY != 0) m = m.Then(AffineMatrix.Shear(ShearX, ShearY, height, width));
        if (TranslateHeight != 0 || TranslateWidth != 0) m = m.Then(AffineMatrix.Translation(TranslateHeight, TranslateWidth, height, width));
        if (ZoomHeight != 0 || ZoomWidth != 0) m = m.Then(AffineMatrix.Zoom(ZoomHeight, ZoomWidth, height, width));
        return m;
    }

    /// <summary>True when a colour change is drawn.</summary>
    public bool HasColor => BrightnessDelta != 0 || ContrastFactor != 1 || SaturationFactor != 1 || HueShift != 0;
}
