using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Imaging;
using ConvGen.Serialization;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Visualize;

/// <summary>
/// <c>convgen visualize model.safetensors [--image photo.png] [--layer NAME]</c>: draws the first
/// convolution's filters as a PNG grid straight from the weights, and, given an image, the feature
/// maps of a layer (computed by <see cref="ReferenceForward"/> from the file alone), like the
/// lecture's edge-filter pictures.
/// </summary>
internal static class VisualizeCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("model") { Description = "Weights saved by WeightsFile.Save (.safetensors): the layer table and the tensors are read from it." };
        var outDirectory = new Option<string>("--out") { Description = "Folder for the PNG files (created if missing).", DefaultValueFactory = _ => "." }.IsOutputFolder();
        var image = new Option<string?>("--image") { Description = "A picture (.png, .jpg, ...): resized to the network input, pixels / 255, then run up to --layer." };
        var layer = new Option<string?>("--layer") { Description = "Layer name or index whose feature maps to draw (default: the first Conv2D). Conv2D, pooling, activation and dropout layers only." };
        var scale = new Option<int>("--scale") { Description = "Pixels per feature-map cell, 1 to 32 (filters are scaled to about 48 pixels).", DefaultValueFactory = _ => 3 }.InRange(1, 32);
        var command = new Command("visualize", "Draw the first convolution's filters, and the feature maps of an image at a layer, as PNG grids.")
        {
            file, outDirectory, image, layer, scale,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(outDirectory)!, parse.GetValue(image), parse.GetValue(layer), parse.GetValue(scale), output));
        return command;
    }

    private static int Run(string file, string outDirectory, string? imagePath, string? layerName, int scale, TextWriter output)
    {
        SavedNetwork network = InputFiles.SavedNetwork(file);
        LayerInfo firstConv = network.Layers.FirstOrDefault(l => l.Kind == "Conv2D")
            ?? throw CliException.BadInput($"{file}: {network.ShortName} has no Conv2D layer, so there are no filters to draw.");
        LayerInfo target = layerName is null ? firstConv : FindLayer(network, layerName);
        string? imageFile = imagePath is null ? null : InputFiles.Existing(imagePath, "an image", ImageDecoder.Extensions);
        OutputFolder.Create(outDirectory);
        string? font = FontFiles.FindSans();

        string filtersPath = Path.Combine(outDirectory, $"filters-{firstConv.Name}.png");
        var filters = FilterPictures.Of(network, firstConv);
        OutputFolder.Write(outDirectory, filtersPath, path => ImageWriter.WriteGrid(path, filters.Tiles, filters.Height, filters.Width, filters.Channels,
            columns: Math.Min(8, filters.Tiles.Count), scale: Math.Max(1, 48 / Math.Max(filters.Height, filters.Width)),
            rowCaptions: Captions(filters.Tiles.Count, 8, "filter"), fontFile: font));
        output.WriteLine($"  {filtersPath}  {filters.Tiles.Count} filters of '{firstConv.Name}' ({filters.Description}; each scaled to its own min..max)");

        if (imageFile is null)
        {
            if (layerName is not null)
            {
                throw CliException.Usage("--layer needs --image: feature maps are the responses to a picture.");
            }
            return ExitCodes.Success;
        }
        var input = network.InputShape;
        if (input.Rank != 3 || input.Channels is not (1 or 3))
        {
            throw CliException.BadInput($"{file}: the network's input {input} is not a grey or RGB picture; --image works for HxWx1 and HxWx3 inputs.");
        }
        float[] pixels;
        try
        {
            pixels = ImageDecoder.Load(imageFile, input.Height, input.Width, input.Channels);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw CliException.BadInput($"{imagePath}: not a readable image: {e.Message}");
        }
        float[] maps;
        try
        {
            maps = ReferenceForward.Run(network, pixels, target.Index);
        }
        catch (Exception e) when (e is NotSupportedException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw CliException.Usage($"--layer {target.Name}: {e.Message}");
        }
        string inputPath = Path.Combine(outDirectory, "input.png");
        OutputFolder.Write(outDirectory, inputPath, path => ImageWriter.WritePng(path, pixels, input.Height, input.Width, input.Channels));
        output.WriteLine($"  {inputPath}  the picture as the network sees it ({input.Height}x{input.Width}x{input.Channels})");

        var shape = target.OutputShape;
        var tiles = FilterPictures.Channels(maps, shape.Height * shape.Width, shape.Channels);
        string mapsPath = Path.Combine(outDirectory, $"feature-maps-{target.Name}.png");
        OutputFolder.Write(outDirectory, mapsPath, path => ImageWriter.WriteGrid(path, tiles, shape.Height, shape.Width, 1, columns: Math.Min(8, tiles.Count), scale: scale,
            rowCaptions: Captions(tiles.Count, 8, "channel"), fontFile: font));
        output.WriteLine($"  {mapsPath}  {tiles.Count} feature maps of '{target.Name}' {shape} (each scaled to its own min..max)");
        return ExitCodes.Success;
    }

    private static LayerInfo FindLayer(SavedNetwork network, string nameOrIndex)
    {
        var layer = int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? network.Layers.FirstOrDefault(l => l.Index == index)
            : network.Layers.FirstOrDefault(l => l.Name == nameOrIndex);
        if (layer is null)
        {
            throw CliException.Usage($"--layer {nameOrIndex}: no such layer; expected one of {string.Join(", ", network.Layers.Select(l => $"{l.Index} '{l.Name}'"))}.");
        }
        if (layer.OutputShape.Rank != 3)
        {
            throw CliException.Usage($"--layer {nameOrIndex}: '{layer.Name}' ({layer.Kind}) outputs {layer.OutputShape}, not spatial maps; pick a layer with an [H,W,C] output.");
        }
        return layer;
    }

    private static IReadOnlyList<string> Captions(int count, int columns, string what) =>
        Enumerable.Range(0, (count + columns - 1) / columns)
            .Select(row => $"{what} {row * columns}-{Math.Min(count, (row + 1) * columns) - 1}").ToArray();
}
