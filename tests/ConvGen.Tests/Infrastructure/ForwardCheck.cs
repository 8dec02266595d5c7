using System;
using System.Linq;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>Runs one compiled network on random data and compares it with its reference.</summary>
public static class ForwardCheck
{
    /// <summary>Values around the output that Predict must not touch.</summary>
    private const int GuardLength = 16;
    private const float GuardValue = 12345.5f;

    public static void Run(NetworkFixture fixture, string caseName, int batch)
    {
        var testCase = fixture.Case(caseName);
        var network = fixture.Create(caseName);
        Run(network, testCase, batch);
    }

    public static void Run(INetwork network, ForwardCase testCase, int batch)
    {
        Assert.Equal(TensorShape.Spatial(testCase.Height, testCase.Width, testCase.Channels), network.InputShape);
        AssertParameterTensorsTileTheBuffer(network);

        // NaN first: a kernel reading a parameter outside every published tensor poisons its output.
        network.Parameters.Fill(float.NaN);
        NetworkParameters.Randomize(network, SeededData.Seed(testCase.Name));

        var inputs = SeededData.Uniform(batch * network.InputShape.Length, SeededData.Seed(testCase.Name, batch), testCase.InputScale);
        int outputLength = batch * network.OutputShape.Length;
        var buffer = new float[outputLength + 2 * GuardLength];
        buffer.AsSpan().Fill(GuardValue);
        var outputs = buffer.AsSpan(GuardLength, outputLength);
        outputs.Fill(float.NaN); // every output must be written

        network.Predict(inputs, outputs);

        var expected = testCase.Reference(network, ReferenceTensor.FromNhwc(inputs, batch, testCase.Height, testCase.Width, testCase.Channels));
        Assert.Equal(expected.SampleShape, network.OutputShape);
        Assert.True(buffer.AsSpan(0, GuardLength).IndexOfAnyExcept(GuardValue) < 0, $"{testCase.Name}: Predict wrote before its output span");
        Assert.True(buffer.AsSpan(GuardLength + outputLength).IndexOfAnyExcept(GuardValue) < 0, $"{testCase.Name}: Predict wrote past its output span");
        NumericAssert.Close(expected, outputs, $"{testCase.Name} batch {batch}");
    }

    /// <summary>The published tensors must cover the parameter buffer exactly once, in order.</summary>
    private static void AssertParameterTensorsTileTheBuffer(INetwork network)
    {
        int next = 0;
        foreach (var tensor in network.ParameterTensors.OrderBy(t => t.Offset))
        {
            Assert.Equal(next, tensor.Offset);
            next += tensor.Length;
        }
        Assert.Equal(network.Parameters.Length, next);
    }
}
