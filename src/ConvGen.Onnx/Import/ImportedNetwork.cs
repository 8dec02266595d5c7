using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Onnx.Import;

/// <summary>
/// The result of an import: the NHWC input shape, the layers in execution order (a graph: each
/// layer names its inputs) and the weights in ConvGen layouts, ready for safetensors.
/// </summary>
/// <param name="SourceName">File or graph the network came from.</param>
/// <param name="Producer">Producer recorded in the ONNX file (e.g. <c>CNTK 2.6</c>).</param>
/// <param name="OpsetVersion">Default-domain opset of the source.</param>
/// <param name="InputShape">Per-sample NHWC input shape.</param>
/// <param name="Layers">Layers in execution order.</param>
/// <param name="Weights">Parameter tensors named <c>{layer}.weight</c>, <c>.bias</c>, <c>.gamma</c>, <c>.beta</c>, <c>.running_mean</c>, <c>.running_var</c>.</param>
public sealed record ImportedNetwork(
    string SourceName,
    string Producer,
    long OpsetVersion,
    TensorShape InputShape,
    IReadOnlyList<ImportedLayer> Layers,
    IReadOnlyList<SafeTensor> Weights)
{
    /// <summary>The last layer's output shape.</summary>
    public TensorShape OutputShape => Layers.Count == 0 ? InputShape : Layers[^1].OutputShape;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public SafeTensor Weight(string name) => Weights.First(w => w.Name == name);

    /// <summary>Writes the weights as safetensors (the layouts ConvGen's generated code expects).</summary>
    public void WriteWeights(string path) => SafeTensors.Write(path, Weights, new Dictionary<string, string>
    {
        ["source"] = SourceName,
        ["producer"] = Producer,
        ["layout"] = "NHWC activations; conv HWIO, dense IO",
    });
}
