using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>One mapping per ONNX operator.</summary>
public sealed partial class OnnxImporter
{
    private void MapNode(OnnxNode node)
    {
        CheckSpecialForms(node);
        // LayerNormalization over the last axis of NHWC, and its gamma / beta constants, read an NHWC map as it is.
        bool layoutNeutral = node.OpType is "Transpose" or "Flatten" or "Reshape" or "Identity" or "Dropout" or "LayerNormalization" or "ReduceMean"
            || (node.OpType is "Mul" or "Add" && node.Inputs.Any(_initializers.ContainsKey));
        if (!layoutNeutral && node.Inputs.Any(i => _values.TryGetValue(i, out Value? v) && v.ChannelsLast && v.Shape.Rank == 3))
        {
            throw Unsupported("its input is an NHWC (transposed) tensor; only Transpose back to NCHW or Flatten may follow one");
        }
        switch (node.OpType)
        {
            case "Transpose": MapTranspose(node); break;
            case "Conv": MapConv(node); break;
            case "Pad": MapPad(node); break;
            case "BatchNormalization": MapBatchNorm(node); break;
            case "Relu": MapActivation(node, Activation.Relu, double.NaN); break;
            case "Sigmoid": MapActivation(node, Activation.Sigmoid, double.NaN); break;
            case "Tanh": MapActivation(node, Activation.Tanh, double.NaN); break;
            case "LeakyRelu": MapActivation(node, Activation.LeakyRelu, AlphaUnlessDefault(node, 0.01f)); break;
            case "Elu": MapActivation(node, Activation.Elu, AlphaUnlessDefault(node, 1.0f)); break;
            case "Softmax": MapSoftmax(node); break;
            case "HardSigmoid": MapHardSigmoid(node); break;
            case "HardSwish": MapActivation(node, Activation.HardSwish, double.NaN); break;
            case "Mish": MapActivation(node, Activation.Mish, double.NaN); break;
            case "Clip": MapClip(node); break;
            case "Mul": MapMultiply(node); break;
            case "Add": MapAdd(node); break;
            case "MaxPool": MapPool(node, ImportedLayerKind.MaxPool2D); break;
            case "AveragePool": MapPool(node, ImportedLayerKind.AvgPool2D); break;
            case "GlobalAveragePool": MapGlobalPool(node, ImportedLayerKind.GlobalAvgPool2D); break;
            case "GlobalMaxPool": MapGlobalPool(node, ImportedLayerKind.GlobalMaxPool2D); break;
            case "Flatten": MapFlatten(node, axis: AxisAttribute(node, "axis", 1, OnnxRank(Input(node, 0)))); break;
            case "Reshape": MapReshape(node); break;
            case "Gemm": MapGemm(node); break;
            case "MatMul": MapMatMul(node); break;
            case "ConvTranspose": MapConvTranspose(node); break;
            case "Resize": MapResize(node); break;
            case "Concat": MapConcat(node); break;
            case "Slice": MapSlice(node); break;
            case "Constant": MapConstant(node); break;
            case "Dropout":
                // Inference graph: Dropout passes its input through.
                FloatAttribute(node, "ratio", 0.5f, 0f, 1f);
                FlagAttribute(node, "is_test");
                _values[node.Outputs[0]] = Input(node, 0);
                break;
            case "Identity":
                _values[node.Outputs[0]] = Input(node, 0);
                break;
            case "Shape": MapShape(node); break;
            case "InstanceNormalization": MapInstanceNormalization(node); break;
            case "GroupNormalization": MapGroupNormalization(node); break;
            case "LayerNormalization": MapLayerNormalization(node); break;
            case "ReduceMean": MapReduceMean(node); break;
            case "Sub" or "Sqrt" or "Div": RefuseOutsideLayerNorm(node); break;
            default: throw Unsupported("operator not supported");
        }
    }

