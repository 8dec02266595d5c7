using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConvGen.Serialization;

/// <summary>
/// Reads and writes float32 tensors in the safetensors format
/// (https://huggingface.co/docs/safetensors), so weights move to and from Python unchanged:
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {...}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}</c>
/// padded with spaces so the data starts 8-byte aligned, then the raw little-endian data, with
/// offsets counted from the first byte after the header.
/// </summary>
public static class SafeTensors
{
    /// <summary>The reference implementation refuses larger headers; so do we, before allocating.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private const string Float32 = "F32";

    /// <summary>
    /// Writes <paramref name="tensors"/> (data laid out in the given order) atomically: the bytes go
    /// to <c>path + ".tmp"</c> in the same directory, are flushed to disk, and only then replace
    /// <paramref name="path"/>, so a crash or error never leaves a half-written file. On failure
    /// the temporary file is deleted and the target is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated, or a tensor's data length does not match its shape.</exception>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        // Validate everything before touching the disk.
        List<SafeTensor> list = tensors.ToList();
        ValidateForWrite(path, list, metadata);
        byte[] header = BuildHeader(list, metadata);

        string temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (SafeTensor tensor in list)
                {
                    WriteLittleEndian(stream, tensor.Data);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads a safetensors file of F32 tensors, checking its structure first: every problem
    /// (short file, header beyond the end, invalid JSON, another dtype, offsets out of range or
    /// overlapping, shape not matching the byte length) is an <see cref="InvalidDataException"/>
    /// naming the file and the tensor.
    /// </summary>
    public static SafeTensorFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw Invalid(path, $"file too short for safetensors: {fileLength} bytes, but the header length alone takes 8.");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw Invalid(path, $"header length {headerLength} bytes goes beyond the end of the file (only {fileLength - 8} bytes follow the 8-byte length).");
        }
        if (headerLength > MaxHeaderLength)
        {
            throw Invalid(path, $"header length {headerLength} bytes exceeds the safetensors limit of {MaxHeaderLength}.");
        }
        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        (Dictionary<string, string> metadata, List<Entry> entries) = ParseHeader(path, header, dataLength);
        CheckOverlaps(path, entries);

        var tensors = new SafeTensor[entries.Count];
        // Read in file order so the stream only moves forward.
        foreach (Entry entry in entries.OrderBy(e => e.Begin))
        {
            var data = new float[(entry.End - entry.Begin) / sizeof(float)];
            stream.Position = dataStart + entry.Begin;
            try
            {
                stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            catch (EndOfStreamException)
            {
                throw Invalid(path, $"tensor '{entry.Name}': the file ended while reading its data (was it truncated while being read?).");
            }
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            tensors[entry.Index] = new SafeTensor(entry.Name, entry.Shape, data);
        }
        return new SafeTensorFile(path, metadata, tensors);
    }

    private sealed record Entry(int Index, string Name, int[] Shape, long Begin, long End);

