using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Export;

/// <summary>Appends nodes and initializers to a graph with short calls.</summary>
internal sealed class OnnxGraphBuilder(OnnxGraph graph)
{
    public OnnxGraph Graph { get; } = graph;

    /// <summary>Adds a node producing <paramref name="output"/>; returns the output name for chaining.</summary>
    public string Node(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = opType, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.Add(output);
        node.Attributes.AddRange(attributes);
        Graph.Nodes.Add(node);
        return output;
    }

    public string Initializer(string name, float[] values, params long[] dims)
    {
        Graph.Initializers.Add(OnnxTensor.FromFloats(name, values, dims));
        return name;
    }

    public string Scalar(string name, float value) => Initializer(name, [value]);

    /// <summary>An int64 vector (Reshape's target shape, ReduceMean's axes).</summary>
    public string Int64s(string name, params long[] values)
    {
        Graph.Initializers.Add(OnnxTensor.FromInt64s(name, values, values.Length));
        return name;
    }
}
