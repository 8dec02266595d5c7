using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConvGen.Tool.Inspect;

/// <summary>One tensor entry of a safetensors header: any dtype, not only ConvGen's F32.</summary>
internal sealed record TensorEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long Elements => Shape.Aggregate(1L, (product, d) => product * d);
}

/// <summary>
/// Reads the header of any safetensors file (8-byte little-endian length, JSON, data), so that
/// <c>inspect</c> can show files written by Python (F16, BF16, I64, ...) as well as ConvGen's.
/// </summary>
internal static class SafeTensorsHeader
{
    private const long MaxHeaderBytes = 100_000_000;

    public static (IReadOnlyList<TensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart) Read(FileStream stream, string path)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
        {
            throw new InvalidDataException($"{path}: {stream.Length} bytes, too short for a safetensors file (8-byte header length, JSON header, data).");
        }
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
        {
            throw new InvalidDataException($"{path}: header length {headerLength} does not fit the {stream.Length}-byte file; not a safetensors file.");
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + headerLength;
        long dataLength = stream.Length - dataStart;

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message}).");
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: the header is JSON {json.RootElement.ValueKind}, not an object of tensors.");
            }
            var tensors = new List<TensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (JsonProperty entry in property.Value.EnumerateObject())
                    {
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                    }
                    continue;
                }
                tensors.Add(Entry(path, property, dataLength));
            }
            return (tensors, metadata, dataStart);
        }
    }

    private static TensorEntry Entry(string path, JsonProperty property, long dataLength)
    {
        JsonElement value = property.Value;
        string Problem(string what) => $"{path}: tensor '{property.Name}' {what}";
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out JsonElement shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException(Problem("is not an object with dtype, shape and data_offsets [begin, end]."));
        }
        long[] dimensions = shape.EnumerateArray().Select(d => d.TryGetInt64(out long n) && n >= 0 ? n : throw new InvalidDataException(Problem($"has shape {shape.GetRawText()}; dimensions must be whole numbers >= 0."))).ToArray();
        long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
        if (begin < 0 || end < begin || end > dataLength)
        {
            throw new InvalidDataException(Problem($"has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section."));
        }
        var entry = new TensorEntry(property.Name, dtype.GetString()!, dimensions, begin, end);
        if (ElementValues.Size(entry.DType) is int size && entry.Elements * size != end - begin)
        {
            throw new InvalidDataException(Problem($"is {entry.DType} {ShapeText(dimensions)} = {entry.Elements:N0} elements x {size} bytes, but its data_offsets span {end - begin:N0} bytes."));
        }
        return entry;
    }

    public static string ShapeText(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
