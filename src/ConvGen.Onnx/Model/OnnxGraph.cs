using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx.Model;

/// <summary><c>GraphProto</c>: nodes in topological order, weights (initializers) and typed inputs/outputs.</summary>
public sealed class OnnxGraph
{
    /// <summary>Field 1.</summary>
    public List<OnnxNode> Nodes { get; } = new();

    /// <summary>Field 2.</summary>
    public string Name { get; set; } = "";

    /// <summary>Constant tensors, usually the weights (field 5).</summary>
    public List<OnnxTensor> Initializers { get; } = new();

    /// <summary>Field 10.</summary>
    public string DocString { get; set; } = "";

    /// <summary>Graph inputs (field 11). Old IR versions also list the initializers here.</summary>
    public List<OnnxValueInfo> Inputs { get; } = new();

    /// <summary>Field 12.</summary>
    public List<OnnxValueInfo> Outputs { get; } = new();

    /// <summary>Shapes of intermediate values, if the producer recorded them (field 13).</summary>
    public List<OnnxValueInfo> ValueInfo { get; } = new();

    /// <summary>Inputs that are real data, i.e. not also initializers (IR &lt; 4 lists weights as inputs).</summary>
    public IEnumerable<OnnxValueInfo> DataInputs
    {
        get
        {
            var weights = new HashSet<string>(Initializers.Select(t => t.Name));
            return Inputs.Where(i => !weights.Contains(i.Name));
        }
    }
}
