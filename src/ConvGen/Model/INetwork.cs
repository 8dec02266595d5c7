using System;
using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// What every generated network offers. The generator implements it on the user's partial
/// class with every shape as a constant; the runtime (training, serialization, tools) works
/// against this interface.
/// </summary>
public interface INetwork
{
    /// <summary>Per-sample input shape (NHWC without the batch axis).</summary>
    TensorShape InputShape { get; }

    /// <summary>Per-sample output shape.</summary>
    TensorShape OutputShape { get; }

    /// <summary>The layer table, like Keras <c>model.summary()</c>.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The named parameter tensors and where they live in <see cref="Parameters"/>.</summary>
    IReadOnlyList<ParameterInfo> ParameterTensors { get; }

    /// <summary>All trainable parameters in one contiguous buffer (see <see cref="ParameterTensors"/> for the layout).</summary>
    Span<float> Parameters { get; }

    /// <summary>Re-initialises every parameter from <paramref name="seed"/> (He or Glorot uniform weights, zero biases).</summary>
    void InitializeParameters(ulong seed);

    /// <summary>
    /// Inference on a batch: <paramref name="inputs"/> holds <c>batch * InputShape.Length</c>
    /// floats (NHWC), <paramref name="outputs"/> receives <c>batch * OutputShape.Length</c>.
    /// Not thread-safe on one instance (it reuses one workspace).
    /// </summary>
    void Predict(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>Allocates inference buffers for up to <paramref name="capacity"/> samples (one workspace per thread).</summary>
    IInferenceWorkspace CreateInferenceWorkspace(int capacity);

    /// <summary>Inference on at most the workspace's capacity of samples; thread-safe with one workspace per thread.</summary>
    void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, IInferenceWorkspace workspace);
}

/// <summary>Intermediate buffers of one inference thread.</summary>
public interface IInferenceWorkspace
{
    /// <summary>Largest batch the workspace holds.</summary>
    int Capacity { get; }
}
