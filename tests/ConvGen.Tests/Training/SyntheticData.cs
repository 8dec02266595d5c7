using System;
using ConvGen;
using ConvGen.Data;

namespace ConvGen.Tests.Training;

/// <summary>Small generated data sets whose targets are exact functions of the inputs, so a correct trainer must fit them.</summary>
internal static class SyntheticData
{
    /// <summary>10x10 images with a horizontal bar, a vertical bar and / or a dot (each with probability 1/2), plus faint noise; three 0/1 targets.</summary>
    public static Dataset Patterns(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 100];
        var targets = new float[count * 3];
        for (int n = 0; n < count; n++)
        {
            var image = inputs.AsSpan(n * 100, 100);
            for (int i = 0; i < 100; i++) image[i] = 0.1f * random.NextSingle();
            if (random.NextDouble() < 0.5)
            {
                int row = random.NextInt32(10), start = random.NextInt32(4);
                for (int x = start; x < start + 6; x++) image[row * 10 + x] = 1f;
                targets[n * 3] = 1;
            }
            if (random.NextDouble() < 0.5)
            {
                int column = random.NextInt32(10), start = random.NextInt32(4);
                for (int y = start; y < start + 6; y++) image[y * 10 + column] = 1f;
                targets[n * 3 + 1] = 1;
            }
            if (random.NextDouble() < 0.5)
            {
                // A 2x2 dot away from where bars would make it ambiguous is not needed: a dot is
                // "bright but not a line", which the conv + max-pool can learn.
                int y = random.NextInt32(9), x = random.NextInt32(9);
                image[y * 10 + x] = image[y * 10 + x + 1] = image[(y + 1) * 10 + x] = image[(y + 1) * 10 + x + 1] = -1f;
                targets[n * 3 + 2] = 1;
            }
        }
        return new Dataset(inputs, targets, count, 100, 3);
    }

    /// <summary>Inputs uniform in [-1, 1]^4; targets x0*x1 and sin(2*x2) + x3/2.</summary>
    public static Dataset Regression(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 4];
        var targets = new float[count * 2];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < 4; i++) inputs[n * 4 + i] = (float)(2 * random.NextDouble() - 1);
            targets[n * 2] = inputs[n * 4] * inputs[n * 4 + 1];
            targets[n * 2 + 1] = MathF.Sin(2 * inputs[n * 4 + 2]) + inputs[n * 4 + 3] / 2;
        }
        return new Dataset(inputs, targets, count, 4, 2);
    }

    /// <summary>12x12 images of one of four shapes (filled square, cross, ring, diagonal) at a random place, with noise; sparse class targets.</summary>
    public static Dataset Shapes(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * 144];
        var targets = new float[count];
        for (int n = 0; n < count; n++)
        {
            var image = inputs.AsSpan(n * 144, 144);
            for (int i = 0; i < 144; i++) image[i] = 0.2f * random.NextSingle();
            int label = random.NextInt32(4);
            int oy = random.NextInt32(6), ox = random.NextInt32(6);
            for (int y = 0; y < 6; y++)
            {
                for (int x = 0; x < 6; x++)
                {
                    bool on = label switch
                    {
                        0 => y >= 1 && y <= 4 && x >= 1 && x <= 4,
                        1 => y == 2 || y == 3 || x == 2 || x == 3,
                        2 => (y == 0 || y == 5 || x == 0 || x == 5) && !((y == 0 || y == 5) && (x == 0 || x == 5)),
                        _ => x == y || x == y + 1,
                    };
                    if (on) image[(oy + y) * 12 + ox + x] = 1f;
                }
            }
            targets[n] = label;
        }
        return new Dataset(inputs, targets, count, 144, 1, new[] { "square", "cross", "ring", "diagonal" });
    }
}
