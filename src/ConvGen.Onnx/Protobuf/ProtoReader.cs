// Why ConvGen keeps its own protobuf reader instead of Google.Protobuf and code generated from
// onnx.proto: (1) the shipped ConvGen.Onnx package stays free of dependencies beyond ConvGen;
// (2) only the fields the importer uses are materialized (everything else, e.g. sub-graph lists,
// sparse initializers, functions, metadata, is skipped by its length prefix without being
// decoded), and every error names the file, the message path, the field and the byte offset;
// (3) the reader is small enough to audit. What Google.Protobuf gives for free is enforced here
// explicitly and tested: nested messages are bounded (MaxDepth, plus OnnxDecoder's sub-graph
// limit), every length prefix is checked against the bytes left in the enclosing message before
// anything is sliced or allocated, sub-messages are read as slices of the input (never copied),
// and error paths are built lazily, so decoding is linear in the file size
// (tests/ConvGen.Onnx.Tests/Protobuf/HostileInputTests.cs). Byte fields (raw_data, strings) are
// copied once out of the input, which keeps the allocation within a multiple of the file size.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace ConvGen.Onnx.Protobuf;

/// <summary>
/// Forward-only reader over one protobuf message held in memory. Nested messages are read by
/// <see cref="ReadMessage"/>, which returns a reader over the sub-range (a slice, no copy) that
/// still reports offsets relative to the whole input and knows its path for errors.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>
    /// Deepest message nesting accepted. Google.Protobuf's default recursion limit is 100; ONNX
    /// needs more room because every sub-graph level costs three (graph → node → attribute), and
    /// <see cref="Model.OnnxModel.MaxGraphNesting"/> sub-graph levels must fit below this.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>Strict decoder: invalid UTF-8 in a name is corruption, not something to paper over with U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _baseOffset;
    private readonly ProtoPath _path;
    private int _position;

    /// <summary>A reader over a whole input; <paramref name="source"/> (usually the file name) starts every error message.</summary>
    public ProtoReader(ReadOnlySpan<byte> buffer, string source)
        : this(buffer, new ProtoPath(source), depth: 0, baseOffset: 0)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> buffer, ProtoPath path, int depth, long baseOffset)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _path = path;
        _position = 0;
        Depth = depth;
        FieldName = "";
    }

    /// <summary>Where this message sits in the model, for error messages (built on demand).</summary>
    public readonly string Path => _path.Render(Depth);

    /// <summary>The file or stream name given to the outermost reader.</summary>
    public readonly string Source => _path.Source;

    /// <summary>How many messages enclose this one (0 for the outermost).</summary>
    public int Depth { get; }

    /// <summary>Name of the field being decoded; callers set it so errors can name it.</summary>
    public string FieldName { get; set; }

    public readonly bool AtEnd => _position >= _buffer.Length;

    /// <summary>Absolute offset of the next byte.</summary>
    public readonly long Offset => _baseOffset + _position;

    /// <summary>Reads the next key; returns false at the end of the message.</summary>
    public bool TryReadKey(out int fieldNumber, out WireType wireType)
    {
        if (AtEnd)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }
        long keyOffset = Offset;
        ulong key = ReadRawVarint();
        fieldNumber = (int)(key >> 3);
        wireType = (WireType)(key & 7);
        if (fieldNumber <= 0 || key >> 3 > int.MaxValue)
        {
            throw new ProtobufFormatException($"{Path}: invalid field number {key >> 3} in a key", keyOffset);
        }
        if (wireType is WireType.StartGroup or WireType.EndGroup || (int)wireType > 5)
        {
            throw new ProtobufFormatException($"{Path}: field {fieldNumber} uses wire type {(int)wireType}, which ONNX never uses (groups are deprecated)", keyOffset);
        }
        return true;
    }

    public ulong ReadVarint(WireType wireType)
    {
        Expect(wireType, WireType.Varint);
        return ReadRawVarint();
    }

    public long ReadInt64(WireType wireType) => (long)ReadVarint(wireType);

    /// <summary>int32 fields are sign-extended to 64 bits on the wire; truncation is the protobuf rule.</summary>
    public int ReadInt32(WireType wireType) => (int)ReadVarint(wireType);

    public float ReadFloat(WireType wireType)
    {
        Expect(wireType, WireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    }

    public double ReadDouble(WireType wireType)
    {
        Expect(wireType, WireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
    }

    public string ReadString(WireType wireType)
    {
        ReadOnlySpan<byte> bytes = ReadBytesSpan(wireType);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtobufFormatException($"{Path}: field '{FieldName}' is not valid UTF-8", Offset - bytes.Length);
        }
    }

    public byte[] ReadBytes(WireType wireType) => ReadBytesSpan(wireType).ToArray();

    /// <summary>
    /// A reader over an embedded message, one level deeper; <paramref name="field"/> and
    /// <paramref name="index"/> (-1 for a singular field) extend the error path.
    /// </summary>
    public ProtoReader ReadMessage(WireType wireType, string field, int index = -1)
    {
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadBytesSpan(wireType);
        if (Depth >= MaxDepth)
        {
            throw new ProtobufFormatException(
                $"{Path}: field '{field}' would nest messages {Depth + 1} deep; at most {MaxDepth} are accepted (a hostile or corrupted file?)", start);
        }
        _path.Enter(Depth, field, index);
        return new ProtoReader(bytes, _path, Depth + 1, Offset - bytes.Length);
    }

    /// <summary>Repeated int64: accepts both the packed form (proto3 default) and one value per key.</summary>
    public void ReadRepeatedInt64(WireType wireType, List<long> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            var packed = ReadPacked();
            while (!packed.AtEnd)
            {
                values.Add((long)packed.ReadRawVarint());
            }
            return;
        }
        values.Add(ReadInt64(wireType));
    }

    public void ReadRepeatedInt32(WireType wireType, List<int> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            var packed = ReadPacked();
            while (!packed.AtEnd)
            {
                values.Add((int)packed.ReadRawVarint());
            }
            return;
        }
        values.Add(ReadInt32(wireType));
    }

    public void ReadRepeatedFloat(WireType wireType, List<float> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            ReadOnlySpan<byte> bytes = ReadFixedPacked(4, "float");
            values.EnsureCapacity(values.Count + bytes.Length / 4);
            for (int i = 0; i < bytes.Length; i += 4)
            {
                values.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i, 4)));
            }
            return;
        }
        values.Add(ReadFloat(wireType));
    }

    public void ReadRepeatedDouble(WireType wireType, List<double> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            ReadOnlySpan<byte> bytes = ReadFixedPacked(8, "double");
            values.EnsureCapacity(values.Count + bytes.Length / 8);
            for (int i = 0; i < bytes.Length; i += 8)
            {
                values.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i, 8)));
            }
            return;
        }
        values.Add(ReadDouble(wireType));
    }

    /// <summary>Skips a field this codec does not model (forward compatibility, as protobuf requires).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadRawVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.Fixed32: Take(4); break;
            case WireType.LengthDelimited: ReadBytesSpan(wireType); break;
            default: throw new ProtobufFormatException($"{Path}: cannot skip wire type {(int)wireType}", Offset);
        }
    }

    /// <summary>The varints of a packed field, read by a reader at the same depth (errors keep this path and field).</summary>
    private ProtoReader ReadPacked()
    {
        ReadOnlySpan<byte> bytes = ReadBytesSpan(WireType.LengthDelimited);
        return new ProtoReader(bytes, _path, Depth, Offset - bytes.Length) { FieldName = FieldName };
    }

    private ReadOnlySpan<byte> ReadFixedPacked(int size, string type)
    {
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadBytesSpan(WireType.LengthDelimited);
        if (bytes.Length % size != 0)
        {
            throw new ProtobufFormatException($"{Path}: packed {type} field '{FieldName}' has {bytes.Length} bytes, not a multiple of {size}", start);
        }
        return bytes;
    }

    /// <summary>A length-delimited field: the length is checked against the bytes left before anything is sliced.</summary>
    private ReadOnlySpan<byte> ReadBytesSpan(WireType wireType)
    {
        Expect(wireType, WireType.LengthDelimited);
        long lengthOffset = Offset;
        ulong length = ReadRawVarint();
        int remaining = _buffer.Length - _position;
        if (length > (ulong)remaining)
        {
            throw new ProtobufFormatException(
                $"{Path}: field '{FieldName}' claims {length} bytes but only {remaining} remain in the enclosing message (truncated file?)",
                lengthOffset);
        }
        return Take((int)length);
    }

    private ulong ReadRawVarint()
    {
        long start = Offset;
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw new ProtobufFormatException($"{Path}: varint of field '{FieldName}' runs past the end of the message", start);
            }
            byte b = _buffer[_position++];
            if (shift == 63 && b > 1)
            {
                // The 10th byte may only carry the 64th bit.
                break;
            }
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new ProtobufFormatException($"{Path}: varint of field '{FieldName}' is longer than 10 bytes or exceeds 64 bits", start);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new ProtobufFormatException($"{Path}: field '{FieldName}' needs {count} bytes but only {_buffer.Length - _position} remain", Offset);
        }
        ReadOnlySpan<byte> slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly void Expect(WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw new ProtobufFormatException($"{Path}: field '{FieldName}' has wire type {actual}, expected {expected}", Offset);
        }
    }
}