    /// <summary>Only the two layout changes between NCHW and NHWC; they add no layer.</summary>
    private void MapTranspose(OnnxNode node)
    {
        Value x = Input(node, 0);
        IReadOnlyList<long>? perm = node.Ints("perm");
        bool toChannelsFirst = x.ChannelsLast && perm is [0, 3, 1, 2];
        bool toChannelsLast = !x.ChannelsLast && x.Shape.Rank == 3 && perm is [0, 2, 3, 1];
        if (!toChannelsFirst && !toChannelsLast)
        {
            throw Unsupported($"perm [{string.Join(",", perm ?? [])}]; only NHWC <-> NCHW transposes of a spatial map are supported");
        }
        _values[node.Outputs[0]] = x with { ChannelsLast = toChannelsLast };
    }

    private static double AlphaUnlessDefault(OnnxNode node, float onnxDefault)
    {
        float alpha = FloatAttribute(node, "alpha", onnxDefault);
        return alpha == onnxDefault ? double.NaN : alpha;
    }

    private void MapConv(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        OnnxTensor w = Initializer(node, 1, "weight");
        long group = IntAttribute(node, "group", 1, long.MinValue, long.MaxValue);
        if (group != 1)
        {
            MapDepthwiseConv(node, x, w, group);
            return;
        }
        if (TryMapConvAsDense(node, x, w))
        {
            return;
        }
        int[] dims = WeightDims(w, "weight", 4, "OIHW");
        int filters = dims[0], inChannels = dims[1], kh = dims[2], kw = dims[3];
        if (inChannels != x.Shape.Channels)
        {
            throw Unsupported($"weight '{w.Name}' expects {inChannels} input channels but the input {x.Shape} has {x.Shape.Channels}");
        }
        var window = ReadWindow(node, x.Shape, kh, kw, allowDilation: true);
        string name = NewLayerName(node, "conv");
        AddWeight(name + ".weight", WeightLayouts.OihwToHwio(w.ToFloatArray(), filters, inChannels, kh, kw), kh, kw, inChannels, filters);
        bool useBias = HasInput(node, 2);
        if (useBias)
        {
            float[] bias = Initializer(node, 2, "bias").ToFloatArray();
            CheckLength(bias, filters, "bias");
            AddWeight(name + ".bias", bias, filters);
        }
        AddLayer(node, window.ToLayer(name, ImportedLayerKind.Conv2D, x, filters, Describe(node)) with { Units = filters, UseBias = useBias });
    }

    private void MapBatchNorm(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (IntAttribute(node, "spatial", 1, 0, 1) != 1 || FlagAttribute(node, "training_mode"))
        {
            throw Unsupported("only the inference form (spatial=1, training_mode=0) is supported");
        }
        FlagAttribute(node, "is_test");
        // Read (and range-checked) before any weight is added.
        float epsilon = FloatAttribute(node, "epsilon", 1e-5f, float.Epsilon, 1f);
        float momentum = FloatAttribute(node, "momentum", 0.9f, 0f, 1f);
        int channels = x.Shape.Channels;
        string name = NewLayerName(node, "batchnorm");
        string[] roles = ["gamma", "beta", "running_mean", "running_var"];
        for (int i = 0; i < roles.Length; i++)
        {
            float[] values = Initializer(node, i + 1, roles[i]).ToFloatArray();
            CheckLength(values, channels, roles[i]);
            AddWeight($"{name}.{roles[i]}", values, channels);
        }
        AddLayer(node, new ImportedLayer(name, ImportedLayerKind.BatchNorm, [x.Layer], x.Shape, x.Shape, [Describe(node)])
        {
            Epsilon = epsilon,
            Momentum = momentum,
        });
    }

