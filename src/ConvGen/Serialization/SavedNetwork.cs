using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConvGen.Serialization;

/// <summary>
/// What a weights file written by <see cref="WeightsFile.Save"/> says about its network without
/// the network's code: type name, input and output shapes, the layer table (the rows of
/// <see cref="INetwork.Layers"/>, with <see cref="LayerInfo.Config"/> when the file records it:
/// files written before it was recorded load with null configurations), the frozen layers and the tensors. Enough to print the model
/// summary or to draw first-layer filters from the file alone.
/// </summary>
/// <param name="Path">The file read.</param>
/// <param name="NetworkType">Full name of the network class that saved the file.</param>
/// <param name="InputShape">Per-sample input shape.</param>
/// <param name="OutputShape">Per-sample output shape.</param>
/// <param name="Layers">The layer table in network order.</param>
/// <param name="FrozenLayers">Indices of the layers frozen when the file was saved (empty for files written before this was recorded).</param>
/// <param name="File">The tensors and the raw metadata.</param>
public sealed partial record SavedNetwork(
    string Path,
    string NetworkType,
    TensorShape InputShape,
    TensorShape OutputShape,
    IReadOnlyList<LayerInfo> Layers,
    IReadOnlyList<int> FrozenLayers,
    SafeTensorFile File)
{
    /// <summary>Metadata key of the comma-separated frozen layer indices.</summary>
    public const string FrozenLayersKey = "frozen_layers";

    /// <summary>Reads the file and its ConvGen metadata.</summary>
    /// <exception cref="InvalidDataException">Not a safetensors file, or one without ConvGen's layer table (the message says which entry is missing or malformed).</exception>
    public static SavedNetwork Read(string path) => Read(SafeTensors.Read(path));

    /// <summary>Reads the ConvGen metadata of an already read file (see <see cref="Read(string)"/>).</summary>
    /// <exception cref="InvalidDataException">The file has no or a malformed ConvGen layer table.</exception>
    public static SavedNetwork Read(SafeTensorFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string path = file.Path;
        string Entry(string key) => file.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException(
                $"{path}: metadata has no '{key}' entry, so the file does not describe its network "
                + (file.Metadata.TryGetValue("format", out string? format) ? $"(format '{SafeTensorsHeader.Quote(format)}'" : "(no 'format' entry")
                + $"; ConvGen's WeightsFile.Save writes format '{WeightsFile.Format}' with the layer table).");

        string network = Entry("network");
        var input = ParseShape(path, "input_shape", Entry("input_shape"));
        var output = ParseShape(path, "output_shape", Entry("output_shape"));
        var layers = Entry("layers").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, row) => ParseLayer(path, row, line)).ToArray();
        if (file.Metadata.TryGetValue(LayerConfigJson.Key, out string? configs))
        {
            layers = LayerConfigJson.Attach(path, configs, layers);
        }
        int[] frozen = file.Metadata.TryGetValue(FrozenLayersKey, out string? frozenText) && frozenText.Length > 0
            ? frozenText.Split(',').Select(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < layers.Length
                ? index
                : throw new InvalidDataException($"{path}: metadata '{FrozenLayersKey}' = '{SafeTensorsHeader.Quote(frozenText)}' is not a list of layer indices below {layers.Length}.")).ToArray()
            : Array.Empty<int>();
        return new SavedNetwork(path, network, input, output, layers, frozen, file);
    }

    /// <summary>The network's class name without its namespace.</summary>
    public string ShortName => NetworkType[(NetworkType.LastIndexOf('.') + 1)..];

    /// <summary>The Keras-style layer table (<see cref="ModelSummary"/>), frozen layers counted as non-trainable.</summary>
    public string Summary() => ModelSummary.Format(Layers, InputShape, ShortName, FrozenLayers.Contains);

    /// <summary>Parses <c>[H,W,C]</c> or <c>[N]</c> as <see cref="TensorShape.ToString"/> writes it.</summary>
    public static bool TryParseShape(string text, out TensorShape shape)
    {
        shape = default;
        if (text.Length < 3 || text[0] != '[' || text[^1] != ']')
        {
            return false;
        }
        var parts = text[1..^1].Split(',');
        var sizes = new int[parts.Length];
        long length = 1;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                return false;
            }
            // TensorShape.Length is an int: a larger product would wrap around silently.
            length *= sizes[i];
            if (length > int.MaxValue)
            {
                return false;
            }
        }
        switch (sizes.Length)
        {
            case 1:
                shape = TensorShape.Vector(sizes[0]);
                return true;
            case 3:
                shape = TensorShape.Spatial(sizes[0], sizes[1], sizes[2]);
                return true;
            default:
                return false;
        }
    }

    private static TensorShape ParseShape(string path, string what, string text) => TryParseShape(text, out TensorShape shape)
        ? shape
        : throw new InvalidDataException($"{path}: metadata {what} '{SafeTensorsHeader.Quote(text)}' is not a shape like [28,28,1] or [10].");

    // "2 conv2d_1 Conv2D [39,39,8]->[37,37,16] params=1168 (16@3x3 s1 valid relu)", as WeightsFile writes it.
    private static LayerInfo ParseLayer(string path, int row, string line)
    {
        var match = LayerLine().Match(line);
        // TryParse, not Parse: digits the regex accepts may still overflow an int.
        if (!match.Success
            || !TryParseShape(match.Groups["in"].Value, out TensorShape inputShape)
            || !TryParseShape(match.Groups["out"].Value, out TensorShape outputShape)
            || !int.TryParse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(match.Groups["params"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int parameters))
        {
            throw new InvalidDataException($"{path}: layer table row {row + 1} '{SafeTensorsHeader.Quote(line)}' is not 'INDEX NAME KIND [IN]->[OUT] params=N (DESCRIPTION)' with sizes and counts below {int.MaxValue}.");
        }
        return new LayerInfo(
            index,
            match.Groups["name"].Value,
            match.Groups["kind"].Value,
            match.Groups["description"].Value,
            inputShape,
            outputShape,
            parameters);
    }

    [GeneratedRegex(@"^(?<index>\d+) (?<name>\S+) (?<kind>\S+) (?<in>\[[0-9,]+\])->(?<out>\[[0-9,]+\]) params=(?<params>\d+) \((?<description>.*)\)$")]
    private static partial Regex LayerLine();
}
