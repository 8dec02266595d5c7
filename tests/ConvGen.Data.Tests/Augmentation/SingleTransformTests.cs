using System;
using System.Linq;
using ConvGen.Augmentation;

namespace ConvGen.Data.Tests.Augmentation;

/// <summary>
/// Each geometric augmentation alone against the reference resample, with the input position of
/// every output pixel written out from the Keras definitions (not through AffineMatrix).
/// </summary>
public class SingleTransformTests
{
    private const int H = 9, W = 11, C = 3;
    private const double Cx = (W - 1) / 2.0, Cy = (H - 1) / 2.0;

    public static TheoryData<string, FillMode, Interpolation> Cases()
    {
        var data = new TheoryData<string, FillMode, Interpolation>();
        foreach (string transform in new[] { "flip-h", "flip-v", "rotation", "shear", "translation", "zoom-out", "zoom-in" })
            foreach (FillMode fill in Enum.GetValues<FillMode>())
                foreach (Interpolation interpolation in Enum.GetValues<Interpolation>())
                    data.Add(transform, fill, interpolation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_transform_matches_the_reference(string transform, FillMode fill, Interpolation interpolation)
    {
        var (draw, map) = transform switch
        {
            "flip-h" => (new AugmentationDraw(FlipHorizontal: true), (Func<double, double, (double, double)>)((x, y) => (W - 1 - x, y))),
            "flip-v" => (new AugmentationDraw(FlipVertical: true), (x, y) => (x, H - 1 - y)),
            "rotation" => (new AugmentationDraw(RotationTurns: 0.07), (x, y) =>
            {
                double a = 2 * Math.PI * 0.07;
                return (Math.Cos(a) * (x - Cx) - Math.Sin(a) * (y - Cy) + Cx, Math.Sin(a) * (x - Cx) + Math.Cos(a) * (y - Cy) + Cy);
            }),
            "shear" => (new AugmentationDraw(ShearX: 0.2, ShearY: -0.1), (x, y) => (x + 0.2 * (y - Cy), y - 0.1 * (x - Cx))),
            "translation" => (new AugmentationDraw(TranslateHeight: 0.13, TranslateWidth: -0.21), (x, y) => (x + 0.21 * W, y - 0.13 * H)),
            "zoom-out" => (new AugmentationDraw(ZoomHeight: 0.3, ZoomWidth: 0.2), (x, y) => (Cx + 1.2 * (x - Cx), Cy + 1.3 * (y - Cy))),
            _ => (new AugmentationDraw(ZoomHeight: -0.25, ZoomWidth: -0.25), (x, y) => (Cx + 0.75 * (x - Cx), Cy + 0.75 * (y - Cy))),
        };
        var random = new Random(transform.Length);
        var image = Enumerable.Range(0, H * W * C).Select(_ => (float)random.NextDouble()).ToArray();
        var augmentation = new ImageAugmentation(new ImageAugmentationOptions { FillMode = fill, FillValue = 0.3f, Interpolation = interpolation }, H, W, C);

        var actual = (float[])image.Clone();
        augmentation.Apply(actual, draw);
        var expected = ReferenceResample.Run(image, H, W, C, map, interpolation == Interpolation.Bilinear, (ReferenceResample.Fill)fill, 0.3f);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"{transform}, element {i}: expected {expected[i]}, got {actual[i]}");
        }
        if (transform.StartsWith("flip"))
        {
            Assert.Equal(expected, actual); // exact
        }
    }
}
