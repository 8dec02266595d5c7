using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Onnx.Import;

namespace ConvGen.Tool.Summary;

/// <summary>
/// The summary of an ONNX model: its graph read by the importer (the same layers, shapes and
/// weights <c>convgen import</c> would write), shown as ConvGen's layer table. Each layer's
/// parameters are its weight tensors (<c>{layer}.weight</c>, <c>.bias</c>, <c>.gamma</c>, ...);
/// BatchNorm's running statistics count as non-trainable, as in a saved ConvGen network.
/// </summary>
internal static class OnnxSummary
{
    public static string Describe(string file, ImportedNetwork network, string title)
    {
        var sizes = network.Weights.ToLookup(w => LayerOf(w.Name), w => (Name: w.Name, Count: w.Data.Length));
        var layers = network.Layers.Select((layer, index) => new LayerInfo(
            index,
            layer.Name,
            layer.Kind.ToString(),
            string.Join(" + ", layer.SourceNodes),
            layer.InputShape,
            layer.OutputShape,
            sizes[layer.Name].Sum(w => w.Count),
            layer.Inputs,
            NonTrainableParameterCount: sizes[layer.Name].Where(w => w.Name.EndsWith(".running_mean") || w.Name.EndsWith(".running_var")).Sum(w => w.Count)))
            .ToList();

        var text = new StringBuilder(ModelSummary.Format(layers, network.InputShape, title));
        string producer = network.Producer.Length == 0 ? "producer not recorded" : $"producer {network.Producer}";
        text.AppendLine($"ONNX model {file} ({producer}, opset {network.OpsetVersion}): input {network.InputShape} -> output {network.OutputShape}, {network.Weights.Count} weight tensors.");
        text.AppendLine("Layers as ConvGen imports them (NHWC shapes, ONNX nodes merged into layers); 'convgen import' writes the declaration and weights.");
        return text.ToString();
    }

    // "conv1.weight" -> "conv1": the importer names every weight after its layer.
    private static string LayerOf(string weight) => weight.LastIndexOf('.') is int dot and > 0 ? weight[..dot] : weight;
}
