using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Serialization;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Inspect;

/// <summary>
/// <c>convgen inspect FILE.safetensors</c>: one row per tensor with dtype, shape, element count,
/// min / max / mean / std over the finite values and the NaN / Inf counts, then the metadata.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("file") { Description = "Any safetensors file (.safetensors), ConvGen's or Python's." };
        var metadata = new Option<bool>("--no-metadata") { Description = "Leave out the __metadata__ entries." };
        var command = new Command("inspect", "List a safetensors file's tensors: dtype, shape, elements, min/max/mean/std, NaN and Inf counts.")
        {
            file, metadata,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, !parse.GetValue(metadata), output));
        return command;
    }

    private static int Run(string file, bool showMetadata, TextWriter output)
    {
        string path = InputFiles.Existing(file, "a safetensors file", ".safetensors");
        var rows = new List<string[]>();
        long totalElements = 0, totalNaN = 0, totalInfinite = 0;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // The library's header reader checks every entry (dtype, shape, offsets inside the
            // file) for any dtype, so the loop below only reads bytes that exist.
            SafeTensorsHeader header = SafeTensorsHeader.Read(stream, file);
            metadata = header.Metadata;
            foreach (SafeTensorEntry tensor in header.Tensors.OrderBy(t => t.Begin))
            {
                var statistics = Measure(stream, header.DataStart, tensor);
                totalElements += tensor.ElementCount;
                totalNaN += statistics?.NaN ?? 0;
                totalInfinite += statistics?.Infinite ?? 0;
                rows.Add(Row(tensor, statistics));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput(e.Message);
        }

        output.WriteLine($"{file}: {rows.Count} tensors, {totalElements:N0} elements, {new FileInfo(path).Length:N0} bytes");
        Table.Write(output, new[] { "tensor", "dtype", "shape", "elements", "min", "max", "mean", "std", "NaN", "Inf" }, rows, rightAligned: 3);
        if (totalNaN + totalInfinite > 0)
        {
            output.WriteLine($"Warning: {totalNaN:N0} NaN and {totalInfinite:N0} infinite values (min/max/mean/std are over the finite ones).");
        }
        if (showMetadata && metadata.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("metadata:");
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                string[] lines = value.Split('\n');
                output.WriteLine($"  {key}: {lines[0]}");
                foreach (string line in lines.Skip(1))
                {
                    output.WriteLine($"    {line}");
                }
            }
        }
        return ExitCodes.Success;
    }

    /// <summary>Streams one tensor's bytes through the statistics; null for a dtype that cannot be decoded.</summary>
    private static TensorStatistics? Measure(FileStream stream, long dataStart, SafeTensorEntry tensor)
    {
        if (ElementValues.Size(tensor.DType) is not int size)
        {
            return null;
        }
        var statistics = new TensorStatistics();
        stream.Position = dataStart + tensor.Begin;
        var buffer = new byte[Math.Max(size, (1 << 16) / size * size)];
        long remaining = tensor.End - tensor.Begin;
        while (remaining > 0)
        {
            int chunk = (int)Math.Min(buffer.Length, remaining);
            if (stream.ReadAtLeast(buffer.AsSpan(0, chunk), chunk, throwOnEndOfStream: false) != chunk)
            {
                throw new InvalidDataException($"{stream.Name}: tensor '{tensor.Name}': the file ended while reading its data (was it truncated while being read?).");
            }
            for (int offset = 0; offset < chunk; offset += size)
            {
                statistics.Add(ElementValues.Read(tensor.DType, buffer.AsSpan(offset, size)));
            }
            remaining -= chunk;
        }
        return statistics;
    }

    private static string[] Row(SafeTensorEntry tensor, TensorStatistics? s)
    {
        string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("G6", CultureInfo.InvariantCulture);
        string shape = "[" + string.Join(", ", tensor.Shape) + "]";
        string elements = tensor.ElementCount.ToString("N0", CultureInfo.InvariantCulture);
        if (s is null)
        {
            return new[] { tensor.Name, tensor.DType, shape, elements, "(dtype not decoded)", "", "", "", "", "" };
        }
        bool any = s.Finite > 0;
        return new[]
        {
            tensor.Name, tensor.DType, shape, elements,
            any ? Number(s.Min) : "-", any ? Number(s.Max) : "-", Number(s.Mean), Number(s.StandardDeviation),
            s.NaN.ToString(CultureInfo.InvariantCulture), s.Infinite.ToString(CultureInfo.InvariantCulture),
        };
    }
}