    private void MapActivation(OnnxNode node, Activation activation, double alpha)
    {
        Value x = Input(node, 0);
        ImportedLayer? last = _layers.Count > 0 ? _layers[^1] : null;
        if (last is { Kind: ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D or ImportedLayerKind.Conv2DTranspose or ImportedLayerKind.Dense or ImportedLayerKind.Add, Activation: Activation.Linear }
            && last.Name == x.Layer && x.FlattenedFrom is null && HasSingleConsumer(node.Inputs[0]))
        {
            // Fuse: ConvGen applies the activation inside the producing layer's kernel.
            _layers[^1] = last with { Activation = activation, Alpha = alpha, SourceNodes = [.. last.SourceNodes, Describe(node)] };
            _values[node.Outputs[0]] = x;
            return;
        }
        AddLayer(node, new ImportedLayer(NewLayerName(node, "activation"), ImportedLayerKind.Activation, [x.Layer], x.Shape, x.Shape, [Describe(node)])
        {
            Activation = activation,
            Alpha = alpha,
        });
        _values[node.Outputs[0]] = _values[node.Outputs[0]] with { KeptRank = x.KeptRank, Squeezed = x.Squeezed };
    }

    private void MapSoftmax(OnnxNode node)
    {
        Value x = Input(node, 0);
        // ConvGen's softmax runs over channels; ONNX's axis only means the same when nothing else is left.
        long axis = AxisAttribute(node, "axis", _model.DefaultOpsetVersion >= 13 ? -1 : 1, OnnxRank(x));
        if (x.Shape.Height * x.Shape.Width != 1)
        {
            // From opset 13 on, axis 1 of NCHW is one softmax per pixel over the channels: ConvGen's softmax on a map.
            // Before, Softmax flattened everything from the axis on into one row.
            if (_model.DefaultOpsetVersion < 13 || axis != 1)
            {
                throw Unsupported($"softmax over a spatial map {x.Shape} with axis {axis} in opset {_model.DefaultOpsetVersion}; only the per-pixel softmax over the channels (axis 1, opset 13 on) is supported");
            }
            MapActivation(node, Activation.Softmax, double.NaN);
            return;
        }
        if (axis != 1)
        {
            // Axis 0 mixes the samples of a batch; on [N,C,1,1] from opset 13 on, axis 2 or 3 is a softmax over one element.
            throw Unsupported($"softmax over axis {axis} of [N,{x.Shape.Channels}{(x.Shape.Rank == 3 ? ",1,1" : "")}]; only the channel axis 1 is supported");
        }
        MapActivation(node, Activation.Softmax, double.NaN);
    }

    private void MapAdd(OnnxNode node)
    {
        // Opset 1-6 broadcasting: only the bias of a [N,K] MatMul output, i.e. along axis 1.
        if (FlagAttribute(node, "broadcast") && IntAttribute(node, "axis", 1, -2, 1) is not (1 or -1))
        {
            throw Unsupported($"attribute 'axis' = {node.Attribute("axis")!.Int}: only broadcasting a bias along axis 1 is supported");
        }
        bool constantA = _initializers.ContainsKey(node.Inputs[0]);
        bool constantB = node.Inputs.Count > 1 && _initializers.ContainsKey(node.Inputs[1]);
        if (TryFoldIntoNormalization(node))
        {
            return;
        }
        if (constantA || constantB)
        {
            FuseBias(node, Input(node, constantA ? 1 : 0), Initializer(node, constantA ? 0 : 1, "bias"));
            return;
        }
        Value a = Input(node, 0), b = Input(node, 1);
        if (a.Shape != b.Shape)
        {
            throw Unsupported($"operands have different shapes {a.Shape} and {b.Shape}; broadcasting is not supported");
        }
        AddLayer(node, new ImportedLayer(NewLayerName(node, "add"), ImportedLayerKind.Add, [a.Layer, b.Layer], a.Shape, a.Shape, [Describe(node)]));
    }

    /// <summary>MatMul + Add(constant) is how many exporters write a dense layer with bias.</summary>
    private void FuseBias(OnnxNode node, Value x, OnnxTensor bias)
    {
        ImportedLayer? last = _layers.Count > 0 ? _layers[^1] : null;
        if (last is not { Kind: ImportedLayerKind.Dense, UseBias: false, Activation: Activation.Linear } || last.Name != x.Layer)
        {
            throw Unsupported("adding a constant is only supported as the bias of a preceding MatMul");
        }
        float[] values = bias.ToFloatArray();
        CheckLength(values, last.Units, "bias");
        AddWeight(last.Name + ".bias", values, last.Units);
        _layers[^1] = last with { UseBias = true, SourceNodes = [.. last.SourceNodes, Describe(node)] };
        _values[node.Outputs[0]] = x;
    }

