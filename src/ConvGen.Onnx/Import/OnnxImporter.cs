using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;
using ConvGen.Serialization;

namespace ConvGen.Onnx.Import;

/// <summary>
/// Maps an ONNX CNN graph (NCHW) onto ConvGen layers (NHWC), inferring every shape on the way.
/// Supported: Conv (group 1), BatchNormalization, Relu / LeakyRelu / Sigmoid / Tanh / Elu /
/// HardSigmoid (alpha 1/6) / HardSwish / Mish / Clip (to [0, 6] or [0, inf)) / Mul of two tensors /
/// Softmax, Add (two tensors, or a bias after MatMul), MaxPool, AveragePool, GlobalAveragePool,
/// GlobalMaxPool, Flatten / Reshape to [N,-1], Gemm, MatMul, Dropout and Identity (no-ops at
/// inference); for encoder-decoders ConvTranspose, Resize, Concat and Slice, with Constant
/// operands. An activation whose input has no other consumer is fused into the Conv,
/// ConvTranspose, Dense or Add that produced it. Anything else is collected and reported in one
/// <see cref="OnnxImportException"/>.
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>Layer name of the network input in <c>Input = "..."</c> references.</summary>
    public const string NetworkInputName = "input";

    /// <summary>
    /// Largest height, width or channel count of a spatial map, and largest kernel extent, stride,
    /// dilation or pad, that an import accepts (larger values are refused, never truncated).
    /// </summary>
    public const int MaxDimension = 1 << 16;

    /// <summary>Largest number of floats per sample of any value in the network (1 GiB of activations).</summary>
    public const long MaxElementsPerSample = 1 << 28;

    private readonly OnnxModel _model;
    private readonly string _source;
    private readonly Dictionary<string, OnnxTensor> _initializers;
    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedValues = new(StringComparer.Ordinal);
    private readonly List<ImportedLayer> _layers = new();
    private readonly List<SafeTensor> _weights = new();
    private readonly List<ImportIssue> _issues = new();
    private int _unlistedIssues;
    /// <summary>The input's fixed batch size, or null when symbolic (a Resize by sizes must repeat it).</summary>
    private long? _inputBatch;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal) { NetworkInputName };

    /// <summary>
    /// What a graph value is on the ConvGen side: the layer that produces it and its NHWC shape.
    /// <paramref name="FlattenedFrom"/> remembers the spatial shape behind a Flatten, because a
    /// following Gemm must permute its weight rows from CHW to HWC order.
    /// <paramref name="ChannelsLast"/> marks a spatial value that the ONNX graph holds as NHWC
    /// (after a Transpose), as in files written by <see cref="Export.OnnxExport"/>.
    /// The remaining flags describe ONNX forms that hold a ConvGen shape differently (see
    /// OnnxImporter.SqueezeExcitation.cs and OnnxImporter.Normalization.cs): <paramref name="KeptRank"/>
    /// marks a [1,1,C] map of a squeeze-and-excitation branch (after a kept-rank global pool),
    /// <paramref name="Squeezed"/> such a map that ONNX holds flattened as [N,C], <paramref name="Groups"/>
    /// a value ONNX holds reshaped to [N,groups,rest], <paramref name="ShapeOf"/> the output of a
    /// Shape node (the shape of this value, usable only as a Reshape target).
    /// </summary>
    private sealed record Value(string Layer, TensorShape Shape, TensorShape? FlattenedFrom = null, bool ChannelsLast = false,
        bool KeptRank = false, bool Squeezed = false, int Groups = 0, bool ShapeOf = false);

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

    /// <summary>
    /// Loads <paramref name="path"/> and imports it. Throws <see cref="ProtobufFormatException"/>
    /// when the file is not a well-formed ONNX model, <see cref="OnnxImportException"/> when it
    /// cannot be mapped (both messages start with the file name), and <see cref="IOException"/>
    /// when it cannot be read.
    /// </summary>
    public static ImportedNetwork Import(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Import(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>
    /// Decodes and imports a serialized ONNX model held in memory, e.g. a file read by the caller
    /// or a fuzzer's input. For any content of <paramref name="bytes"/> this returns a network or
    /// throws <see cref="ProtobufFormatException"/> (malformed protobuf / ONNX structure) or
    /// <see cref="OnnxImportException"/> (well formed but not mappable), each message starting
    /// with <paramref name="sourceName"/>; time and memory stay linear in the input size.
    /// </summary>
    public static ImportedNetwork Import(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return Import(OnnxModel.Parse(bytes, sourceName), sourceName);
    }

    /// <summary>Imports a loaded model; throws <see cref="OnnxImportException"/> listing every unmappable node.</summary>
    public static ImportedNetwork Import(OnnxModel model, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            return new OnnxImporter(model, sourceName).Run();
        }
        catch (Exception e) when (e is not (OnnxImportException or OutOfMemoryException))
        {
            // Every check the importer knows is explicit; reaching this is a bug, but the caller
            // still gets the one documented exception type, naming the file, with the cause inside.
            throw new OnnxImportException(sourceName, [new ImportIssue("(graph)", "", $"internal importer error ({e.GetType().Name}: {e.Message}); please report it with the file")], e);
        }
    }

    private ImportedNetwork Run()
    {
        // Unsupported operators first, all of them: the user learns the whole gap in one run.
        foreach (OnnxNode node in _model.Graph.Nodes)
        {
            if (!Schemas.ContainsKey(node.OpType) || node.Domain is not ("" or "ai.onnx"))
            {
                // Past the listing limit only counted: no message is built for a million unknown nodes.
                if (_issues.Count >= MaxListedIssues)
                {
                    _unlistedIssues++;
                    continue;
                }
                Report(new ImportIssue(node.DisplayName, node.OpType, $"operator not supported by the ConvGen importer (supported: {SupportedList})"));
            }
        }
        CheckInitializers();
        TensorShape inputShape = ReadInputShape();
        if (_issues.Count > 0)
        {
            throw Failure();
        }

        foreach (OnnxNode node in _model.Graph.Nodes)
        {
            if (_absorbed.Contains(node))
            {
                // Mapped as part of a pattern that an earlier node started (a normalisation's decomposition).
                continue;
            }
            if (node.Inputs.FirstOrDefault(i => i.Length > 0 && !_values.ContainsKey(i) && !_initializers.ContainsKey(i)) is { } missing)
            {
                if (!_failedValues.Contains(missing))
                {
                    Report(new ImportIssue(node.DisplayName, node.OpType,
                        $"input '{missing}' is not a graph input, an initializer or an output of an earlier node the importer maps"));
                }
                // A producer that failed is already reported; reporting every dependent would bury the cause.
                _failedValues.UnionWith(node.Outputs);
                continue;
            }
            try
            {
                CheckStructure(node);
                MapNode(node);
            }
            catch (Exception e) when (e is UnsupportedNodeException or InvalidDataException)
            {
                Report(new ImportIssue(node.DisplayName, node.OpType, e.Message));
                _failedValues.UnionWith(node.Outputs);
            }
        }
        CheckGraphOutput();
        if (_issues.Count > 0)
        {
            throw Failure();
        }
        string producer = SourceText.Escape((_model.ProducerName + " " + _model.ProducerVersion).Trim());
        return new ImportedNetwork(_source, producer, _model.DefaultOpsetVersion, inputShape, _layers.ToArray(), _weights.ToArray());
    }

    /// <summary>
    /// Every initializer, used or not: dims non-negative with a product that fits, the data type
    /// set, and as many stored values as the dims declare. No tensor is decoded here, so a small
    /// file declaring a huge tensor is refused before anything of that size is allocated.
    /// </summary>
    private void CheckInitializers()
    {
        foreach (OnnxTensor tensor in _model.Graph.Initializers)
        {
            if (_issues.Count >= MaxListedIssues)
            {
                // Only counted from here on; no message is built for issues that will not be listed.
                _unlistedIssues += tensor.IsValid ? 0 : 1;
                continue;
            }
            try
            {
                tensor.Validate();
            }
            catch (InvalidDataException e)
            {
                Report(new ImportIssue(tensor.Name, "initializer", e.Message));
            }
        }
    }

    private TensorShape ReadInputShape()
    {
        var inputs = _model.Graph.DataInputs.ToList();
        if (inputs.Count != 1)
        {
            Report(new ImportIssue("(graph)", "input", $"expected exactly one data input, found {inputs.Count}: {string.Join(", ", inputs.Take(5))}{(inputs.Count > 5 ? ", …" : "")}"));
            return default;
        }
        OnnxValueInfo input = inputs[0];
        if (input.Shape is not { Count: 4 } dims || dims.Skip(1).Any(d => d.Value is not (> 0 and <= MaxDimension)) || dims[0].Value is <= 0)
        {
            Report(new ImportIssue(input.Name, "input",
                $"expected an image input [N,C,H,W] with fixed C, H, W of 1..{MaxDimension} each (N fixed and positive, or symbolic), found {input}"));
            return default;
        }
        if (input.ElementType != OnnxDataType.Float)
        {
            Report(new ImportIssue(input.Name, "input", $"element type {input.ElementType}; ConvGen networks take float32 input"));
            return default;
        }
        // An NHWC input that the graph transposes to NCHW first (ConvGen's own export) is read as NHWC.
        var consumers = _model.Graph.Nodes.Where(n => n.Inputs.Contains(input.Name)).ToList();
        bool channelsLast = consumers is [{ OpType: "Transpose" } transpose] && transpose.Attribute("perm") is { Type: OnnxAttributeType.Ints, Ints: [0, 3, 1, 2] };
        var shape = channelsLast
            ? TensorShape.Spatial((int)dims[1].Value!.Value, (int)dims[2].Value!.Value, (int)dims[3].Value!.Value)
            : TensorShape.Spatial((int)dims[2].Value!.Value, (int)dims[3].Value!.Value, (int)dims[1].Value!.Value);
        if (ShapeProblem(shape) is { } problem)
        {
            Report(new ImportIssue(input.Name, "input", problem));
            return default;
        }
        _values[input.Name] = new Value(NetworkInputName, shape, ChannelsLast: channelsLast);
        _inputBatch = dims[0].Value;
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
            Report(new ImportIssue("(graph)", "output", $"expected exactly one output, found {_model.Graph.Outputs.Count}"));
            return;
        }
        OnnxValueInfo output = _model.Graph.Outputs[0];
        if (!_values.TryGetValue(output.Name, out Value? value) || _layers.Count == 0 || value.Layer != _layers[^1].Name)
        {
            Report(new ImportIssue("(graph)", "output", $"the graph output '{output.Name}' is not produced by the last layer; ConvGen networks end at their last layer"));
            return;
        }
        // Layout-free cross-check of the inferred shape against the one the file declares (when it declares one).
        if (output.Shape is { Count: > 1 } dims && dims.Skip(1).All(d => d.Value is not null))
        {
            long declared = 1;
            foreach (OnnxDimension dim in dims.Skip(1))
            {
                declared = dim.Value is > 0 and <= MaxElementsPerSample ? Math.Min(declared * dim.Value.Value, MaxElementsPerSample + 1) : -1;
                if (declared < 0)
                {
                    break;
                }
            }
            if (declared != value.Shape.Length)
            {
                Report(new ImportIssue("(graph)", "output",
                    $"the graph output {output} declares {(declared < 0 ? "an invalid dimension" : $"{declared} values per sample")} but the imported network produces {value.Shape} = {value.Shape.Length}"));
            }
        }
    }

    /// <summary>
    /// Issues listed in one <see cref="OnnxImportException"/>; the rest are counted. A hostile file
    /// of a million unknown two-byte nodes would otherwise produce a message hundreds of times its size.
    /// </summary>
    private const int MaxListedIssues = 100;

    private static readonly string SupportedList = string.Join(", ", Schemas.Keys.Order(StringComparer.Ordinal));

    private void Report(ImportIssue issue)
    {
        if (_issues.Count < MaxListedIssues)
        {
            _issues.Add(issue);
        }
        else
        {
            _unlistedIssues++;
        }
    }

    private OnnxImportException Failure() => new(_source, _unlistedIssues == 0
        ? _issues
        : [.. _issues, new ImportIssue("(graph)", "", $"{_unlistedIssues} more issue(s) not listed")]);

    /// <summary>Why <paramref name="shape"/> is too large for an import, or null when it is within the limits.</summary>
    private static string? ShapeProblem(TensorShape shape)
    {
        long length = (long)shape.Height * shape.Width * shape.Channels;
        if (shape.Height < 1 || shape.Width < 1 || shape.Channels < 1)
        {
            return $"shape {shape} has an empty dimension";
        }
        if (shape.Rank == 3 && (shape.Height > MaxDimension || shape.Width > MaxDimension || shape.Channels > MaxDimension))
        {
            return $"shape {shape} exceeds {MaxDimension} in height, width or channels";
        }
        return length > MaxElementsPerSample ? $"shape {shape} holds {length} values per sample, more than {MaxElementsPerSample}" : null;
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

    private string NewLayerName(OnnxNode node, string fallbackPrefix, string suffix = "")
    {
        string raw = (node.Name.Length > 0 ? node.Name : fallbackPrefix) + suffix;
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

    /// <summary>
    /// <c>Conv 'name'</c> for the source comments of the written declaration. Names come from the
    /// file: line breaks and other control characters are escaped so they cannot end the comment.
    /// </summary>
    private static string Describe(OnnxNode node) => $"{SourceText.Escape(node.OpType)} '{SourceText.Escape(node.DisplayName)}'";

    private void AddLayer(OnnxNode node, ImportedLayer layer)
    {
        if (ShapeProblem(layer.OutputShape) is { } problem)
        {
            throw Unsupported($"output {problem}");
        }
        _layers.Add(layer);
        _values[node.Outputs[0]] = new Value(layer.Name, layer.OutputShape);
    }

    private void AddWeight(string name, float[] data, params int[] shape) => _weights.Add(new SafeTensor(name, shape, data));

    /// <summary>Output used only by the next node: fusing an activation into its producer is then safe.</summary>
    private bool HasSingleConsumer(string valueName) => _consumers.GetValueOrDefault(valueName) == 1;
}
