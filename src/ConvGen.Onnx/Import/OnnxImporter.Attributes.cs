using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// What each supported operator may carry (inputs, outputs, attributes and their types, from the
/// ONNX operator specs, old opsets included) and the typed, range-checked attribute getters the
/// mappings use. A file is untrusted: an attribute of the wrong type, an unknown attribute, a
/// missing output or a value out of range is reported, never defaulted or cast into range.
/// </summary>
public sealed partial class OnnxImporter
{
    private const OnnxAttributeType TInt = OnnxAttributeType.Int, TInts = OnnxAttributeType.Ints, TFloat = OnnxAttributeType.Float, TString = OnnxAttributeType.String,
        TFloats = OnnxAttributeType.Floats, TStrings = OnnxAttributeType.Strings, TTensor = OnnxAttributeType.Tensor;

    /// <summary>AttributeProto's SPARSE_TENSOR (11), which the model classes keep as a number.</summary>
    private const OnnxAttributeType TSparseTensor = (OnnxAttributeType)11;

    /// <summary>An operator's arity and attribute types.</summary>
    private sealed record OperatorSchema(int MinInputs, int MaxInputs, int MaxOutputs, Dictionary<string, OnnxAttributeType> Attributes);

    private static OperatorSchema Schema(int minInputs, int maxInputs, int maxOutputs, params (string Name, OnnxAttributeType Type)[] attributes) =>
        new(minInputs, maxInputs, maxOutputs, attributes.ToDictionary(a => a.Name, a => a.Type, StringComparer.Ordinal));

    private static readonly (string, OnnxAttributeType)[] WindowAttributeTypes =
        [("auto_pad", TString), ("kernel_shape", TInts), ("pads", TInts), ("strides", TInts), ("dilations", TInts), ("ceil_mode", TInt)];

    /// <summary><c>consumed_inputs</c> is the opset-1 in-place hint of several operators; it has no effect on the result.</summary>
    private static readonly (string, OnnxAttributeType) ConsumedInputs = ("consumed_inputs", TInts);

