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
    public const long MaxHeaderLength = SafeTensorsHeader.MaxHeaderLength;

    private const string MetadataKey = SafeTensorsHeader.MetadataKey;
    private const string Float32 = "F32";

    /// <summary>
    /// Writes <paramref name="tensors"/> (data laid out in the given order) atomically: the bytes go
    /// to a temporary file <c>{path}.{32 hex digits}.tmp</c> in the same directory, are flushed to
    /// disk, and only then replace <paramref name="path"/>, so a crash or error never leaves a
    /// half-written file. On failure the temporary file is deleted and the target is left as it
    /// was; temporary files that a killed earlier write to the same target left behind are deleted
    /// first. Values are written as given, NaN and infinities included (<see cref="WeightsFile"/>
    /// and checkpoints refuse those before calling this).
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
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (SafeTensor tensor in list)
            {
                WriteLittleEndian(stream, tensor.Data);
            }
        });
    }

    /// <summary>
    /// Reads a safetensors file of F32 tensors, checking its structure first (see
    /// <see cref="Read(ReadOnlySpan{byte}, string)"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of F32 tensors; the message starts with the path and names the tensor or key and the bad value.</exception>
    /// <exception cref="IOException">The file cannot be read (not found, no access, ...).</exception>
    public static SafeTensorFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads safetensors F32 tensors from a readable, seekable <paramref name="stream"/> positioned
    /// at the start of the file, with the same checks as <see cref="Read(ReadOnlySpan{byte}, string)"/>.
    /// Memory stays bounded by the stream's length.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file of F32 tensors.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    public static SafeTensorFile Read(Stream stream, string source)
    {
        SafeTensorsHeader header = SafeTensorsHeader.Read(stream, source);
        List<Entry> entries = Float32Entries(header);
        long dataStart = stream.Position;
        var tensors = new SafeTensor[entries.Count];
        // Read in file order so the stream only moves forward.
        foreach (Entry entry in entries.OrderBy(e => e.Begin))
        {
            float[] data = entry.Length == 0 ? Array.Empty<float>() : new float[entry.Length];
            stream.Position = dataStart + entry.Begin;
            if (stream.ReadAtLeast(MemoryMarshal.AsBytes(data.AsSpan()), data.Length * sizeof(float), throwOnEndOfStream: false) != data.Length * sizeof(float))
            {
                throw SafeTensorsHeader.Invalid(source, $"tensor '{SafeTensorsHeader.Quote(entry.Name)}': the file ended while reading its data (was it truncated while being read?).");
            }
            tensors[entry.Index] = new SafeTensor(entry.Name, entry.Shape, ToNativeOrder(data));
        }
        return new SafeTensorFile(source, header.Metadata, tensors);
    }

    /// <summary>
    /// Reads safetensors F32 tensors from a whole file held in memory. Every problem — file too
    /// short, header length beyond the end or above <see cref="MaxHeaderLength"/>, invalid JSON or
    /// UTF-8, a header that is not an object, duplicate keys, a dtype other than F32, shapes with
    /// negative or overflowing dimensions, offsets that are not integers, lie outside the data,
    /// overlap or do not span element count x 4 bytes, metadata that is not strings — is an
    /// <see cref="InvalidDataException"/> whose message starts with <paramref name="source"/> and
    /// names the tensor or key and the bad value; no other exception escapes for any input.
    /// </summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="source">Name used in messages and as <see cref="SafeTensorFile.Path"/>.</param>
    public static SafeTensorFile Read(ReadOnlySpan<byte> bytes, string source)
    {
        SafeTensorsHeader header = SafeTensorsHeader.Parse(bytes, source);
        List<Entry> entries = Float32Entries(header);
        ReadOnlySpan<byte> data = bytes[(int)header.DataStart..];
        var tensors = new SafeTensor[entries.Count];
        foreach (Entry entry in entries)
        {
            float[] values = entry.Length == 0 ? Array.Empty<float>() : new float[entry.Length];
            data.Slice((int)entry.Begin, entry.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            tensors[entry.Index] = new SafeTensor(entry.Name, entry.Shape, ToNativeOrder(values));
        }
        return new SafeTensorFile(source, header.Metadata, tensors);
    }

    private sealed record Entry(int Index, string Name, int[] Shape, long Begin, int Length);

    /// <summary>The header's entries as F32 tensors ConvGen can hold: float32, dimensions and element count within int.</summary>
    private static List<Entry> Float32Entries(SafeTensorsHeader header)
    {
        var entries = new List<Entry>(header.Tensors.Count);
        foreach (SafeTensorEntry tensor in header.Tensors)
        {
            string name = SafeTensorsHeader.Quote(tensor.Name);
            if (tensor.DType != Float32)
            {
                throw SafeTensorsHeader.Invalid(header.Source, $"tensor '{name}' has dtype '{tensor.DType}'; ConvGen reads only F32 (float32) tensors.");
            }
            if (tensor.Shape.Any(d => d > int.MaxValue))
            {
                throw SafeTensorsHeader.Invalid(header.Source, $"tensor '{name}' has shape [{string.Join(",", tensor.Shape)}]; ConvGen holds dimensions up to {int.MaxValue}.");
            }
            // The header checked that the shape spans End - Begin bytes of the data, so the count is bounded by the file.
            long length = (tensor.End - tensor.Begin) / sizeof(float);
            if (length > Array.MaxLength)
            {
                throw SafeTensorsHeader.Invalid(header.Source, $"tensor '{name}' holds {length} values; a .NET array holds at most {Array.MaxLength}.");
            }
            entries.Add(new Entry(entries.Count, tensor.Name, tensor.Shape.Select(d => (int)d).ToArray(), tensor.Begin, (int)length));
        }
        return entries;
    }

    private static float[] ToNativeOrder(float[] data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return data;
    }

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
            if (!IsValidText(tensor.Name))
            {
                throw new ArgumentException($"{path}: tensors[{i}] has a name with an unpaired surrogate, which UTF-8 cannot encode.", nameof(tensors));
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
                if (!IsValidText(key) || !IsValidText(value))
                {
                    throw new ArgumentException($"{path}: metadata entry '{SafeTensorsHeader.Quote(key)}' has an unpaired surrogate in its {(IsValidText(key) ? "value" : "key")}, which UTF-8 cannot encode.", nameof(metadata));
                }
            }
        }
    }

    /// <summary>False when <paramref name="text"/> holds an unpaired surrogate (the header must be valid UTF-8).</summary>
    private static bool IsValidText(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
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
}