    private static void ValidateForWrite(string path, List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tensors.Count; i++)
        {
            SafeTensor? tensor = tensors[i];
            if (tensor is null)
            {
                throw new ArgumentException($"{path}: tensors[{i}] is null.", nameof(tensors));
            }
            if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == MetadataKey)
            {
                throw new ArgumentException($"{path}: tensors[{i}] has the name '{tensor.Name}'; a tensor needs a non-empty name other than '{MetadataKey}'.", nameof(tensors));
            }
            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"{path}: tensor '{tensor.Name}' appears twice; names must be unique.", nameof(tensors));
            }
            if (tensor.Shape is null || tensor.Data is null)
            {
                throw new ArgumentException($"{path}: tensor '{tensor.Name}' has no {(tensor.Shape is null ? "shape" : "data")}.", nameof(tensors));
            }
            long elements = 1;
            foreach (int dimension in tensor.Shape)
            {
                if (dimension < 0)
                {
                    throw new ArgumentException($"{path}: tensor '{tensor.Name}' has shape {tensor.ShapeText}; dimensions must be 0 or more.", nameof(tensors));
                }
                elements = checked(elements * dimension);
            }
            if (elements != tensor.Data.Length)
            {
                throw new ArgumentException(
                    $"{path}: tensor '{tensor.Name}' has shape {tensor.ShapeText} ({elements} values) but {tensor.Data.Length} data values.",
                    nameof(tensors));
            }
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is null || value is null)
                {
                    throw new ArgumentException($"{path}: metadata entry '{key}' has a null {(key is null ? "key" : "value")}.", nameof(metadata));
                }
            }
        }
    }

    private static byte[] BuildHeader(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names readable; the output is still plain valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (SafeTensor tensor in tensors)
            {
                long end = offset + (long)tensor.Data.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", Float32);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so that 8 + header length is a multiple of 8: the data then starts
        // aligned, which lets readers map it straight into float arrays.
        int padded = (buffer.WrittenCount + 7) & ~7;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        Span<byte> chunk = stackalloc byte[4096];
        for (int start = 0; start < data.Length; start += chunk.Length / 4)
        {
            int count = Math.Min(chunk.Length / 4, data.Length - start);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk.Slice(i * 4), data[start + i]);
            }
            stream.Write(chunk.Slice(0, count * 4));
        }
    }

    private static (Dictionary<string, string> Metadata, List<Entry> Entries) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Invalid(path, $"the header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"the header is JSON {document.RootElement.ValueKind}, not an object of tensors.");
            }
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Invalid(path, $"'{property.Name}' appears twice in the header.");
                }
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries.Add(ReadEntry(path, entries.Count, property, dataLength));
            }
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"'{MetadataKey}' is JSON {value.ValueKind}, not an object of strings.");
        }
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"metadata '{entry.Name}' is JSON {entry.Value.ValueKind}; safetensors metadata values must be strings.");
            }
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string path, int index, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"tensor '{name}' is JSON {value.ValueKind}, not an object with dtype, shape and data_offsets.");
        }
        if (!value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, $"tensor '{name}' has no dtype string.");
        }
        if (dtype.GetString() != Float32)
        {
            throw Invalid(path, $"tensor '{name}' has dtype '{dtype.GetString()}'; ConvGen reads only F32 (float32) tensors.");
        }
        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, $"tensor '{name}' has no shape array.");
        }
        var shape = new int[shapeElement.GetArrayLength()];
        long elements = 1;
        int d = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out int size) || size < 0)
            {
                throw Invalid(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}; dimensions must be integers from 0 to {int.MaxValue}.");
            }
            shape[d++] = size;
            // Capped just above int.MaxValue: enough to detect a mismatch, and the product of two
            // values below 2^31 cannot overflow a long.
            elements = Math.Min(elements * size, (long)int.MaxValue + 1);
        }
        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
        {
            throw Invalid(path, $"tensor '{name}' needs data_offsets [begin, end] as two integers.");
        }
        if (begin < 0 || end < begin || end > dataLength)
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin},{end}] outside the {dataLength}-byte data buffer (offsets count from the end of the header; end must not precede begin).");
        }
        if (elements * sizeof(float) != end - begin)
        {
            string count = elements > int.MaxValue ? $"more than {int.MaxValue}" : elements.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Invalid(path, $"tensor '{name}' has shape {SafeTensor.FormatShape(shape)} ({count} F32 values, 4 bytes each) but data_offsets [{begin},{end}] span {end - begin} bytes.");
        }
        return new Entry(index, name, shape, begin, end);
    }

    private static void CheckOverlaps(string path, List<Entry> entries)
    {
        Entry? previous = null;
        foreach (Entry entry in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && entry.Begin < previous.End)
            {
                throw Invalid(path, $"tensors '{previous.Name}' (bytes {previous.Begin}..{previous.End}) and '{entry.Name}' (bytes {entry.Begin}..{entry.End}) overlap.");
            }
            previous = entry;
        }
    }

    private static InvalidDataException Invalid(string path, string message, Exception? inner = null) =>
        new($"{path}: {message}", inner);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
