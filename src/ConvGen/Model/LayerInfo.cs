using System;
using System.Collections.Generic;

namespace ConvGen;

/// <summary>One row of a network's layer table, as emitted by the generator.</summary>
/// <param name="Index">Position in the network, from 0.</param>
/// <param name="Name">Layer name (user-given or Keras-style default such as <c>conv2d_1</c>).</param>
/// <param name="Kind">Layer type, e.g. <c>Conv2D</c>.</param>
/// <param name="Description">Short configuration for people, e.g. <c>16@3x3 s1 valid relu</c>; programs read <paramref name="Config"/>.</param>
/// <param name="InputShape">Per-sample input shape.</param>
/// <param name="OutputShape">Per-sample output shape.</param>
/// <param name="ParameterCount">Values this layer keeps in the parameter buffer (trainable or not, as Keras counts them).</param>
/// <param name="Inputs">
/// Names of the layers it reads (<c>input</c> for the network input), like Keras's
/// "Connected to"; null in tables written before layers could read other than their predecessor.
/// </param>
/// <param name="NonTrainableParameterCount">Part of <paramref name="ParameterCount"/> that is state, not trained (BatchNorm running statistics).</param>
/// <param name="Config">
/// The kind's configuration (<see cref="ConvolutionConfig"/>, <see cref="PoolConfig"/>, ...);
/// null in tables written before it was recorded (older generated code and weights files).
/// </param>
public sealed record LayerInfo(
    int Index,
    string Name,
    string Kind,
    string Description,
    TensorShape InputShape,
    TensorShape OutputShape,
    int ParameterCount,
    IReadOnlyList<string>? Inputs = null,
    int NonTrainableParameterCount = 0,
    LayerConfig? Config = null)
{
    /// <summary>
    /// <see cref="Config"/> as the record its kind uses, for code that rebuilds the layer's
    /// computation (export, visualisation).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The table has no configuration for this layer (generated or saved before it was recorded)
    /// or one of another kind; the message names the layer.
    /// </exception>
    public T RequireConfig<T>() where T : LayerConfig => Config switch
    {
        T config => config,
        null => throw new InvalidOperationException(
            $"layer {Index} '{Name}' ({Kind}) has no structured configuration: its layer table was written before ConvGen recorded one; "
            + "rebuild the network with the current generator (or save its weights again from the rebuilt network)."),
        _ => throw new InvalidOperationException($"layer {Index} '{Name}' ({Kind}) has a {Config.GetType().Name}, not the {typeof(T).Name} its kind needs."),
    };
}
