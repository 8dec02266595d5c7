using System;
using System.Buffers.Binary;

namespace ConvGen.Tool.Inspect;

/// <summary>Element sizes and decoding of the safetensors dtypes (all little-endian).</summary>
internal static class ElementValues
{
    /// <summary>Bytes per element, or null for a dtype inspect cannot decode.</summary>
    public static int? Size(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => null,
    };

    /// <summary>The element at the start of <paramref name="bytes"/> as a double.</summary>
    public static double Read(string dtype, ReadOnlySpan<byte> bytes) => dtype switch
    {
        "F64" => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes),
        // bfloat16 is the upper half of a float32.
        "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
        "I64" => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        "U64" => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        "U32" => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        "I16" => BinaryPrimitives.ReadInt16LittleEndian(bytes),
        "U16" => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        "I8" => (sbyte)bytes[0],
        "U8" or "BOOL" => bytes[0],
        _ => throw new NotSupportedException($"dtype {dtype}"),
    };
}
