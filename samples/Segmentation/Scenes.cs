using System;
using ConvGen;
using ConvGen.Data;

namespace Segmentation;

/// <summary>
/// The embedded data set: 64x64 scenes of circles, squares and triangles with their pixel masks,
/// drawn from a seed (the same seed gives the same scenes, so no file is needed). Each scene has
/// a colour gradient background cluttered with thin lines and specks (background class), then
/// two to four shapes of random colour, size and place that may overlap: a later shape covers
/// the earlier ones in the picture and in the mask. Colours say nothing about the class, so the
/// network must learn the shapes.
/// </summary>
public static class Scenes
{
    public const int Size = 64;
    public static readonly string[] ClassNames = { "background", "circle", "square", "triangle" };

    public static Dataset Generate(int count, ulong seed)
    {
        const int pixels = Size * Size;
        var inputs = new float[count * pixels * 3];
        var targets = new float[count * pixels];
        var random = new SeededRandom(seed);
        for (int n = 0; n < count; n++)
        {
            Draw(inputs.AsSpan(n * pixels * 3, pixels * 3), targets.AsSpan(n * pixels, pixels), ref random);
        }
        return new Dataset(inputs, targets, count, pixels * 3, pixels, ClassNames);
    }

    private static void Draw(Span<float> image, Span<float> mask, ref SeededRandom random)
    {
        // Background: a gradient between two random colours, then clutter.
        var from = Colour(ref random);
        var to = Colour(ref random);
        double angle = random.NextDouble() * Math.PI * 2;
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                double t = 0.5 + ((x - Size / 2.0) * Math.Cos(angle) + (y - Size / 2.0) * Math.Sin(angle)) / (Size * 1.5);
                for (int k = 0; k < 3; k++)
                {
                    image[(y * Size + x) * 3 + k] = (float)(from[k] + (to[k] - from[k]) * t);
                }
                mask[y * Size + x] = 0;
            }
        }
        int lines = 3 + random.NextInt32(5);
        for (int i = 0; i < lines; i++)
        {
            var colour = Colour(ref random);
            double x0 = random.NextDouble() * Size, y0 = random.NextDouble() * Size;
            double x1 = random.NextDouble() * Size, y1 = random.NextDouble() * Size;
            int steps = 2 * Size;
            for (int s = 0; s <= steps; s++)
            {
                int x = (int)(x0 + (x1 - x0) * s / steps), y = (int)(y0 + (y1 - y0) * s / steps);
                Paint(image, x, y, colour);
            }
        }
        int specks = 10 + random.NextInt32(20);
        for (int i = 0; i < specks; i++)
        {
            var colour = Colour(ref random);
            int x = random.NextInt32(Size - 1), y = random.NextInt32(Size - 1);
            Paint(image, x, y, colour);
            Paint(image, x + 1, y, colour);
            Paint(image, x, y + 1, colour);
            Paint(image, x + 1, y + 1, colour);
        }

        int shapes = 2 + random.NextInt32(3);
        for (int i = 0; i < shapes; i++)
        {
            int kind = 1 + random.NextInt32(3);
            var colour = Colour(ref random);
            double r = 6 + random.NextDouble() * 8;            // circle radius, half the square's side, triangle's circumradius
            double cx = r + random.NextDouble() * (Size - 2 * r);
            double cy = r + random.NextDouble() * (Size - 2 * r);
            double turn = random.NextDouble() * Math.PI * 2;    // triangles point any way
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    double px = x + 0.5 - cx, py = y + 0.5 - cy;
                    bool inside = kind switch
                    {
                        1 => px * px + py * py <= r * r,
                        2 => Math.Abs(px) <= r * 0.85 && Math.Abs(py) <= r * 0.85,
                        _ => InTriangle(px, py, r, turn),
                    };
                    if (inside)
                    {
                        Paint(image, x, y, colour);
                        mask[y * Size + x] = kind;
                    }
                }
            }
        }
        // Sensor noise over everything.
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = Math.Clamp(image[i] + (float)(random.NextDouble() - 0.5) * 0.08f, 0f, 1f);
        }
    }

    private static bool InTriangle(double px, double py, double r, double turn)
    {
        // Inside when on the inner side of all three edges of the equilateral triangle.
        for (int k = 0; k < 3; k++)
        {
            double a = turn + k * 2 * Math.PI / 3 + Math.PI / 3; // edge normals point between the corners
            if (px * Math.Cos(a) + py * Math.Sin(a) > r * 0.5)
            {
                return false;
            }
        }
        return true;
    }

    private static float[] Colour(ref SeededRandom random) =>
        new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() };

    private static void Paint(Span<float> image, int x, int y, float[] colour)
    {
        if ((uint)x >= Size || (uint)y >= Size) return;
        for (int k = 0; k < 3; k++)
        {
            image[(y * Size + x) * 3 + k] = colour[k];
        }
    }
}
