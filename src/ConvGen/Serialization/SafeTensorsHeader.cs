using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConvGen.Messages;

namespace ConvGen.Serialization;

/// <summary>One tensor entry of a safetensors header, of any dtype (not only ConvGen's F32).</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">One of the safetensors dtypes, e.g. <c>F32</c>, <c>BF16</c>, <c>I64</c>.</param>
/// <param name="Shape">Dimensions, outermost first (empty for a scalar).</param>
/// <param name="Begin">First byte of the data, counted from <see cref="SafeTensorsHeader.DataStart"/>.</param>
/// <param name="End">One past the last byte of the data.</param>
public sealed record SafeTensorEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Product of the dimensions (checked against the byte length when the header was read, so it cannot overflow).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);
}

/// <summary>
/// The checked header of a safetensors file: the metadata strings and one
/// <see cref="SafeTensorEntry"/> per tensor, every entry's dtype known, shape consistent with its
/// byte range, and the ranges inside the data and not overlapping. Any other content is refused
/// with an <see cref="InvalidDataException"/> whose message starts with the file name and names
/// the key and the bad value; nothing is allocated from a declared size before it is checked
/// against the bytes present.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The reference implementation refuses larger headers; so do we, before allocating.</summary>
    public const long MaxHeaderLength = 100_000_000;

    internal const string MetadataKey = "__metadata__";

    // The longest value quoted in a message: a 100 MB name must not become a 100 MB message.
    private const int QuotedLimit = 120;

    private SafeTensorsHeader(string source, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensorEntry> tensors, long dataStart, long dataLength)
    {
        Source = source;
        Metadata = metadata;
        Tensors = tensors;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    /// <summary>The file (or other source name) the header was read from; every message starts with it.</summary>
    public string Source { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorEntry> Tensors { get; }

    /// <summary>Position of the first data byte in the file: 8 + the header length.</summary>
    public long DataStart { get; }

    /// <summary>Bytes after the header.</summary>
    public long DataLength { get; }

    /// <summary>Bytes per element of a safetensors dtype, or null for a dtype this reader does not know.</summary>
    public static int? ElementSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" or "C64" => 8,
        _ => null,
    };

    /// <summary>Checks the header of a whole file held in memory.</summary>
    /// <param name="file">The file's bytes, from the 8-byte length on.</param>
    /// <param name="source">Name used in messages, usually the path.</param>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> file, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        long headerLength = CheckPrefix(file.Length >= 8 ? file[..8] : ReadOnlySpan<byte>.Empty, file.Length, source);
        return FromJson(file.Slice(8, (int)headerLength).ToArray(), file.Length, source);
    }

    /// <summary>
    /// Reads and checks the header from a seekable <paramref name="stream"/> positioned at the
    /// start of the file; afterwards the stream stands at <see cref="DataStart"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream does not hold a valid safetensors file.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek (its length is needed to check the offsets).</exception>
    public static SafeTensorsHeader Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException($"{source}: safetensors needs a readable, seekable stream (its length bounds every offset).", nameof(stream));
        }
        long fileLength = stream.Length - stream.Position;
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        long headerLength = CheckPrefix(prefix[..got], fileLength, source);
        // Allocated only now: CheckPrefix bounded the length by the bytes present and by MaxHeaderLength.
        byte[] header = new byte[headerLength];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length)
        {
            throw Invalid(source, $"the file ended inside the {headerLength}-byte header (was it truncated while being read?).");
        }
        return FromJson(header, fileLength, source);
    }

    /// <summary>Returns the header length after checking it against the file length and the limit.</summary>
    private static long CheckPrefix(ReadOnlySpan<byte> prefix, long fileLength, string source)
    {
        if (prefix.Length < 8)
        {
            throw Invalid(source, $"file too short for safetensors: {Counted.Of(fileLength, "byte")}, but the header length alone takes 8.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw Invalid(source, $"header length {headerLength} bytes goes beyond the end of the file (only {Counted.Of(fileLength - 8, "byte")} {(fileLength - 8 == 1 ? "follows" : "follow")} the 8-byte length).");
        }
        if (headerLength > MaxHeaderLength)
        {
            throw Invalid(source, $"header length {headerLength} bytes exceeds the safetensors limit of {MaxHeaderLength}.");
        }
        return (long)headerLength;
    }

    private static SafeTensorsHeader FromJson(ReadOnlyMemory<byte> json, long fileLength, string source)
    {
        long dataStart = 8 + json.Length;
        long dataLength = fileLength - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"the header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, $"the header is JSON {root.ValueKind}, not an object of tensors.");
            }
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<SafeTensorEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int position = 0;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                string name = NameOf(property, source, $"key #{++position} of the header");
                if (!seen.Add(name))
                {
                    throw Invalid(source, $"'{Quote(name)}' appears twice in the header.");
                }
                if (name == MetadataKey)
                {
                    ReadMetadata(source, property.Value, metadata);
                }
                else
                {
                    tensors.Add(ReadEntry(source, name, property.Value, dataLength));
                }
            }
            CheckOverlaps(source, tensors);
            return new SafeTensorsHeader(source, metadata, tensors, dataStart, dataLength);
        }
    }

    private static void ReadMetadata(string source, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"'{MetadataKey}' is JSON {value.ValueKind}, not an object of strings.");
        }
        int position = 0;
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            string key = NameOf(entry, source, $"metadata key #{++position}");
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"metadata '{Quote(key)}' is JSON {entry.Value.ValueKind} ({Raw(entry.Value)}); safetensors metadata values must be strings.");
            }
            if (!metadata.TryAdd(key, TextOf(entry.Value, source, $"metadata '{Quote(key)}'")))
            {
                throw Invalid(source, $"metadata '{Quote(key)}' appears twice.");
            }
        }
    }

    private static SafeTensorEntry ReadEntry(string source, string name, JsonElement value, long dataLength)
    {
        string tensor = $"tensor '{Quote(name)}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"{tensor} is JSON {value.ValueKind}, not an object with dtype, shape and data_offsets.");
        }
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty field in value.EnumerateObject())
        {
            string key = NameOf(field, source, $"a key of {tensor}");
            if (!keys.Add(key))
            {
                throw Invalid(source, $"{tensor} has the key '{Quote(key)}' twice.");
            }
            switch (key)
            {
                case "dtype": dtypeElement = field.Value; break;
                case "shape": shapeElement = field.Value; break;
                case "data_offsets": offsetsElement = field.Value; break;
                default: break; // other writers may add keys; the reference reader ignores them too
            }
        }

        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtypeValue)
        {
            throw Invalid(source, $"{tensor} has no dtype string{(dtypeElement is { } d ? $" (dtype is {Raw(d)})" : "")}.");
        }
        string dtype = TextOf(dtypeValue, source, $"the dtype of {tensor}");
        if (ElementSize(dtype) is not int elementSize)
        {
            throw Invalid(source, $"{tensor} has dtype '{Quote(dtype)}', which is not a safetensors dtype (BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64, C64).");
        }

        if (shapeElement is not { ValueKind: JsonValueKind.Array } shapeValue)
        {
            throw Invalid(source, $"{tensor} has no shape array{(shapeElement is { } s ? $" (shape is {Raw(s)})" : "")}.");
        }
        var shape = new long[shapeValue.GetArrayLength()];
        long elements = 1;
        bool overflow = false;
        int d2 = 0;
        foreach (JsonElement dimension in shapeValue.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long size) || size < 0)
            {
                throw Invalid(source, $"{tensor} has shape {Raw(shapeValue)}; dimension {d2} ({Raw(dimension)}) must be an integer from 0 to {long.MaxValue}.");
            }
            shape[d2++] = size;
            overflow |= elements != 0 && size != 0 && elements > long.MaxValue / size;
            elements = overflow ? long.MaxValue : elements * size;
        }
        string shapeText = "[" + string.Join(",", shape) + "]";
        if (overflow || elements > long.MaxValue / elementSize)
        {
            throw Invalid(source, $"{tensor} has shape {shapeText}, whose size in bytes overflows a 64-bit count.");
        }

        if (offsetsElement is not { ValueKind: JsonValueKind.Array } offsetsValue || offsetsValue.GetArrayLength() != 2
            || !IsInteger(offsetsValue[0], out long begin) || !IsInteger(offsetsValue[1], out long end))
        {
            string found = offsetsElement is { } o ? $" (data_offsets is {Raw(o)})" : " (there is none)";
            throw Invalid(source, $"{tensor} needs data_offsets [begin, end] as two integers{found}.");
        }
        if (begin < 0 || end < begin || end > dataLength)
        {
            throw Invalid(source, $"{tensor} has data_offsets [{begin},{end}] outside the {dataLength}-byte data buffer (offsets count from the end of the header; end must not precede begin).");
        }
        long bytes = elements * elementSize;
        if (bytes != end - begin)
        {
            throw Invalid(source, $"{tensor} has shape {shapeText} ({elements.ToString(CultureInfo.InvariantCulture)} {dtype} values, {elementSize} bytes each) but data_offsets [{begin},{end}] span {end - begin} bytes.");
        }
        return new SafeTensorEntry(name, dtype, shape, begin, end);
    }

    private static bool IsInteger(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    private static void CheckOverlaps(string source, List<SafeTensorEntry> entries)
    {
        SafeTensorEntry? previous = null;
        foreach (SafeTensorEntry entry in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && entry.Begin < previous.End)
            {
                throw Invalid(source, $"tensors '{Quote(previous.Name)}' (bytes {previous.Begin}..{previous.End}) and '{Quote(entry.Name)}' (bytes {entry.Begin}..{entry.End}) overlap.");
            }
            previous = entry;
        }
    }

    // JsonDocument checks the structure but decodes strings lazily: invalid UTF-8 or an escaped
    // unpaired surrogate ("\ud800") only fails here, with InvalidOperationException.
    private static string NameOf(JsonProperty property, string source, string what)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw Invalid(source, $"{what} is not valid text (invalid UTF-8 or an unpaired surrogate): {Raw(property)}", e);
        }
    }

    private static string TextOf(JsonElement element, string source, string what)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw Invalid(source, $"{what} is not valid text (invalid UTF-8 or an unpaired surrogate): {Raw(element)}", e);
        }
    }

    /// <summary>The JSON as written, bytes that are not valid UTF-8 shown as <c>\xNN</c>, cut to a readable length.</summary>
    private static string Raw(JsonElement element) => Printable(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));

    private static string Raw(JsonProperty property) => Printable(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property));

    private static string Printable(ReadOnlySpan<byte> utf8)
    {
        var text = new StringBuilder();
        while (!utf8.IsEmpty && text.Length < QuotedLimit)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8, out System.Text.Rune rune, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{utf8[0]:X2}");
                consumed = 1;
            }
            utf8 = utf8[consumed..];
        }
        return utf8.IsEmpty ? text.ToString() : text + "...";
    }

    /// <summary>A decoded name or value cut to a readable length.</summary>
    internal static string Quote(string text) => text.Length <= QuotedLimit ? text : text[..QuotedLimit] + "...";

    internal static InvalidDataException Invalid(string source, string message, Exception? inner = null) =>
        new($"{source}: {message}", inner);
}
