using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Model;
using ConvGen.Serialization;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Maps an ONNX CNN graph (NCHW) onto ConvGen layers (NHWC), inferring every shape on the way.
/// Supported: Conv (group 1), BatchNormalization, Relu / LeakyRelu / Sigmoid / Tanh / Elu /
/// Softmax, Add (two tensors, or a bias after MatMul), MaxPool, AveragePool, GlobalAveragePool,
/// GlobalMaxPool, Flatten / Reshape to [N,-1], Gemm, MatMul, Dropout and Identity (no-ops at
/// inference). An activation whose input has no other consumer is fused into the Conv, Dense
/// or Add that produced it. Anything else is collected and reported in one
/// <see cref="OnnxImportException"/>.
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>Layer name of the network input in <c>Input = "..."</c> references.</summary>
    public const string NetworkInputName = "input";

    private static readonly HashSet<string> SupportedOperators = new(StringComparer.Ordinal)
    {
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Softmax", "Add",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape",
        "Gemm", "MatMul", "Dropout", "Identity", "Transpose",
    };

    private readonly OnnxModel _model;
    private readonly string _source;
    private readonly Dictionary<string, OnnxTensor> _initializers;
    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<ImportedLayer> _layers = new();
    private readonly List<SafeTensor> _weights = new();
    private readonly List<ImportIssue> _issues = new();
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal) { NetworkInputName };

    /// <summary>
    /// What a graph value is on the ConvGen side: the layer that produces it and its NHWC shape.
    /// <paramref name="FlattenedFrom"/> remembers the spatial shape behind a Flatten, because a
    /// following Gemm must permute its weight rows from CHW to HWC order.
    /// <paramref name="ChannelsLast"/> marks a spatial value that the ONNX graph holds as NHWC
    /// (after a Transpose), as in files written by <see cref="Export.OnnxExport"/>.
    /// </summary>
    private sealed record Value(string Layer, TensorShape Shape, TensorShape? FlattenedFrom = null, bool ChannelsLast = false);

    private OnnxImporter(OnnxModel model, string source)
    {
        _model = model;
        _source = source;
        _initializers = model.Graph.Initializers.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (OnnxNode node in model.Graph.Nodes)
        {
            foreach (string input in node.Inputs.Where(i => i.Length > 0))
            {
                _consumers[input] = _consumers.GetValueOrDefault(input) + 1;
            }
        }
        foreach (OnnxValueInfo output in model.Graph.Outputs)
        {
            _consumers[output.Name] = _consumers.GetValueOrDefault(output.Name) + 1;
        }
    }

    /// <summary>Loads <paramref name="path"/> and imports it.</summary>
    public static ImportedNetwork Import(string path) => Import(OnnxModel.Load(path), Path.GetFileName(path));

    /// <summary>Imports a loaded model; throws <see cref="OnnxImportException"/> listing every unmappable node.</summary>
    public static ImportedNetwork Import(OnnxModel model, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxImporter(model, sourceName).Run();
    }

    private ImportedNetwork Run()
    {
        // Unsupported operators first, all of them: the user learns the whole gap in one run.
        foreach (OnnxNode node in _model.Graph.Nodes)
        {
            if (!SupportedOperators.Contains(node.OpType) || node.Domain is not ("" or "ai.onnx"))
            {
                _issues.Add(new ImportIssue(node.DisplayName, node.OpType,
                    $"operator not supported by the ConvGen importer (supported: {string.Join(", ", SupportedOperators.Order(StringComparer.Ordinal))})"));
            }
        }
        TensorShape inputShape = ReadInputShape();
        if (_issues.Count > 0)
        {
            throw new OnnxImportException(_source, _issues);
        }

        foreach (OnnxNode node in _model.Graph.Nodes)
        {
            if (node.Inputs.Any(i => i.Length > 0 && !_values.ContainsKey(i) && !_initializers.ContainsKey(i)))
            {
                // Its producer failed and is already reported; reporting the dependents would bury the cause.
                continue;
            }
            try
            {
                MapNode(node);
            }
            catch (UnsupportedNodeException e)
            {
                _issues.Add(new ImportIssue(node.DisplayName, node.OpType, e.Message));
            }
        }
        CheckGraphOutput();
        if (_issues.Count > 0)
        {
            throw new OnnxImportException(_source, _issues);
        }
        string producer = (_model.ProducerName + " " + _model.ProducerVersion).Trim();
        return new ImportedNetwork(_source, producer, _model.DefaultOpsetVersion, inputShape, _layers.ToArray(), _weights.ToArray());
    }

    private TensorShape ReadInputShape()
    {
        var inputs = _model.Graph.DataInputs.ToList();
        if (inputs.Count != 1)
        {
            _issues.Add(new ImportIssue("(graph)", "input", $"expected exactly one data input, found {inputs.Count}: {string.Join(", ", inputs)}"));
            return default;
        }
        OnnxValueInfo input = inputs[0];
        if (input.Shape is not { Count: 4 } dims || dims.Skip(1).Any(d => d.Value is not > 0))
        {
            _issues.Add(new ImportIssue(input.Name, "input", $"expected an image input [N,C,H,W] with fixed C, H, W, found {input}"));
            return default;
        }
        // An NHWC input that the graph transposes to NCHW first (ConvGen's own export) is read as NHWC.
        var consumers = _model.Graph.Nodes.Where(n => n.Inputs.Contains(input.Name)).ToList();
        bool channelsLast = consumers is [{ OpType: "Transpose" } transpose] && transpose.Ints("perm") is [0, 3, 1, 2];
        var shape = channelsLast
            ? TensorShape.Spatial((int)dims[1].Value!.Value, (int)dims[2].Value!.Value, (int)dims[3].Value!.Value)
            : TensorShape.Spatial((int)dims[2].Value!.Value, (int)dims[3].Value!.Value, (int)dims[1].Value!.Value);
        _values[input.Name] = new Value(NetworkInputName, shape, ChannelsLast: channelsLast);
        return shape;
    }

    private void CheckGraphOutput()
    {
        if (_issues.Count > 0)
        {
            return;
        }
        if (_model.Graph.Outputs.Count != 1)
        {
            _issues.Add(new ImportIssue("(graph)", "output", $"expected exactly one output, found {_model.Graph.Outputs.Count}"));
            return;
        }
        string name = _model.Graph.Outputs[0].Name;
        if (!_values.TryGetValue(name, out Value? value) || _layers.Count == 0 || value.Layer != _layers[^1].Name)
        {
            _issues.Add(new ImportIssue("(graph)", "output", $"the graph output '{name}' is not produced by the last layer; ConvGen networks end at their last layer"));
        }
    }

    /// <summary>Thrown inside the mapping of one node; becomes an <see cref="ImportIssue"/>.</summary>
    private sealed class UnsupportedNodeException(string message) : Exception(message);

    private static UnsupportedNodeException Unsupported(string reason) => new(reason);

    private Value Input(OnnxNode node, int index)
    {
        if (index >= node.Inputs.Count || node.Inputs[index].Length == 0)
        {
            throw Unsupported($"input {index} is missing");
        }
        if (!_values.TryGetValue(node.Inputs[index], out Value? value))
        {
            throw Unsupported($"input {index} '{node.Inputs[index]}' must be a computed tensor, not a constant");
        }
        return value;
    }

    private OnnxTensor Initializer(OnnxNode node, int index, string role)
    {
        if (index >= node.Inputs.Count || !_initializers.TryGetValue(node.Inputs[index], out OnnxTensor? tensor))
        {
            throw Unsupported($"{role} (input {index}) must be a constant initializer");
        }
        return tensor;
    }

    private bool HasInput(OnnxNode node, int index) => index < node.Inputs.Count && node.Inputs[index].Length > 0;

    private string NewLayerName(OnnxNode node, string fallbackPrefix)
    {
        string raw = node.Name.Length > 0 ? node.Name : fallbackPrefix;
        var chars = raw.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        string name = new(chars);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name = fallbackPrefix + "_" + name;
        }
        string unique = name;
        for (int n = 1; !_usedNames.Add(unique); n++)
        {
            unique = $"{name}_{n}";
        }
        return unique;
    }

    private static string Describe(OnnxNode node) => $"{node.OpType} '{node.DisplayName}'";

    private void AddLayer(OnnxNode node, ImportedLayer layer)
    {
        _layers.Add(layer);
        _values[node.Outputs[0]] = new Value(layer.Name, layer.OutputShape);
    }

    private void AddWeight(string name, float[] data, params int[] shape) => _weights.Add(new SafeTensor(name, shape, data));

    /// <summary>Output used only by the next node: fusing an activation into its producer is then safe.</summary>
    private bool HasSingleConsumer(string valueName) => _consumers.GetValueOrDefault(valueName) == 1;
}
