using System;
using System.Collections.Generic;

namespace ConvGen.Training.Tests;

/// <summary>
/// A hand-written <see cref="INetwork"/> with a conv and a dense layer's parameter table, so the
/// weights file is tested without the generator. It does no inference.
/// </summary>
internal sealed class FakeNetwork : INetwork
{
    private readonly float[] _parameters;

    public FakeNetwork(int kernel = 3, bool withDenseBias = true)
    {
        var tensors = new List<ParameterInfo>();
        int offset = 0;
        void Add(string name, string layer, int index, int[] shape, string layout)
        {
            int length = 1;
            foreach (int d in shape)
            {
                length *= d;
            }
            tensors.Add(new ParameterInfo(name, layer, index, shape, layout, offset, length));
            offset += length;
        }
        Add("conv2d.weight", "conv2d", 0, new[] { kernel, kernel, 1, 2 }, "HWIO");
        Add("conv2d.bias", "conv2d", 0, new[] { 2 }, "O");
        Add("dense.weight", "dense", 2, new[] { 4, 3 }, "IO");
        if (withDenseBias)
        {
            Add("dense.bias", "dense", 2, new[] { 3 }, "O");
        }
        ParameterTensors = tensors;
        _parameters = new float[offset];
    }

    public TensorShape InputShape => TensorShape.Spatial(4, 4, 1);
    public TensorShape OutputShape => TensorShape.Vector(3);
    public IReadOnlyList<LayerInfo> Layers { get; } = new[]
    {
        new LayerInfo(0, "conv2d", "Conv2D", "2@3x3 s1 same", TensorShape.Spatial(4, 4, 1), TensorShape.Spatial(4, 4, 2), 20),
        new LayerInfo(1, "global_average_pooling2d", "GlobalAvgPool2D", "", TensorShape.Spatial(4, 4, 2), TensorShape.Vector(2), 0),
        new LayerInfo(2, "dense", "Dense", "3 linear", TensorShape.Vector(4), TensorShape.Vector(3), 15),
    };
    public IReadOnlyList<ParameterInfo> ParameterTensors { get; }
    public Span<float> Parameters => _parameters;

    public void InitializeParameters(ulong seed)
    {
        var random = new SeededRandom(seed);
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = (float)random.NextGaussian();
        }
    }

    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();

    public IInferenceWorkspace CreateInferenceWorkspace(int capacity) => throw new NotSupportedException();

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, IInferenceWorkspace workspace) => throw new NotSupportedException();
}
