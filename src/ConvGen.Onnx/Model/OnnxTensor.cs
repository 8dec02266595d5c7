using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvGen.Onnx.Model;

/// <summary>
/// <c>TensorProto</c>: dims (field 1), data_type (2), float_data (4), int32_data (5),
/// int64_data (7), name (8), raw_data (9), double_data (10). Values live either in the typed
/// field or, little-endian, in <c>raw_data</c>; the accessors hide which.
/// </summary>
public sealed class OnnxTensor
{
    /// <summary>Field 8.</summary>
    public string Name { get; set; } = "";

    /// <summary>Field 1, outermost first.</summary>
    public List<long> Dims { get; } = new();

    /// <summary>Field 2.</summary>
    public OnnxDataType DataType { get; set; }

    /// <summary>Field 4.</summary>
    public List<float> FloatData { get; } = new();

    /// <summary>Field 5 (also holds bool, int8/16, uint8/16 and float16 bits).</summary>
    public List<int> Int32Data { get; } = new();

    /// <summary>Field 7.</summary>
    public List<long> Int64Data { get; } = new();

    /// <summary>Field 10.</summary>
    public List<double> DoubleData { get; } = new();

    /// <summary>Field 9.</summary>
    public byte[] RawData { get; set; } = Array.Empty<byte>();

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>The values as floats, converting from double or integer storage when needed.</summary>
    public float[] ToFloatArray()
    {
        long count = ElementCount;
        float[] result = DataType switch
        {
            OnnxDataType.Float when RawData.Length > 0 => FromRaw(4, (b) => BinaryPrimitives.ReadSingleLittleEndian(b)),
            OnnxDataType.Float => FloatData.ToArray(),
            OnnxDataType.Double when RawData.Length > 0 => FromRaw(8, (b) => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)),
            OnnxDataType.Double => DoubleData.Select(d => (float)d).ToArray(),
            OnnxDataType.Int64 => ToInt64Array().Select(v => (float)v).ToArray(),
            OnnxDataType.Int32 when RawData.Length > 0 => FromRaw(4, (b) => BinaryPrimitives.ReadInt32LittleEndian(b)),
            OnnxDataType.Int32 => Int32Data.Select(v => (float)v).ToArray(),
            _ => throw new InvalidDataException($"tensor '{Name}': data type {DataType} cannot be read as float."),
        };
        CheckCount(result.Length, count);
        return result;
    }

    /// <summary>The values as int64 (shapes and axes), from int64_data, int32_data or raw_data.</summary>
    public long[] ToInt64Array()
    {
        long[] result = DataType switch
        {
            OnnxDataType.Int64 when RawData.Length > 0 => FromRawLong(8, b => BinaryPrimitives.ReadInt64LittleEndian(b)),
            OnnxDataType.Int64 => Int64Data.ToArray(),
            OnnxDataType.Int32 when RawData.Length > 0 => FromRawLong(4, b => BinaryPrimitives.ReadInt32LittleEndian(b)),
            OnnxDataType.Int32 => Int32Data.Select(v => (long)v).ToArray(),
            _ => throw new InvalidDataException($"tensor '{Name}': data type {DataType} cannot be read as int64."),
        };
        CheckCount(result.Length, ElementCount);
        return result;
    }

    /// <summary>A float tensor stored in <c>float_data</c>.</summary>
    public static OnnxTensor FromFloats(string name, float[] values, params long[] dims)
    {
        var tensor = new OnnxTensor { Name = name, DataType = OnnxDataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        tensor.CheckCount(values.Length, tensor.ElementCount);
        return tensor;
    }

    /// <summary>An int64 tensor (e.g. a Reshape target shape).</summary>
    public static OnnxTensor FromInt64s(string name, long[] values, params long[] dims)
    {
        var tensor = new OnnxTensor { Name = name, DataType = OnnxDataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        tensor.CheckCount(values.Length, tensor.ElementCount);
        return tensor;
    }

    private delegate T RawElement<T>(ReadOnlySpan<byte> bytes);

    private float[] FromRaw(int size, RawElement<float> read)
    {
        CheckRawLength(size);
        var result = new float[RawData.Length / size];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = read(RawData.AsSpan(i * size, size));
        }
        return result;
    }

    private long[] FromRawLong(int size, RawElement<long> read)
    {
        CheckRawLength(size);
        var result = new long[RawData.Length / size];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = read(RawData.AsSpan(i * size, size));
        }
        return result;
    }

    private void CheckRawLength(int size)
    {
        if (RawData.Length % size != 0)
        {
            throw new InvalidDataException($"tensor '{Name}': raw_data has {RawData.Length} bytes, not a multiple of the {size}-byte {DataType} element.");
        }
    }

    private void CheckCount(long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"tensor '{Name}': dims [{string.Join(",", Dims)}] need {expected} values but the data holds {actual}.");
        }
    }
}
