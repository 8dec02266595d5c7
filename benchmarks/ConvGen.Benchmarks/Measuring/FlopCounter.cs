using System.Linq;

namespace ConvGen.Benchmarks;

/// <summary>
/// Counts the multiply-adds of a network's forward pass from its parameter table: every weight
/// tensor (all layouts but the bias "O") is used once per output pixel of its layer, so
/// MACs = weights x output height x output width (a dense layer has one output "pixel"). A
/// transposed convolution's weights (layout "HWOI") are used once per INPUT pixel instead: each
/// input pixel scatters kernel x kernel x filters products, so its MACs = weights x input height x
/// input width (a quarter of "per output pixel" for kernel 2, stride 2).
/// FLOPs are 2 x MACs; backward is counted as 2 x forward (input and weight gradients).
/// </summary>
public static class FlopCounter
{
    /// <summary>Forward multiply-adds of one sample through all conv and dense layers.</summary>
    public static long ForwardMacs(INetwork network) => network.ParameterTensors
        .Where(tensor => tensor.Layout != "O")
        .Sum(tensor =>
        {
            var layer = network.Layers[tensor.LayerIndex];
            var positions = tensor.Layout == "HWOI" ? layer.InputShape : layer.OutputShape;
            return (long)tensor.Length * positions.Height * positions.Width;
        });
}
