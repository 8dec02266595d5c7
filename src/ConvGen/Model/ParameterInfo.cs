using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// One named parameter tensor inside a network's single contiguous parameter buffer.
/// Layouts: convolution weights <c>HWIO</c> = [kernelH][kernelW][inChannels][filters] (as
/// TensorFlow / Keras store them); dense weights <c>IO</c> = [inputs][units]; biases <c>O</c>.
/// </summary>
/// <param name="Name">Unique name, <c>{layer}.weight</c> or <c>{layer}.bias</c>.</param>
/// <param name="LayerName">Name of the owning layer.</param>
/// <param name="LayerIndex">Index of the owning layer.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Layout">Meaning of the dimensions: <c>HWIO</c>, <c>IO</c> or <c>O</c>.</param>
/// <param name="Offset">Start in the parameter buffer.</param>
/// <param name="Length">Number of floats.</param>
/// <param name="Trainable">
/// False for state that is saved with the weights but not trained (BatchNorm's
/// <c>running_mean</c> / <c>running_var</c>): it gets no gradient and optimizers leave it alone.
/// </param>
public sealed record ParameterInfo(
    string Name,
    string LayerName,
    int LayerIndex,
    IReadOnlyList<int> Shape,
    string Layout,
    int Offset,
    int Length,
    bool Trainable = true);
