using System;

namespace ConvGen.Tests.Infrastructure;

/// <summary>Deterministic pseudo-random test data, so a failure reproduces exactly.</summary>
public static class SeededData
{
    /// <summary>Uniform values in [-scale, scale].</summary>
    public static float[] Uniform(int length, ulong seed, double scale = 1.0)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    /// <summary>A seed derived from text with FNV-1a (string.GetHashCode differs between runs).</summary>
    public static ulong Seed(string text, int salt = 0)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (hash ^ (ulong)salt) * 1099511628211UL;
    }
}
