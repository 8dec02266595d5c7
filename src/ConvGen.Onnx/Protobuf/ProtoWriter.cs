using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace ConvGen.Onnx.Protobuf;

/// <summary>
/// Appends protobuf fields to a growable buffer. Embedded messages are written into their own
/// writer first and then copied with their length prefix: simpler than reserving space for the
/// length, and ONNX models of the sizes ConvGen exports make the copy negligible.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteInt64(int field, long value)
    {
        WriteKey(field, WireType.Varint);
        WriteRawVarint((ulong)value);
    }

    /// <summary>Negative int32 values are sign-extended to 10 bytes, as the protobuf spec requires.</summary>
    public void WriteInt32(int field, int value) => WriteInt64(field, value);

    public void WriteFloat(int field, float value)
    {
        WriteKey(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, WireType.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    /// <summary>Packed repeated int64 (the proto3 default encoding).</summary>
    public void WritePackedInt64(int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        var packed = new ProtoWriter();
        foreach (long value in values)
        {
            packed.WriteRawVarint((ulong)value);
        }
        WriteBytes(field, packed.WrittenSpan);
    }

    /// <summary>Packed repeated float: little-endian fixed32 values behind one length prefix.</summary>
    public void WritePackedFloat(int field, ReadOnlySpan<float> values)
    {
        if (values.Length == 0)
        {
            return;
        }
        WriteKey(field, WireType.LengthDelimited);
        WriteRawVarint((ulong)values.Length * 4);
        Span<byte> bytes = _buffer.GetSpan(values.Length * 4);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.Slice(i * 4, 4), values[i]);
        }
        _buffer.Advance(values.Length * 4);
    }

    private void WriteKey(int field, WireType wireType) => WriteRawVarint(((ulong)field << 3) | (ulong)wireType);

    private void WriteRawVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(10);
        int count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[count++] = (byte)value;
        _buffer.Advance(count);
    }
}
