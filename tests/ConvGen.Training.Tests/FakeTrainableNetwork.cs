using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Training.Tests;

/// <summary>
/// A hand-written <see cref="ITrainableNetwork"/> with conv, BatchNorm (including the running
/// statistics, which are parameters that are not trained) and dense tensors, so checkpoints
/// are tested without the generator. <see cref="TrainSteps"/> stands in for training: it moves
/// the weights and fills the optimizer's moments. It does no inference.
/// </summary>
internal sealed class FakeTrainableNetwork : ITrainableNetwork
{
    private readonly float[] _parameters;

    public FakeTrainableNetwork()
    {
        var tensors = new List<ParameterInfo>();
        int offset = 0;
        void Add(string name, string layer, int index, int[] shape, string layout, bool trainable = true)
        {
            int length = shape.Aggregate(1, (p, d) => p * d);
            tensors.Add(new ParameterInfo(name, layer, index, shape, layout, offset, length, trainable));
            offset += length;
        }
        Add("conv2d.weight", "conv2d", 0, new[] { 3, 3, 1, 4 }, "HWIO");
        Add("conv2d.bias", "conv2d", 0, new[] { 4 }, "O");
        Add("batch_normalization.gamma", "batch_normalization", 1, new[] { 4 }, "C");
        Add("batch_normalization.beta", "batch_normalization", 1, new[] { 4 }, "C");
        Add("batch_normalization.moving_mean", "batch_normalization", 1, new[] { 4 }, "C", trainable: false);
        Add("batch_normalization.moving_variance", "batch_normalization", 1, new[] { 4 }, "C", trainable: false);
        Add("dense.weight", "dense", 3, new[] { 4, 3 }, "IO");
        Add("dense.bias", "dense", 3, new[] { 3 }, "O");
        ParameterTensors = tensors;
        _parameters = new float[offset];
    }

    public TensorShape InputShape => TensorShape.Spatial(4, 4, 1);
    public TensorShape OutputShape => TensorShape.Vector(3);
    public IReadOnlyList<LayerInfo> Layers { get; } = new[]
    {
        new LayerInfo(0, "conv2d", "Conv2D", "4@3x3 s1 same", TensorShape.Spatial(4, 4, 1), TensorShape.Spatial(4, 4, 4), 40),
        new LayerInfo(1, "batch_normalization", "BatchNorm", "", TensorShape.Spatial(4, 4, 4), TensorShape.Spatial(4, 4, 4), 16),
        new LayerInfo(2, "global_average_pooling2d", "GlobalAvgPool2D", "", TensorShape.Spatial(4, 4, 4), TensorShape.Vector(4), 0),
        new LayerInfo(3, "dense", "Dense", "3 linear", TensorShape.Vector(4), TensorShape.Vector(3), 15),
    };
    public IReadOnlyList<ParameterInfo> ParameterTensors { get; }
    public Span<float> Parameters => _parameters;
    public Activation OutputActivation => Activation.Linear;

    /// <summary>Random weights and running statistics, then <paramref name="steps"/> optimizer steps with random gradients.</summary>
    public void TrainSteps(ulong seed, Optimizer optimizer, int steps)
    {
        var random = new SeededRandom(seed);
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = (float)random.NextGaussian();
        }
        var gradients = new float[_parameters.Length];
        var trainable = ParameterTensors.Where(t => t.Trainable).Select(t => new ParameterRange(t.Offset, t.Length, t.Shape.Count == 1)).ToArray();
        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i] = (float)random.NextGaussian();
            }
            optimizer.Step(_parameters, gradients, trainable);
        }
    }

    public bool IsFrozen(int layerIndex) => false;

    public void SetFrozen(int layerIndex, bool frozen) => throw new NotSupportedException();

    public ITrainingWorkspace CreateTrainingWorkspace(int capacity) => throw new NotSupportedException();

    public void ForwardTraining(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, DropoutContext dropout) => throw new NotSupportedException();

    public void Backward(ReadOnlySpan<float> inputs, ITrainingWorkspace workspace, int batch, bool gradientIsForLogits) => throw new NotSupportedException();

    public void InitializeParameters(ulong seed) => throw new NotSupportedException();

    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();

    public IInferenceWorkspace CreateInferenceWorkspace(int capacity) => throw new NotSupportedException();

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, IInferenceWorkspace workspace) => throw new NotSupportedException();
}
