using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx.Model;

/// <summary>
/// <c>ValueInfoProto</c> restricted to tensor types: name (field 1) and
/// <c>TypeProto.tensor_type</c> (field 2 → field 1) with element type and shape.
/// </summary>
public sealed class OnnxValueInfo
{
    /// <summary>Field 1.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>TypeProto.Tensor.elem_type</c>.</summary>
    public OnnxDataType ElementType { get; set; }

    /// <summary><c>TypeProto.Tensor.shape</c> dimensions, or null when the shape is unknown.</summary>
    public List<OnnxDimension>? Shape { get; set; }

    /// <summary>Field 3.</summary>
    public string DocString { get; set; } = "";

    /// <summary>A float tensor of fixed dimensions.</summary>
    public static OnnxValueInfo FloatTensor(string name, params long[] dims) => new()
    {
        Name = name,
        ElementType = OnnxDataType.Float,
        Shape = dims.Select(d => new OnnxDimension(d, null)).ToList(),
    };

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {ElementType}[{(Shape is null ? "?" : string.Join(",", Shape.Select(d => d.ToString())))}]";
}

/// <summary><c>TensorShapeProto.Dimension</c>: a fixed value (field 1) or a symbolic name (field 2).</summary>
public sealed record OnnxDimension(long? Value, string? Parameter)
{
    /// <inheritdoc/>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Parameter ?? "?";
}
