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

    /// <summary>
    /// Product of the dimensions (1 for a scalar).
    /// </summary>
    /// <exception cref="InvalidDataException">A dimension is negative, or the product exceeds the largest array .NET can hold.</exception>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dim in Dims)
            {
                if (dim < 0)
                {
                    throw new InvalidDataException($"tensor '{Name}': dims [{string.Join(",", Dims)}] contain the negative dimension {dim}.");
                }
                // Dividing instead of multiplying: the check itself cannot overflow.
                if (dim != 0 && count > Array.MaxLength / dim)
                {
                    throw new InvalidDataException($"tensor '{Name}': dims [{string.Join(",", Dims)}] hold more than {Array.MaxLength} elements.");
                }
                count *= dim;
            }
            return count;
        }
    }

    /// <summary>
    /// Checks, without allocating, that the data present matches the dims: the element count
    /// fits and equals the number of stored values of <see cref="DataType"/>.
    /// Data types ConvGen does not read (see <see cref="ToFloatArray"/>) are checked for their dims only.
    /// </summary>
    /// <exception cref="InvalidDataException">The dims are invalid, the data type is not set, or the data holds another number of values.</exception>
    public void Validate()
    {
        long count = ElementCount;
        if (DataType == OnnxDataType.Undefined || (int)DataType < 0)
        {
            throw new InvalidDataException($"tensor '{Name}': data_type {(int)DataType} is not a tensor element type.");
        }
        if (StoredValueCount() is { } stored)
        {
            CheckCount(stored, count);
        }
    }

    /// <summary>Whether <see cref="Validate"/> passes, without building its message.</summary>
    public bool IsValid
    {
        get
        {
            long count = 1;
            foreach (long dim in Dims)
            {
                if (dim < 0 || (dim != 0 && count > Array.MaxLength / dim))
                {
                    return false;
                }
                count *= dim;
            }
            if (DataType == OnnxDataType.Undefined || (int)DataType < 0)
            {
                return false;
            }
            int size = DataType switch { OnnxDataType.Float or OnnxDataType.Int32 => 4, OnnxDataType.Double or OnnxDataType.Int64 => 8, _ => 0 };
            return size == 0 || (RawData.Length > 0 ? RawData.Length % size == 0 && RawData.Length / size == count : StoredValueCount() == count);
        }
    }

    /// <summary>The values as floats, converting from double or integer storage when needed.</summary>
    /// <exception cref="InvalidDataException">The tensor is invalid (see <see cref="Validate"/>) or its data type cannot be read as float.</exception>
    public float[] ToFloatArray()
    {
        // Checked before anything is allocated: the result is never larger than the data in the file.
        CheckCount(StoredValueCount() ?? throw Unreadable("float"), ElementCount);
        return DataType switch
        {
            OnnxDataType.Float when RawData.Length > 0 => FromRaw(4, (b) => BinaryPrimitives.ReadSingleLittleEndian(b)),
            OnnxDataType.Float => FloatData.ToArray(),
            OnnxDataType.Double when RawData.Length > 0 => FromRaw(8, (b) => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)),
            OnnxDataType.Double => DoubleData.Select(d => (float)d).ToArray(),
            OnnxDataType.Int64 => ToInt64Array().Select(v => (float)v).ToArray(),
            OnnxDataType.Int32 when RawData.Length > 0 => FromRaw(4, (b) => BinaryPrimitives.ReadInt32LittleEndian(b)),
            OnnxDataType.Int32 => Int32Data.Select(v => (float)v).ToArray(),
            _ => throw Unreadable("float"),
        };
    }

    /// <summary>The values as int64 (shapes and axes), from int64_data, int32_data or raw_data.</summary>
    /// <exception cref="InvalidDataException">The tensor is invalid (see <see cref="Validate"/>) or is not an integer tensor.</exception>
    public long[] ToInt64Array()
    {
        if (DataType is not (OnnxDataType.Int64 or OnnxDataType.Int32))
        {
            throw Unreadable("int64");
        }
        CheckCount(StoredValueCount()!.Value, ElementCount);
        return DataType switch
        {
            OnnxDataType.Int64 when RawData.Length > 0 => FromRawLong(8, b => BinaryPrimitives.ReadInt64LittleEndian(b)),
            OnnxDataType.Int64 => Int64Data.ToArray(),
            OnnxDataType.Int32 when RawData.Length > 0 => FromRawLong(4, b => BinaryPrimitives.ReadInt32LittleEndian(b)),
            _ => Int32Data.Select(v => (long)v).ToArray(),
        };
    }

    /// <summary>How many values the stored data holds, or null for a data type ConvGen does not read.</summary>
    private long? StoredValueCount()
    {
        (int size, int typed) = DataType switch
        {
            OnnxDataType.Float => (4, FloatData.Count),
            OnnxDataType.Double => (8, DoubleData.Count),
            OnnxDataType.Int32 => (4, Int32Data.Count),
            OnnxDataType.Int64 => (8, Int64Data.Count),
            _ => (0, 0),
        };
        if (size == 0)
        {
            return null;
        }
        if (RawData.Length == 0)
        {
            return typed;
        }
        CheckRawLength(size);
        return RawData.Length / size;
    }

    private InvalidDataException Unreadable(string target) => new(
        $"tensor '{Name}': data type {(Enum.IsDefined(DataType) ? DataType.ToString() : $"{(int)DataType} (unknown)")} cannot be read as {target}; ConvGen reads float, double, int32 and int64 tensors.");

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
