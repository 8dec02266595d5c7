using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Squeeze-and-excitation branches and Reshape. ONNX's global pools keep <c>[N,C,1,1]</c>; when
/// that value goes on to gate a map (a Mul, a 1x1 Conv, or a Reshape back to <c>[N,C,1,1]</c>
/// after a Gemm) the pool becomes a kept-rank <c>GlobalAvgPool2D(KeepDims = true)</c>, a Gemm or
/// a 1x1 Conv on the <c>[1,1,C]</c> map a Dense on that map, and the flatten / reshape pairs
/// around a Gemm add no layer. Other pools stay <c>[C]</c> vectors as before.
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>Graph values whose consumers (through flatten, Gemm, activations, bias) need a map; computed once, in one backward pass.</summary>
    private HashSet<string>? _feedsMap;

    private static readonly HashSet<string> MapChainOperators = new(StringComparer.Ordinal)
    {
        "Identity", "Dropout", "Flatten", "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu",
        "HardSigmoid", "HardSwish", "Mish", "Clip",
    };

    /// <summary>Operators that cannot read a [1,1,C] map that ONNX holds flattened to [N,C].</summary>
    private static readonly HashSet<string> NeedsImageLayout = new(StringComparer.Ordinal)
    {
        "Conv", "Pad", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Transpose", "BatchNormalization",
        "InstanceNormalization", "GroupNormalization",
    };

    /// <summary>
    /// Whether <paramref name="value"/> reaches a Mul, a Conv or a Reshape to <c>[N,C,1,1]</c>
    /// through operators that keep a squeeze-and-excitation branch. Nodes are in topological order
    /// (the import requires it), so one pass from the end settles every value: linear time.
    /// </summary>
    private bool FeedsMap(string value)
    {
        if (_feedsMap is null)
        {
            _feedsMap = new HashSet<string>(StringComparer.Ordinal);
            List<OnnxNode> nodes = _model.Graph.Nodes;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                OnnxNode n = nodes[i];
                if (n.Inputs.Count == 0 || n.Inputs[0].Length == 0)
                {
                    continue;
                }
                bool continues = n.Outputs.Count > 0 && _feedsMap.Contains(n.Outputs[0]);
                bool feeds = n.OpType switch
                {
                    "Mul" or "Conv" => true,
                    "Reshape" => continues || ConstantTarget(n) is [_, > 0, 1, 1],
                    _ => continues && MapChainOperators.Contains(n.OpType),
                };
                if (feeds)
                {
                    _feedsMap.Add(n.Inputs[0]);
                }
                if (n.OpType == "Mul" && n.Inputs.Count > 1)
                {
                    _feedsMap.Add(n.Inputs[1]);
                }
            }
        }
        return _feedsMap.Contains(value);
    }

    /// <summary>A Reshape's constant target when it is a small valid int64 initializer (read before the node is mapped, so never trusted beyond that).</summary>
    private long[]? ConstantTarget(OnnxNode reshape)
    {
        if (reshape.Inputs.Count < 2 || !_initializers.TryGetValue(reshape.Inputs[1], out OnnxTensor? target)
            || target.Dims.Count != 1 || target.ElementCount is < 1 or > 8 || !target.IsValid)
        {
            return null;
        }
        try
        {
            return target.ToInt64Array();
        }
        catch (System.IO.InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Values in ONNX forms (flattened [1,1,C] maps, shapes of values) reach only the operators that understand them.</summary>
    private void CheckSpecialForms(OnnxNode node)
    {
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            if (!_values.TryGetValue(node.Inputs[i], out Value? v))
            {
                continue;
            }
            if (v.ShapeOf && !(node.OpType == "Reshape" && i == 1))
            {
                throw Unsupported($"input {i} '{node.Inputs[i]}' is the output of a Shape node; it is only supported as the target of a Reshape");
            }
            if (v.Groups > 0 && node.OpType is not ("InstanceNormalization" or "Reshape" or "Identity"))
            {
                throw Unsupported($"input {i} '{node.Inputs[i]}' is a tensor reshaped to [N,{v.Groups},-1]; only InstanceNormalization and a Reshape back may follow it (a GroupNormalization decomposition)");
            }
            if (v.Squeezed && NeedsImageLayout.Contains(node.OpType))
            {
                throw Unsupported($"input {i} '{node.Inputs[i]}' is the flattened [N,{v.Shape.Channels}] form of a [1,1,{v.Shape.Channels}] map; {node.OpType} needs [N,C,H,W] (Reshape to [N,{v.Shape.Channels},1,1] first)");
            }
        }
        if (node.OpType is "Mul" or "Add" && node.Inputs.Count == 2 && _values.TryGetValue(node.Inputs[0], out Value? a)
            && _values.TryGetValue(node.Inputs[1], out Value? b) && a.Squeezed != b.Squeezed)
        {
            throw Unsupported($"operands '{node.Inputs[0]}' and '{node.Inputs[1]}' mix a flattened [N,C] tensor with an [N,C,H,W] one; ONNX would broadcast them along the wrong axes");
        }
    }

    /// <summary>A global pool: a [C] vector, or a kept-rank [1,1,C] map when a squeeze-and-excitation branch follows.</summary>
    private void MapGlobalPool(OnnxNode node, ImportedLayerKind kind)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        string name = NewLayerName(node, kind == ImportedLayerKind.GlobalAvgPool2D ? "global_avg_pool" : "global_max_pool");
        bool keep = FeedsMap(node.Outputs[0]);
        TensorShape output = keep ? TensorShape.Spatial(1, 1, x.Shape.Channels) : TensorShape.Vector(x.Shape.Channels);
        AddLayer(node, new ImportedLayer(name, kind, [x.Layer], x.Shape, output, [Describe(node)]) { KeepDims = keep });
        _values[node.Outputs[0]] = _values[node.Outputs[0]] with { KeptRank = keep };
    }

    /// <summary>A 1x1 Conv (no padding) on a kept-rank [1,1,C] map is a Dense on that map, as ConvGen declares squeeze-and-excitation.</summary>
    private bool TryMapConvAsDense(OnnxNode node, Value x, OnnxTensor w)
    {
        if (!x.KeptRank || x.Shape.Rank != 3 || x.Shape.Height != 1 || x.Shape.Width != 1 || w.Dims is not [_, _, 1, 1])
        {
            return false;
        }
        int[] dims = WeightDims(w, "weight", 4, "OIHW");
        int units = dims[0];
        if (dims[1] != x.Shape.Channels)
        {
            throw Unsupported($"weight '{w.Name}' expects {dims[1]} input channels but the input {x.Shape} has {x.Shape.Channels}");
        }
        if (ReadWindow(node, x.Shape, 1, 1, allowDilation: true).HasPadding)
        {
            return false;
        }
        string name = NewLayerName(node, "dense");
        AddWeight(name + ".weight", WeightLayouts.OihwToHwio(w.ToFloatArray(), units, dims[1], 1, 1), dims[1], units);
        bool useBias = HasInput(node, 2);
        if (useBias)
        {
            float[] bias = Initializer(node, 2, "bias").ToFloatArray();
            CheckLength(bias, units, "bias");
            AddWeight(name + ".bias", bias, units);
        }
        AddLayer(node, new ImportedLayer(name, ImportedLayerKind.Dense, [x.Layer], x.Shape, TensorShape.Spatial(1, 1, units), [Describe(node)])
        {
            Units = units,
            UseBias = useBias,
        });
        _values[node.Outputs[0]] = _values[node.Outputs[0]] with { KeptRank = true };
        return true;
    }

    /// <summary>
    /// A Reshape that is neither a flatten nor a grouping: to a 4-D target it is ConvGen's
    /// channels-last Reshape when ONNX holds the input channels-last (a vector, or a map
    /// transposed to NHWC, as ConvGen exports it), or adds no layer when it only restores a
    /// flattened [1,1,C] map to [N,C,1,1]. A channels-first map reshaped in place would need its
    /// values reordered and is refused.
    /// </summary>
    private void MapReshapeToTarget(OnnxNode node, Value x, long[] target)
    {
        long[] dims = ResolveTarget(x, target);
        if (dims.Length == 3)
        {
            MapGrouping(node, x, dims, target);
            return;
        }
        if (dims.Length != 4)
        {
            throw Unsupported($"reshape to [{Join(target)}]; only [N,-1] (flatten), [N,H,W,C] (ConvGen's Reshape through NHWC), [N,C,1,1] and [N,groups,-1] are supported");
        }
        int a = (int)dims[1], b = (int)dims[2], c = (int)dims[3];
        if (x.Squeezed)
        {
            if ((a, b, c) != (x.Shape.Channels, 1, 1))
            {
                throw Unsupported($"reshape of the flattened [1,1,{x.Shape.Channels}] map to [{Join(target)}]; only back to [N,{x.Shape.Channels},1,1] is supported");
            }
            _values[node.Outputs[0]] = x with { Squeezed = false };
            return;
        }
        if (x.Shape.Rank == 1 && b == 1 && c == 1)
        {
            // [N,K] to [N,K,1,1]: the same values as ConvGen's [1,1,K] map.
            AddReshapeLayer(node, x, TensorShape.Spatial(1, 1, a), channelsLast: false);
            return;
        }
        if (x.Shape.Rank == 1 || x.ChannelsLast)
        {
            AddReshapeLayer(node, x, TensorShape.Spatial(a, b, c), channelsLast: true);
            return;
        }
        if (x.Shape.Height * x.Shape.Width == 1 && (a, b, c) == (x.Shape.Channels, 1, 1))
        {
            _values[node.Outputs[0]] = x;
            return;
        }
        throw Unsupported($"reshape of the NCHW map {x.Shape} to [{Join(target)}]: ONNX reshapes in channels-first order, ConvGen's Reshape in channels-last order; "
            + "only Transpose to NHWC, Reshape to [N,H,W,C], Transpose back (as ConvGen exports a Reshape) is supported");
    }

    private void AddReshapeLayer(OnnxNode node, Value x, TensorShape output, bool channelsLast)
    {
        AddLayer(node, new ImportedLayer(NewLayerName(node, "reshape"), ImportedLayerKind.Reshape, [x.Layer], x.Shape, output, [Describe(node)]));
        _values[node.Outputs[0]] = _values[node.Outputs[0]] with { ChannelsLast = channelsLast, KeptRank = !channelsLast };
    }

    /// <summary>
    /// A Reshape target with 0 (copy the input's dimension) and one -1 (the rest) resolved against
    /// the input's ONNX dims; the batch entry must be 0, 1 or -1 and every other entry positive,
    /// multiplying to the values per sample.
    /// </summary>
    private static long[] ResolveTarget(Value x, long[] target)
    {
        if (target.Length is < 2 or > 4)
        {
            throw Unsupported($"reshape to [{Join(target)}]: a rank-{target.Length} target is not supported (2 to 4 dims)");
        }
        long[] input = x.Squeezed || x.Shape.Rank == 1 ? [0, x.Shape.Channels]
            : x.ChannelsLast ? [0, x.Shape.Height, x.Shape.Width, x.Shape.Channels]
            : [0, x.Shape.Channels, x.Shape.Height, x.Shape.Width];
        if (target[0] is not (0 or 1 or -1))
        {
            throw Unsupported($"reshape to [{Join(target)}] changes the batch axis; its first entry must be 0, 1 or -1");
        }
        var dims = new long[target.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 1; i < target.Length; i++)
        {
            long d = target[i] == 0 && i < input.Length ? input[i] : target[i];
            if (d == -1 && inferred < 0 && target[0] != -1)
            {
                inferred = i;
                continue;
            }
            if (d < 1 || d > MaxElementsPerSample)
            {
                throw Unsupported($"reshape to [{Join(target)}]: entry {i} = {target[i]} is not a size of 1..{MaxElementsPerSample} (one -1 at most, outside the batch entry)");
            }
            known = Math.Min(known * d, MaxElementsPerSample + 1);
            dims[i] = d;
        }
        long length = x.Shape.Length;
        if (inferred >= 0)
        {
            dims[inferred] = length / known;
        }
        if (known > length || (inferred >= 0 ? length % known != 0 : known != length))
        {
            throw Unsupported($"reshape to [{Join(target)}] does not hold the {length} values per sample of {x.Shape}");
        }
        return dims;
    }
}