    private static readonly Dictionary<string, OperatorSchema> Schemas = new(StringComparer.Ordinal)
    {
        ["Conv"] = Schema(2, 3, 1, ("auto_pad", TString), ("kernel_shape", TInts), ("pads", TInts), ("strides", TInts), ("dilations", TInts), ("group", TInt)),
        ["BatchNormalization"] = Schema(5, 5, 5, ("epsilon", TFloat), ("momentum", TFloat), ("spatial", TInt), ("training_mode", TInt), ("is_test", TInt), ConsumedInputs),
        ["Relu"] = Schema(1, 1, 1, ConsumedInputs),
        ["Sigmoid"] = Schema(1, 1, 1, ConsumedInputs),
        ["Tanh"] = Schema(1, 1, 1, ConsumedInputs),
        ["LeakyRelu"] = Schema(1, 1, 1, ("alpha", TFloat), ConsumedInputs),
        ["Elu"] = Schema(1, 1, 1, ("alpha", TFloat), ConsumedInputs),
        ["Softmax"] = Schema(1, 1, 1, ("axis", TInt)),
        ["Add"] = Schema(2, 2, 1, ("axis", TInt), ("broadcast", TInt), ConsumedInputs),
        ["MaxPool"] = Schema(1, 1, 2, [.. WindowAttributeTypes, ("storage_order", TInt)]),
        ["AveragePool"] = Schema(1, 1, 1, [.. WindowAttributeTypes, ("count_include_pad", TInt)]),
        ["GlobalAveragePool"] = Schema(1, 1, 1),
        ["GlobalMaxPool"] = Schema(1, 1, 1),
        ["Flatten"] = Schema(1, 1, 1, ("axis", TInt)),
        ["Reshape"] = Schema(1, 2, 1, ("shape", TInts), ("allowzero", TInt)),
        ["Gemm"] = Schema(2, 3, 1, ("alpha", TFloat), ("beta", TFloat), ("transA", TInt), ("transB", TInt), ("broadcast", TInt)),
        ["MatMul"] = Schema(2, 2, 1),
        ["Dropout"] = Schema(1, 3, 2, ("ratio", TFloat), ("seed", TInt), ("is_test", TInt), ConsumedInputs),
        ["Identity"] = Schema(1, 1, 1),
        ["Transpose"] = Schema(1, 1, 1, ("perm", TInts)),
        ["Pad"] = Schema(1, 4, 1, ("mode", TString), ("pads", TInts), ("value", TFloat)),
        ["HardSigmoid"] = Schema(1, 1, 1, ("alpha", TFloat), ("beta", TFloat), ConsumedInputs),
        ["HardSwish"] = Schema(1, 1, 1),
        ["Mish"] = Schema(1, 1, 1),
        ["Clip"] = Schema(1, 3, 1, ("min", TFloat), ("max", TFloat), ConsumedInputs),
        ["Mul"] = Schema(2, 2, 1, ("axis", TInt), ("broadcast", TInt), ConsumedInputs),
        ["ConvTranspose"] = Schema(2, 3, 1, ("auto_pad", TString), ("kernel_shape", TInts), ("pads", TInts), ("strides", TInts), ("dilations", TInts), ("group", TInt),
            ("output_padding", TInts), ("output_shape", TInts)),
        // Opset 10 takes (X, scales); 11 on (X, roi, scales, sizes); antialias, axes and keep_aspect_ratio_policy are opset 18.
        ["Resize"] = Schema(1, 4, 1, ("mode", TString), ("coordinate_transformation_mode", TString), ("nearest_mode", TString), ("cubic_coeff_a", TFloat),
            ("exclude_outside", TInt), ("extrapolation_value", TFloat), ("antialias", TInt), ("axes", TInts), ("keep_aspect_ratio_policy", TString)),
        ["Concat"] = Schema(1, int.MaxValue, 1, ("axis", TInt)),
        // Opset 1-9 give starts / ends / axes as attributes, 10 on as inputs (with steps).
        ["Slice"] = Schema(1, 5, 1, ("starts", TInts), ("ends", TInts), ("axes", TInts)),
        ["Constant"] = Schema(0, 0, 1, ("value", TTensor), ("value_float", TFloat), ("value_floats", TFloats), ("value_int", TInt), ("value_ints", TInts),
            ("value_string", TString), ("value_strings", TStrings), ("sparse_value", TSparseTensor)),
        ["Shape"] = Schema(1, 1, 1),
        ["InstanceNormalization"] = Schema(3, 3, 1, ("epsilon", TFloat), ConsumedInputs),
        ["GroupNormalization"] = Schema(3, 3, 1, ("epsilon", TFloat), ("num_groups", TInt), ("stash_type", TInt)),
        ["LayerNormalization"] = Schema(2, 3, 3, ("axis", TInt), ("epsilon", TFloat), ("stash_type", TInt)),
        ["ReduceMean"] = Schema(1, 2, 1, ("axes", TInts), ("keepdims", TInt), ("noop_with_empty_axes", TInt)),
        ["Sub"] = Schema(2, 2, 1, ("axis", TInt), ("broadcast", TInt), ConsumedInputs),
        ["Sqrt"] = Schema(1, 1, 1, ConsumedInputs),
        ["Div"] = Schema(2, 2, 1, ("axis", TInt), ("broadcast", TInt), ConsumedInputs),
    };

