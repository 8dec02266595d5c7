using System.Linq;

namespace ConvGen.Benchmarks;

/// <summary>
/// Counts the multiply-adds of a network's forward pass from its parameter table: every weight
/// tensor (all layouts but the bias "O") is used once per output pixel of its layer, so
/// MACs = weights x output height x output width (a dense layer has one output "pixel").
/// FLOPs are 2 x MACs; backward is counted as 2 x forward (input and weight gradients).
/// </summary>
public static class FlopCounter
{
    /// <summary>Forward multiply-adds of one sample through all conv and dense layers.</summary>
    public static long ForwardMacs(INetwork network) => network.ParameterTensors
        .Where(tensor => tensor.Layout != "O")
        .Sum(tensor =>
        {
            var output = network.Layers[tensor.LayerIndex].OutputShape;
            return (long)tensor.Length * output.Height * output.Width;
        });
}
