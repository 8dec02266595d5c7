using System;
using System.Globalization;
using System.IO;

namespace AotClassifier;

internal enum SampleMode
{
    Train,
    Measure,
    Startup,
}

/// <summary>The command line, parsed by hand: the sample depends on ConvGen's libraries only.</summary>
internal sealed record SampleOptions(SampleMode Mode, int Epochs, int ImagesPerClass, string Out, string Weights, int Runs)
{
    public const string WeightsFileName = "lecture-net.safetensors";

    public const string Usage =
        "usage: AotClassifier [--epochs N] [--images-per-class N] [--out DIR]\n"
        + "       AotClassifier --measure [WEIGHTS] [--runs N]\n"
        + "       AotClassifier --startup WEIGHTS";

    public static SampleOptions Parse(string[] args)
    {
        var mode = SampleMode.Train;
        int epochs = 8, imagesPerClass = 100, runs = 11;
        string output = "aot-out";
        string? weights = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : null;
            switch (name)
            {
                case "--epochs":
                    epochs = Positive(name, value);
                    i++;
                    break;
                case "--images-per-class":
                    imagesPerClass = Positive(name, value);
                    i++;
                    break;
                case "--runs":
                    runs = Positive(name, value);
                    i++;
                    break;
                case "--out":
                    output = value ?? throw new ArgumentException("--out needs a folder.");
                    i++;
                    break;
                case "--measure":
                case "--startup":
                    mode = name == "--measure" ? SampleMode.Measure : SampleMode.Startup;
                    if (value is not null)
                    {
                        weights = value;
                        i++;
                    }
                    else if (mode == SampleMode.Startup)
                    {
                        throw new ArgumentException("--startup needs the weights file.");
                    }
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }
        return new SampleOptions(mode, epochs, imagesPerClass, output, weights ?? Path.Combine(output, WeightsFileName), runs);
    }

    private static int Positive(string name, string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