    /// <summary>
    /// Arity and attributes of <paramref name="node"/> against its operator's schema: at least one
    /// named output (the value the layer defines) that nothing defined before, the required inputs,
    /// no unknown or repeated attribute, each attribute of the type the operator declares.
    /// </summary>
    private void CheckStructure(OnnxNode node)
    {
        OperatorSchema schema = Schemas[node.OpType];
        if (node.Outputs.Count == 0 || node.Outputs[0].Length == 0)
        {
            throw Unsupported("the node has no output; every mapped node must define a value");
        }
        if (node.Outputs.Count > schema.MaxOutputs)
        {
            throw Unsupported($"{node.Outputs.Count} outputs; {node.OpType} has at most {schema.MaxOutputs}");
        }
        foreach (string output in node.Outputs.Where(o => o.Length > 0))
        {
            if (_values.ContainsKey(output) || _initializers.ContainsKey(output) || node.Outputs.Count(o => o == output) > 1)
            {
                throw Unsupported($"output '{output}' is defined twice (ONNX values are assigned once)");
            }
        }
        int given = node.Inputs.Count;
        if (given > schema.MaxInputs)
        {
            throw Unsupported($"{given} inputs; {node.OpType} takes at most {schema.MaxInputs}");
        }
        for (int i = 0; i < schema.MinInputs; i++)
        {
            if (i >= given || node.Inputs[i].Length == 0)
            {
                throw Unsupported($"input {i} is missing; {node.OpType} needs {schema.MinInputs} input(s), found {node.Inputs.Count(n => n.Length > 0)}");
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            if (!seen.Add(attribute.Name))
            {
                throw Unsupported($"attribute '{attribute.Name}' appears twice");
            }
            if (!schema.Attributes.TryGetValue(attribute.Name, out OnnxAttributeType expected))
            {
                string known = schema.Attributes.Count == 0 ? "none" : string.Join(", ", schema.Attributes.Keys.Order(StringComparer.Ordinal));
                throw Unsupported($"attribute '{attribute.Name}' is not an attribute of {node.OpType} (known: {known})");
            }
            if (attribute.Type != expected)
            {
                throw Unsupported($"attribute '{attribute.Name}' has type {TypeName(attribute.Type)}, expected {TypeName(expected)}");
            }
        }
    }

    private static string TypeName(OnnxAttributeType type) =>
        Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : ((int)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>An INT attribute within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    private static long IntAttribute(OnnxNode node, string name, long fallback, long min, long max)
    {
        long value = node.Attribute(name)?.Int ?? fallback;
        if (value < min || value > max)
        {
            throw Unsupported($"attribute '{name}' = {value} is out of range; expected {min}..{max}");
        }
        return value;
    }

    /// <summary>A 0/1 flag attribute.</summary>
    private static bool FlagAttribute(OnnxNode node, string name) => IntAttribute(node, name, 0, 0, 1) == 1;

    /// <summary>A FLOAT attribute that is finite and within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static float FloatAttribute(OnnxNode node, string name, float fallback, float min = float.MinValue, float max = float.MaxValue)
    {
        float value = node.Attribute(name)?.Float ?? fallback;
        if (!float.IsFinite(value) || value < min || value > max)
        {
            string range = min == float.MinValue && max == float.MaxValue ? "a finite number" : $"a finite number in {F(min)}..{F(max)}";
            throw Unsupported($"attribute '{name}' = {F(value)}; expected {range}");
        }
        return value;
    }

    /// <summary>An INTS attribute with exactly <paramref name="count"/> values in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    private static long[]? IntsAttribute(OnnxNode node, string name, int count, long min, long max)
    {
        if (node.Attribute(name) is not { } attribute)
        {
            return null;
        }
        List<long> values = attribute.Ints;
        if (values.Count != count)
        {
            throw Unsupported($"attribute '{name}' = [{Join(values)}] has {values.Count} values; expected {count} (only 2-D windows on [N,C,H,W] are supported)");
        }
        if (values.Any(v => v < min || v > max))
        {
            throw Unsupported($"attribute '{name}' = [{Join(values)}] is out of range; each value must be {min}..{max}");
        }
        return values.ToArray();
    }

    /// <summary>A STRING attribute (UTF-8), or <paramref name="fallback"/> when absent.</summary>
    private static string StringAttribute(OnnxNode node, string name, string fallback) =>
        node.Attribute(name) is { } attribute ? Encoding.UTF8.GetString(attribute.String) : fallback;

    /// <summary>
    /// An axis attribute of a tensor of ONNX rank <paramref name="rank"/>, normalised to 0..rank-1
    /// (negative axes count from the end, as ONNX defines).
    /// </summary>
    private static long AxisAttribute(OnnxNode node, string name, long fallback, int rank) =>
        IntAttribute(node, name, fallback, -rank, rank - 1) is var axis && axis < 0 ? axis + rank : axis;

    /// <summary>ONNX rank of a value: [N,C,H,W] for a spatial map, [N,K] for a vector.</summary>
    private static int OnnxRank(Value x) => x.Squeezed ? 2 : x.Groups > 0 ? 3 : x.Shape.Rank == 3 ? 4 : 2;

    private static string Join(IEnumerable<long> values) => string.Join(",", values);

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
