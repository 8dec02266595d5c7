using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// GroupNormalization and LayerNormalization: the ONNX operators (GroupNormalization of opset 18
/// with per-group and of opset 21 with per-channel scale, LayerNormalization of opset 17 over
/// the channels), and the decompositions ConvGen's export writes — Reshape to [N,groups,-1],
/// InstanceNormalization, Reshape back; ReduceMean, Sub, Mul, ReduceMean, Add epsilon, Sqrt,
/// Div over axis 1 — followed by a Mul and an Add of per-channel constants (gamma and beta).
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>Nodes mapped as part of a pattern an earlier node started; the main loop skips them.</summary>
    private readonly HashSet<OnnxNode> _absorbed = new();

    /// <summary>Nodes reading each value (built on first use, linear in the graph).</summary>
    private Dictionary<string, List<OnnxNode>>? _readers;

    private List<OnnxNode> Readers(string value)
    {
        if (_readers is null)
        {
            _readers = new Dictionary<string, List<OnnxNode>>(StringComparer.Ordinal);
            foreach (OnnxNode node in _model.Graph.Nodes)
            {
                foreach (string input in node.Inputs.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
                {
                    if (!_readers.TryGetValue(input, out List<OnnxNode>? list))
                    {
                        _readers[input] = list = new List<OnnxNode>();
                    }
                    list.Add(node);
                }
            }
        }
        return _readers.TryGetValue(value, out List<OnnxNode>? readers) ? readers : [];
    }

    /// <summary>Reshape of a map [N,C,H,W] or vector [N,C] to [N,groups,rest]: the first step of the GroupNormalization decomposition.</summary>
    private void MapGrouping(OnnxNode node, Value x, long[] dims, long[] target)
    {
        long groups = dims[1];
        if (x.ChannelsLast || x.Squeezed || x.Shape.Channels % groups != 0)
        {
            throw Unsupported($"reshape of {x.Shape}{(x.ChannelsLast ? " (NHWC)" : "")} to [{Join(target)}]; a rank-3 target is only supported as [N,groups,-1] "
                + "of an NCHW map or a vector with the groups dividing the channels (a GroupNormalization decomposition)");
        }
        _values[node.Outputs[0]] = x with { Groups = (int)groups };
    }

    /// <summary>Reshape to the Shape of a value: back from [N,groups,rest] to the shape that value has, or a no-op.</summary>
    private void MapReshapeToShapeOf(OnnxNode node, Value x, Value shape)
    {
        if (shape.Groups > 0 || shape.Shape != x.Shape || shape.ChannelsLast != x.ChannelsLast || shape.Squeezed != x.Squeezed)
        {
            throw Unsupported($"reshape to the shape of a {shape.Shape} value, from {x.Shape}; only restoring the shape a grouped tensor had is supported");
        }
        _values[node.Outputs[0]] = x with { Groups = 0 };
    }

    private void MapShape(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (_model.Graph.Outputs.Any(o => o.Name == node.Outputs[0]))
        {
            throw Unsupported("a shape as the graph output; ConvGen networks output the values of their last layer");
        }
        _values[node.Outputs[0]] = x with { ShapeOf = true };
    }

    /// <summary>
    /// InstanceNormalization normalises each (sample, axis-1 entry) over the rest: on [N,groups,rest]
    /// that is a GroupNormalization, on an NCHW map one with a group per channel. Its per-entry
    /// scale and bias become per-channel gamma and beta.
    /// </summary>
    private void MapInstanceNormalization(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (x.Groups == 0)
        {
            RequireSpatial(x);
        }
        int groups = x.Groups > 0 ? x.Groups : x.Shape.Channels;
        float epsilon = FloatAttribute(node, "epsilon", 1e-5f, float.Epsilon, 1f);
        float[] scale = Initializer(node, 1, "scale").ToFloatArray();
        float[] bias = Initializer(node, 2, "B (bias)").ToFloatArray();
        CheckLength(scale, groups, "scale");
        CheckLength(bias, groups, "B (bias)");
        AddNormalization(node, x, ImportedLayerKind.GroupNormalization, groups, epsilon, PerChannel(scale, x.Shape.Channels), PerChannel(bias, x.Shape.Channels));
    }

    /// <summary>ONNX GroupNormalization (NCHW): scale and bias per group before opset 21, per channel from 21 on.</summary>
    private void MapGroupNormalization(OnnxNode node)
    {
        Value x = Input(node, 0);
        int channels = x.Shape.Channels;
        long groups = node.Attribute("num_groups") is null ? throw Unsupported("attribute 'num_groups' is required") : IntAttribute(node, "num_groups", 1, 1, MaxDimension);
        if (channels % groups != 0)
        {
            throw Unsupported($"num_groups = {groups} does not divide the {channels} channels of {x.Shape}");
        }
        float epsilon = FloatAttribute(node, "epsilon", 1e-5f, float.Epsilon, 1f);
        IntAttribute(node, "stash_type", 1, 1, 1);
        int perEntry = _model.DefaultOpsetVersion >= 21 ? channels : (int)groups;
        float[] scale = Initializer(node, 1, "scale").ToFloatArray();
        float[] bias = Initializer(node, 2, "bias").ToFloatArray();
        string unit = perEntry == channels ? "one per channel (opset 21)" : "one per group (opset 18)";
        if (scale.Length != perEntry || bias.Length != perEntry)
        {
            throw Unsupported($"scale has {scale.Length} and bias {bias.Length} values; expected {perEntry}, {unit}");
        }
        AddNormalization(node, x, ImportedLayerKind.GroupNormalization, (int)groups, epsilon, PerChannel(scale, channels), PerChannel(bias, channels));
    }

    /// <summary>
    /// ONNX LayerNormalization normalises axes [axis, rank): ConvGen's normalises each position's
    /// channels, which is the same on a vector, on an NHWC map with the last axis, and on an
    /// NCHW [N,C,1,1] from axis 1.
    /// </summary>
    private void MapLayerNormalization(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (node.Outputs.Skip(1).Any(o => o.Length > 0))
        {
            throw Unsupported("the Mean and InvStdDev outputs (training) are not supported");
        }
        int rank = OnnxRank(x);
        long axis = AxisAttribute(node, "axis", -1, rank);
        bool overChannels = x.Shape.Rank == 1 || x.Squeezed ? axis == 1
            : x.ChannelsLast ? axis == 3
            : axis == 1 && x.Shape.Height * x.Shape.Width == 1;
        if (!overChannels)
        {
            throw Unsupported($"axis = {node.Attribute("axis")?.Int ?? -1} normalises axes {axis}..{rank - 1} of {(x.ChannelsLast ? "NHWC" : "NCHW")} {x.Shape}; "
                + "ConvGen's LayerNormalization normalises each position's channels (last axis of NHWC, axis 1 of [N,C] or [N,C,1,1])");
        }
        float epsilon = FloatAttribute(node, "epsilon", 1e-5f, float.Epsilon, 1f);
        IntAttribute(node, "stash_type", 1, 1, 1);
        int channels = x.Shape.Channels;
        float[] scale = Initializer(node, 1, "scale").ToFloatArray();
        CheckLength(scale, channels, "scale");
        float[] bias = HasInput(node, 2) ? Initializer(node, 2, "B (bias)").ToFloatArray() : new float[channels];
        CheckLength(bias, channels, "B (bias)");
        AddNormalization(node, x, ImportedLayerKind.LayerNormalization, 1, epsilon, scale, bias);
    }

    /// <summary>The normalisation layer with gamma and beta; the output keeps the input's ONNX form (grouped, NHWC, flattened).</summary>
    private void AddNormalization(OnnxNode node, Value x, ImportedLayerKind kind, int groups, float epsilon, float[] gamma, float[] beta)
    {
        string name = NewLayerName(node, kind == ImportedLayerKind.GroupNormalization ? "group_normalization" : "layer_normalization");
        AddWeight(name + ".gamma", gamma, gamma.Length);
        AddWeight(name + ".beta", beta, beta.Length);
        AddLayer(node, new ImportedLayer(name, kind, [x.Layer], x.Shape, x.Shape, [Describe(node)]) { Units = groups, Epsilon = epsilon });
        _values[node.Outputs[0]] = x with { Layer = name, FlattenedFrom = null };
    }

    private static float[] PerChannel(float[] perGroup, int channels)
    {
        int width = channels / perGroup.Length;
        var result = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            result[c] = perGroup[c / width];
        }
        return result;
    }

    /// <summary>
    /// ReduceMean over the channel axis that starts ConvGen's LayerNormalization decomposition:
    /// the whole pattern is matched here (each intermediate read only inside it) and becomes one
    /// layer; its other nodes are skipped by the main loop. Anything else is refused.
    /// </summary>
    private void MapReduceMean(OnnxNode mean)
    {
        Value x = Input(mean, 0);
        RequireChannelMean(mean, x);
        OnnxNode center = SoleReader(mean, mean.Outputs[0], "Sub", n => n.Inputs.SequenceEqual([mean.Inputs[0], mean.Outputs[0]]));
        string centered = center.Outputs[0];
        List<OnnxNode> readers = Readers(centered);
        OnnxNode square = readers.FirstOrDefault(n => n.OpType == "Mul" && n.Inputs.SequenceEqual([centered, centered]))
            ?? throw NotLayerNorm(mean, $"no Mul squaring '{centered}'");
        OnnxNode variance = SoleReader(mean, square.Outputs[0], "ReduceMean", n => true);
        RequireChannelMean(variance, x);
        OnnxNode addEpsilon = SoleReader(mean, variance.Outputs[0], "Add", n => n.Inputs.Count == 2 && n.Inputs.Contains(variance.Outputs[0]));
        string epsilonName = addEpsilon.Inputs[0] == variance.Outputs[0] ? addEpsilon.Inputs[1] : addEpsilon.Inputs[0];
        float[] epsilon = _initializers.TryGetValue(epsilonName, out OnnxTensor? e) && e.ElementCount == 1 ? e.ToFloatArray() : throw NotLayerNorm(mean, $"'{epsilonName}' added to the variance is not a constant scalar");
        if (!float.IsFinite(epsilon[0]) || epsilon[0] <= 0 || epsilon[0] > 1)
        {
            throw NotLayerNorm(mean, $"epsilon {F(epsilon[0])} is not in (0, 1]");
        }
        OnnxNode sqrt = SoleReader(mean, addEpsilon.Outputs[0], "Sqrt", n => true);
        OnnxNode divide = SoleReader(mean, sqrt.Outputs[0], "Div", n => n.Inputs.SequenceEqual([centered, sqrt.Outputs[0]]));
        if (readers.Count != 2 || !readers.Contains(divide) || _consumers.GetValueOrDefault(centered) != 3)
        {
            throw NotLayerNorm(mean, $"'{centered}' is read outside the pattern");
        }
        OnnxNode[] rest = [center, square, variance, addEpsilon, sqrt, divide];
        foreach (OnnxNode n in rest)
        {
            CheckStructure(n);
        }
        _absorbed.UnionWith(rest);
        int channels = x.Shape.Channels;
        var gamma = new float[channels];
        Array.Fill(gamma, 1f);
        // The layer defines the Div's output; the mean itself is read only by the Sub (checked above).
        AddNormalization(divide, x, ImportedLayerKind.LayerNormalization, 1, epsilon[0], gamma, new float[channels]);
        ImportedLayer layer = _layers[^1];
        _layers[^1] = layer with { SourceNodes = [Describe(mean), .. rest.Select(Describe)] };
    }

    private void RequireChannelMean(OnnxNode node, Value x)
    {
        if (FlagAttribute(node, "noop_with_empty_axes"))
        {
            throw Unsupported("noop_with_empty_axes = 1 is not supported");
        }
        if (IntAttribute(node, "keepdims", 1, 0, 1) != 1)
        {
            throw NotLayerNorm(node, "keepdims = 0");
        }
        long[] axes = HasInput(node, 1) ? Initializer(node, 1, "axes").ToInt64Array() : node.Ints("axes")?.ToArray() ?? [];
        int rank = OnnxRank(x);
        long channelAxis = x.ChannelsLast ? 3 : 1;
        if (axes is not [var axis] || (axis < 0 ? axis + rank : axis) != channelAxis || x.Groups > 0 || (x.Squeezed && channelAxis != 1))
        {
            throw NotLayerNorm(node, $"axes [{Join(axes)}] of {(x.ChannelsLast ? "NHWC" : "NCHW")} {x.Shape}; only the channel axis ({channelAxis}) is supported");
        }
    }

    /// <summary>The one node reading <paramref name="value"/>, of the given operator and form; nothing else may read it.</summary>
    private OnnxNode SoleReader(OnnxNode start, string value, string opType, Func<OnnxNode, bool> form)
    {
        List<OnnxNode> readers = Readers(value);
        if (readers is not [{ } reader] || reader.OpType != opType || !form(reader) || _consumers.GetValueOrDefault(value) != 1 || reader.Domain is not ("" or "ai.onnx"))
        {
            throw NotLayerNorm(start, $"'{value}' is not read by exactly one {opType} of the pattern");
        }
        return reader;
    }

    private static UnsupportedNodeException NotLayerNorm(OnnxNode start, string detail) =>
        Unsupported($"ReduceMean is only supported as the start of a LayerNormalization decomposition over the channel axis "
            + $"(ReduceMean, Sub, Mul, ReduceMean, Add epsilon, Sqrt, Div): {detail}");

    /// <summary>Sub, Sqrt and Div exist only inside the LayerNormalization decomposition, which its ReduceMean maps.</summary>
    private static void RefuseOutsideLayerNorm(OnnxNode node) =>
        throw Unsupported($"{node.OpType} is only supported inside a LayerNormalization decomposition (ReduceMean, Sub, Mul, ReduceMean, Add epsilon, Sqrt, Div)");

    /// <summary>
    /// Mul or Add of a per-channel constant right after a normalisation layer: its gamma and beta
    /// (y = gamma·x̂ + beta, so a scale multiplies both, a shift adds to beta). Returns false when
    /// neither operand is a constant.
    /// </summary>
    private bool TryFoldIntoNormalization(OnnxNode node)
    {
        bool constantA = _initializers.ContainsKey(node.Inputs[0]);
        bool constantB = node.Inputs.Count > 1 && _initializers.ContainsKey(node.Inputs[1]);
        if (constantA == constantB)
        {
            return false;
        }
        int computed = constantA ? 1 : 0;
        Value x = Input(node, computed);
        ImportedLayer? last = _layers.Count > 0 ? _layers[^1] : null;
        if (last is not { Kind: ImportedLayerKind.GroupNormalization or ImportedLayerKind.LayerNormalization } || last.Name != x.Layer || x.Groups > 0
            || !HasSingleConsumer(node.Inputs[computed]))
        {
            if (node.OpType == "Add")
            {
                return false; // MatMul + bias, checked there
            }
            throw Unsupported("multiplying by a constant is only supported as the gamma of a preceding GroupNormalization or LayerNormalization");
        }
        OnnxTensor constant = Initializer(node, 1 - computed, node.OpType == "Mul" ? "gamma" : "beta");
        int channels = x.Shape.Channels;
        int channelAxis = x.Squeezed || x.Shape.Rank == 1 ? 1 : x.ChannelsLast ? 3 : 1;
        int rank = OnnxRank(x);
        // Right-aligned broadcasting: every dim 1 except the one that lines up with the channel axis.
        bool alongChannels = constant.Dims.Count <= rank && constant.Dims.Select((d, i) => (d, axis: rank - constant.Dims.Count + i))
            .All(p => p.d == 1 || (p.axis == channelAxis && p.d == channels));
        if (!alongChannels || (constant.ElementCount != 1 && constant.ElementCount != channels))
        {
            throw Unsupported($"constant '{constant.Name}' [{Join(constant.Dims)}] does not broadcast along the {channels} channels of {x.Shape} (axis {channelAxis})");
        }
        float[] values = constant.ToFloatArray();
        float[] gamma = _weights.Last(w => w.Name == last.Name + ".gamma").Data;
        float[] beta = _weights.Last(w => w.Name == last.Name + ".beta").Data;
        var newGamma = (float[])gamma.Clone();
        var newBeta = (float[])beta.Clone();
        for (int c = 0; c < channels; c++)
        {
            float v = values[values.Length == 1 ? 0 : c];
            if (node.OpType == "Mul")
            {
                newGamma[c] *= v;
                newBeta[c] *= v;
            }
            else
            {
                newBeta[c] += v;
            }
        }
        if (newGamma.Concat(newBeta).FirstOrDefault(v => !float.IsFinite(v), 0f) is var bad && !float.IsFinite(bad))
        {
            throw Unsupported($"folding constant '{constant.Name}' into gamma and beta of '{last.Name}' gives {F(bad)}; the weights must stay finite");
        }
        newGamma.CopyTo(gamma, 0);
        newBeta.CopyTo(beta, 0);
        _layers[^1] = last with { SourceNodes = [.. last.SourceNodes, Describe(node)] };
        _values[node.Outputs[0]] = x;
        return true;
    }
}
