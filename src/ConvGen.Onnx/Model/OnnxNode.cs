using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx.Model;

/// <summary><c>NodeProto</c>: one operator application.</summary>
public sealed class OnnxNode
{
    /// <summary>Value names consumed (field 1); an empty name marks an omitted optional input.</summary>
    public List<string> Inputs { get; } = new();

    /// <summary>Value names produced (field 2).</summary>
    public List<string> Outputs { get; } = new();

    /// <summary>Field 3 (may be empty).</summary>
    public string Name { get; set; } = "";

    /// <summary>Operator, e.g. <c>Conv</c> (field 4).</summary>
    public string OpType { get; set; } = "";

    /// <summary>Operator domain (field 7); "" is the default ONNX domain.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Field 5.</summary>
    public List<OnnxAttribute> Attributes { get; } = new();

    /// <summary>Field 6.</summary>
    public string DocString { get; set; } = "";

    /// <summary>A readable identity for reports: the name, or the first output when unnamed.</summary>
    public string DisplayName => Name.Length > 0 ? Name : Outputs.FirstOrDefault() ?? "(unnamed)";

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <summary>An <c>INT</c> attribute, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) => Attribute(name)?.Int ?? fallback;

    /// <summary>A <c>FLOAT</c> attribute, or <paramref name="fallback"/> when absent.</summary>
    public float Float(string name, float fallback) => Attribute(name)?.Float ?? fallback;

    /// <summary>A <c>STRING</c> attribute, or <paramref name="fallback"/> when absent.</summary>
    public string String(string name, string fallback) => Attribute(name) is { } a ? System.Text.Encoding.UTF8.GetString(a.String) : fallback;

    /// <summary>An <c>INTS</c> attribute, or null when absent.</summary>
    public IReadOnlyList<long>? Ints(string name) => Attribute(name)?.Ints;

    /// <inheritdoc/>
    public override string ToString() => $"{OpType} '{DisplayName}' ({string.Join(", ", Inputs)} -> {string.Join(", ", Outputs)})";
}

/// <summary><c>AttributeProto</c>. Exactly one value field is meaningful, selected by <see cref="Type"/>.</summary>
public sealed class OnnxAttribute
{
    /// <summary>Field 1.</summary>
    public string Name { get; set; } = "";

    /// <summary>Field 20.</summary>
    public OnnxAttributeType Type { get; set; }

    /// <summary><c>f</c>, field 2.</summary>
    public float Float { get; set; }

    /// <summary><c>i</c>, field 3.</summary>
    public long Int { get; set; }

    /// <summary><c>s</c>, field 4 (bytes; usually UTF-8).</summary>
    public byte[] String { get; set; } = Array.Empty<byte>();

    /// <summary><c>t</c>, field 5.</summary>
    public OnnxTensor? Tensor { get; set; }

    /// <summary><c>g</c>, field 6 (sub-graphs of If/Loop; read but not interpreted).</summary>
    public OnnxGraph? Graph { get; set; }

    /// <summary><c>floats</c>, field 7.</summary>
    public List<float> Floats { get; } = new();

    /// <summary><c>ints</c>, field 8.</summary>
    public List<long> Ints { get; } = new();

    /// <summary><c>strings</c>, field 9.</summary>
    public List<byte[]> Strings { get; } = new();

    /// <summary><c>tensors</c>, field 10.</summary>
    public List<OnnxTensor> Tensors { get; } = new();

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute FromInt(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, Int = value };

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute FromFloat(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, Float = value };

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute FromInts(string name, params long[] values)
    {
        var attribute = new OnnxAttribute { Name = name, Type = OnnxAttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
