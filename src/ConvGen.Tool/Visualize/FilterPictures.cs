using System;
using System.Collections.Generic;
using ConvGen.Serialization;

namespace ConvGen.Tool.Visualize;

/// <summary>Turns weights and activations into tiles in [0, 1] for <see cref="Imaging.ImageWriter.WriteGrid"/>.</summary>
internal static class FilterPictures
{
    public sealed record TileSet(IReadOnlyList<float[]> Tiles, int Height, int Width, int Channels, string Description);

    /// <summary>
    /// One tile per filter of <paramref name="conv"/>: RGB for 3 input channels, grey for 1; with
    /// any other count, one grey tile per (filter, input channel) pair, filter by filter.
    /// </summary>
    public static TileSet Of(SavedNetwork network, LayerInfo conv)
    {
        SafeTensor weight = network.File.Get(conv.Name + ".weight");   // HWIO
        if (weight.Shape.Length != 4)
        {
            throw new InvalidOperationException($"{conv.Name}.weight has shape {weight.ShapeText}; a Conv2D kernel is [kh, kw, in, filters].");
        }
        int kh = weight.Shape[0], kw = weight.Shape[1], cin = weight.Shape[2], cout = weight.Shape[3];
        bool colour = cin is 1 or 3;
        var tiles = new List<float[]>();
        for (int f = 0; f < cout; f++)
        {
            if (colour)
            {
                var tile = new float[kh * kw * cin];
                for (int p = 0; p < kh * kw; p++)
                    for (int c = 0; c < cin; c++)
                        tile[p * cin + c] = weight.Data[(p * cin + c) * cout + f];
                tiles.Add(Normalise(tile));
                continue;
            }
            for (int c = 0; c < cin; c++)
            {
                var tile = new float[kh * kw];
                for (int p = 0; p < kh * kw; p++) tile[p] = weight.Data[(p * cin + c) * cout + f];
                tiles.Add(Normalise(tile));
            }
        }
        string description = colour
            ? $"{kh}x{kw}x{cin}, {(cin == 3 ? "RGB" : "grey")}"
            : $"{kh}x{kw}, one tile per input channel ({cin}) of each filter";
        return new TileSet(tiles, kh, kw, colour ? cin : 1, description);
    }

    /// <summary>Splits HWC activations into one grey tile per channel.</summary>
    public static IReadOnlyList<float[]> Channels(float[] values, int pixels, int channels)
    {
        var tiles = new List<float[]>(channels);
        for (int c = 0; c < channels; c++)
        {
            var tile = new float[pixels];
            for (int p = 0; p < pixels; p++) tile[p] = values[p * channels + c];
            tiles.Add(Normalise(tile));
        }
        return tiles;
    }

    /// <summary>Maps min..max to 0..1 (a constant tile becomes mid grey, or black when it is all zero, as a dead ReLU map is).</summary>
    public static float[] Normalise(float[] values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        float range = max - min;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = range > 0 ? (values[i] - min) / range : (max == 0 ? 0 : 0.5f);
        }
        return values;
    }
}
