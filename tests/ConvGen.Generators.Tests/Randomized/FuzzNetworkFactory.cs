using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>
/// Draws random networks from a seeded <see cref="Random"/> (whose seeded sequence .NET keeps
/// stable), mostly small and plausible, with a steady share of every kind of mistake: zero,
/// negative and huge sizes, undefined enum values, bad rates, missing or malformed input,
/// missing attribute arguments, broken class declarations, duplicate names.
/// </summary>
internal sealed class FuzzNetworkFactory(int seed)
{
    private static readonly string[] s_kinds = { "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalMaxPool2D", "GlobalAvgPool2D", "Flatten", "Dense", "Dropout", "Activation" };
    private static readonly int[] s_kindWeights = { 25, 10, 8, 4, 4, 14, 20, 7, 8 };
    private static readonly int[] s_huge = { int.MaxValue, 100_000, 65_536, 46_341, 40_000 };
    private static readonly double[] s_rates = { 0, 0.1, 0.25, 0.5, 0.999, 1.0, -0.1, 1.5, double.NaN, double.PositiveInfinity };
    private static readonly string[] s_names = { "a", "b", "features", "head", "conv2d", "dense_1", "" };
    private static readonly string[] s_malformedInputs = { "8x8", "axbxc", "0x4x1", "4x4x4x1", "", "4x-4x1", "99999999999x1x1", "4 x 4" };
    private static readonly string[] s_classVariants = { "not partial", "generic", "static", "clash", "nested in non-partial" };

    private readonly Random _random = new(seed);

    // Half the networks draw only plausible values and a plausible layer order (they can still
    // break, e.g. a kernel larger than a map pooled too often); the other half draw mistakes.
    private bool _careless;

    public FuzzNetwork Next(int id)
    {
        _careless = Chance(50);
        bool textForm = Chance(20);
        string? input = NextInput();
        int layerCount = _careless && Chance(8) ? 0 : _random.Next(1, 7);
        var layers = new List<FuzzLayer>(layerCount);
        bool flat = false;
        for (int i = 0; i < layerCount; i++)
        {
            var layer = NextLayer(textForm, flat);
            flat |= layer.Kind is "Flatten" or "GlobalMaxPool2D" or "GlobalAvgPool2D" or "Dense";
            layers.Add(layer);
        }
        string classVariant = _careless && Chance(15) ? Pick(s_classVariants) : "ok";
        return new FuzzNetwork(id, input, layers, classVariant, textForm, InputInTextLine: textForm && !Chance(25));
    }

    private string? NextInput()
    {
        int roll = _careless ? _random.Next(100) : 100;
        return roll switch
        {
            < 4 => null,
            < 9 => Pick(s_malformedInputs),
            < 12 => $"{Pick(s_huge)}x{Pick(s_huge)}x{_random.Next(1, 4)}",
            _ => $"{_random.Next(1, 25)}x{_random.Next(1, 25)}x{_random.Next(1, 5)}",
        };
    }

    private FuzzLayer NextLayer(bool textForm, bool flat)
    {
        string kind = s_kinds[WeightedIndex(s_kindWeights)];
        // Careful networks keep the usual order: spatial layers, then Flatten or global pooling, then Dense.
        while (!_careless && (flat ? kind is "Conv2D" or "MaxPool2D" or "AvgPool2D" or "GlobalMaxPool2D" or "GlobalAvgPool2D" or "Flatten" : kind == "Dense"))
        {
            kind = s_kinds[WeightedIndex(s_kindWeights)];
        }
        // C# mistakes exist only in the attribute form; Flatten and the global pools take no arguments to forget.
        if (_careless && !textForm && kind is not ("Flatten" or "GlobalMaxPool2D" or "GlobalAvgPool2D") && Chance(4))
        {
            return new FuzzLayer(kind, Broken: kind == "Dense" && Chance(50) ? "wrong type" : "missing");
        }
        string? name = Chance(15) ? Pick(s_names) : null;
        if (!_careless && name is not null)
        {
            name += "_" + _random.Next(1_000_000); // unique in practice; careless networks repeat names
        }
        if (textForm && name == "")
        {
            name = null; // the text form has no way to write an empty name
        }
        int? activation = Chance(45) ? NextActivation(textForm) : null;
        switch (kind)
        {
            case "Conv2D":
            {
                int kh = NextWindow();
                bool two = Chance(20);
                return new FuzzLayer(kind, Size: NextSize(8), KernelHeight: kh, KernelWidth: two ? NextWindow() : kh, TwoKernelArguments: two,
                    Stride: Chance(30) ? NextStride() : null, Padding: Chance(35) ? NextPadding(textForm) : null,
                    Dilation: Chance(15) ? NextStride() : null, Activation: activation, UseBias: Chance(10) ? false : null, Name: name);
            }
            case "MaxPool2D":
            case "AvgPool2D":
            {
                int kh = NextWindow();
                bool two = Chance(20);
                return new FuzzLayer(kind, KernelHeight: kh, KernelWidth: two ? NextWindow() : kh, TwoKernelArguments: two,
                    Stride: Chance(25) ? NextStride(allowZero: true) : null, Padding: Chance(35) ? NextPadding(textForm) : null, Name: name);
            }
            case "Dense":
                return new FuzzLayer(kind, Size: NextSize(16), Activation: activation, UseBias: Chance(10) ? false : null, Name: name);
            case "Dropout":
                return new FuzzLayer(kind, Rate: _careless ? Pick(s_rates) : Pick(s_rates.Take(5).ToArray()), Name: name);
            case "Activation":
                return new FuzzLayer(kind, Activation: NextActivation(textForm), Name: name);
            default:
                return new FuzzLayer(kind, Name: name);
        }
    }

    /// <summary>Mostly 1..<paramref name="typical"/>; sometimes zero, negative, medium or huge.</summary>
    private int NextSize(int typical) => (_careless ? _random.Next(100) : 100) switch
    {
        < 6 => 0,
        < 10 => -_random.Next(1, 4),
        < 14 => Pick(s_huge),
        < 22 => _random.Next(typical + 1, 65),
        _ => _random.Next(1, typical + 1),
    };

    private int NextWindow() => (_careless ? _random.Next(100) : 9 + _random.Next(91)) switch
    {
        < 4 => 0,
        < 6 => -1,
        < 9 => Pick(s_huge),
        < 15 => _random.Next(6, 12),
        _ => _random.Next(1, 6),
    };

    private int NextStride(bool allowZero = false) => (_careless ? _random.Next(100) : 13 + _random.Next(87)) switch
    {
        < 5 => allowZero ? 0 : -1,
        < 10 => 0,
        < 13 => Pick(s_huge),
        _ => _random.Next(1, 4),
    };

    private int NextPadding(bool textForm) => _careless && !textForm && Chance(5) ? 5 : _random.Next(2);

    private int NextActivation(bool textForm) => _careless && !textForm && Chance(3) ? 99 : _random.Next(8);

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private int WeightedIndex(int[] weights)
    {
        int total = 0;
        foreach (int w in weights)
        {
            total += w;
        }
        int roll = _random.Next(total);
        for (int i = 0; i < weights.Length; i++)
        {
            if ((roll -= weights[i]) < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }
}