    private void MapPool(OnnxNode node, ImportedLayerKind kind)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
        {
            throw Unsupported("the Indices output of MaxPool is not supported");
        }
        long[] kernel = IntsAttribute(node, "kernel_shape", 2, 1, MaxDimension) ?? throw Unsupported("attribute 'kernel_shape' is required");
        FlagAttribute(node, "storage_order");
        var window = ReadWindow(node, x.Shape, (int)kernel[0], (int)kernel[1], allowDilation: false);
        if (kind == ImportedLayerKind.AvgPool2D && FlagAttribute(node, "count_include_pad") && window.HasPadding)
        {
            throw Unsupported("count_include_pad=1 with padding; ConvGen averages over the cells inside the input only");
        }
        AddLayer(node, window.ToLayer(NewLayerName(node, kind == ImportedLayerKind.MaxPool2D ? "max_pool" : "avg_pool"), kind, x, x.Shape.Channels, Describe(node)));
    }

    /// <summary><paramref name="axis"/> is normalised (0..rank-1).</summary>
    private void MapFlatten(OnnxNode node, long axis)
    {
        if (axis != 1)
        {
            throw Unsupported($"axis={axis}; only flattening everything but the batch (axis 1) is supported");
        }
        Value x = Input(node, 0);
        if (x.Squeezed || (x.KeptRank && !x.ChannelsLast && x.Shape.Rank == 3))
        {
            // A squeeze-and-excitation [1,1,C] map on its way to a Gemm: no layer, ONNX's [N,C] is remembered.
            _values[node.Outputs[0]] = x with { Squeezed = true };
            return;
        }
        if (x.Shape.Rank == 1)
        {
            // ONNX keeps [N,C,1,1] after global pooling; ConvGen's vector needs no flatten.
            _values[node.Outputs[0]] = x;
            return;
        }
        var output = TensorShape.Vector(x.Shape.Length);
        _layers.Add(new ImportedLayer(NewLayerName(node, "flatten"), ImportedLayerKind.Flatten, [x.Layer], x.Shape, output, [Describe(node)]));
        // A spatial map flattened in ONNX's CHW order: the next Gemm must permute its rows.
        // One already transposed to NHWC is flattened in ConvGen's own order.
        bool chwOrder = !x.ChannelsLast && x.Shape.Height * x.Shape.Width > 1;
        _values[node.Outputs[0]] = new Value(_layers[^1].Name, output, chwOrder ? x.Shape : null);
    }

    private void MapReshape(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (HasInput(node, 1) && _values.TryGetValue(node.Inputs[1], out Value? shapeOf))
        {
            MapReshapeToShapeOf(node, x, shapeOf);
            return;
        }
        long[] target = HasInput(node, 1)
            ? Initializer(node, 1, "shape").ToInt64Array()
            : node.Ints("shape")?.ToArray() ?? throw Unsupported("no target shape");
        if (FlagAttribute(node, "allowzero") && target.Contains(0))
        {
            throw Unsupported($"reshape to [{string.Join(",", target)}] with allowzero=1 makes an empty tensor");
        }
        bool flattens = target.Length == 2 && target[0] is 0 or 1 or -1 && (target[1] == -1 || target[1] == x.Shape.Length);
        if (!flattens || x.Groups > 0)
        {
            MapReshapeToTarget(node, x, target);
            return;
        }
        MapFlatten(node, 1);
    }

    private void MapGemm(OnnxNode node)
    {
        Value x = Input(node, 0);
        if (!x.Squeezed)
        {
            RequireVector(x);
        }
        if (FlagAttribute(node, "transA"))
        {
            throw Unsupported("transA=1 is not supported");
        }
        FlagAttribute(node, "broadcast");
        bool transB = FlagAttribute(node, "transB");
        float alpha = FloatAttribute(node, "alpha", 1f);
        float beta = FloatAttribute(node, "beta", 1f);
        OnnxTensor b = Initializer(node, 1, "B (weights)");
        int[] dims = WeightDims(b, "B (weights)", 2, transB ? "[N,K]" : "[K,N]");
        int units = transB ? dims[0] : dims[1];
        int inputs = transB ? dims[1] : dims[0];
        CheckInputs(x, inputs, b);
        string name = NewLayerName(node, "dense");
        AddWeight(name + ".weight", WeightLayouts.GemmToIo(b.ToFloatArray(), inputs, units, transB, alpha, x.FlattenedFrom), inputs, units);
        bool useBias = HasInput(node, 2);
        if (useBias)
        {
            float[] c = Initializer(node, 2, "C (bias)").ToFloatArray();
            CheckLength(c, units, "bias");
            AddWeight(name + ".bias", c.Select(v => beta * v).ToArray(), units);
        }
        // On a flattened squeeze-and-excitation map the Dense keeps it 1x1, as ConvGen's Dense on a [1,1,C] input does.
        AddLayer(node, new ImportedLayer(name, ImportedLayerKind.Dense, [x.Layer], x.Shape, x.Squeezed ? TensorShape.Spatial(1, 1, units) : TensorShape.Vector(units), [Describe(node)])
        {
            Units = units,
            UseBias = useBias,
        });
        _values[node.Outputs[0]] = _values[node.Outputs[0]] with { KeptRank = x.Squeezed, Squeezed = x.Squeezed };
    }

    private void MapMatMul(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireVector(x);
        OnnxTensor b = Initializer(node, 1, "B (weights)");
        int[] dims = WeightDims(b, "B (weights)", 2, "[K,N]");
        int inputs = dims[0], units = dims[1];
        CheckInputs(x, inputs, b);
        string name = NewLayerName(node, "dense");
        AddWeight(name + ".weight", WeightLayouts.GemmToIo(b.ToFloatArray(), inputs, units, false, 1f, x.FlattenedFrom), inputs, units);
        AddLayer(node, new ImportedLayer(name, ImportedLayerKind.Dense, [x.Layer], x.Shape, TensorShape.Vector(units), [Describe(node)])
        {
            Units = units,
        });
    }

    /// <summary>
    /// The dims of a weight tensor as ints: the rank <paramref name="layout"/> names, every dim at
    /// least 1, and the values present (checked against the dims before anything is decoded), so
    /// each dim is at most the number of stored values and cannot overflow an int.
    /// </summary>
    private static int[] WeightDims(OnnxTensor tensor, string role, int rank, string layout)
    {
        if (tensor.Dims.Count != rank || tensor.Dims.Any(d => d < 1))
        {
            throw Unsupported($"{role} '{tensor.Name}' has dims [{string.Join(",", tensor.Dims)}]; expected {layout} with every dimension at least 1");
        }
        tensor.Validate();
        return tensor.Dims.Select(d => (int)d).ToArray();
    }

    private static void CheckInputs(Value x, int inputs, OnnxTensor b)
    {
        if (inputs != x.Shape.Length)
        {
            throw Unsupported($"weights '{b.Name}' [{string.Join(",", b.Dims)}] take {inputs} inputs but the input {x.Shape} has {x.Shape.Length}");
        }
    }

    private static void CheckLength(float[] values, int expected, string role)
    {
        if (values.Length != expected)
        {
            throw Unsupported($"{role} has {values.Length} values, expected {expected}");
        }
    }

    private static void RequireSpatial(Value x)
    {
        if (x.Shape.Rank != 3)
        {
            throw Unsupported($"needs a spatial [H,W,C] input but gets {x.Shape}");
        }
    }

    private static void RequireVector(Value x)
    {
        if (x.Shape.Rank != 1)
        {
            throw Unsupported($"needs a vector input (Flatten first) but gets {x.Shape}");
        }
    }
}
