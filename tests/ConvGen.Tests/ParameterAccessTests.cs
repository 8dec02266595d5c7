using System;
using System.Linq;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests;

public class ParameterAccessTests
{
    [Fact]
    public void A_tensor_set_by_name_lands_at_its_offset_and_nowhere_else()
    {
        var network = new LectureNet();
        var before = network.Parameters.ToArray();
        var values = Enumerable.Range(0, 8).Select(i => i + 0.5f).ToArray();
        network.SetParameter("conv2d.bias", values);
        Assert.Equal(values, network.Conv2dBias.ToArray());
        var after = network.Parameters.ToArray();
        var tensor = network.Tensor("conv2d.bias");
        for (int i = 0; i < after.Length; i++)
        {
            if (i < tensor.Offset || i >= tensor.Offset + tensor.Length) Assert.Equal(before[i], after[i]);
        }
    }

    [Fact]
    public void A_wrong_length_or_name_is_refused_with_the_expected_shape()
    {
        var network = new LectureNet();
        var wrongLength = Assert.Throws<ArgumentException>(() => network.SetParameter("conv2d.weight", new float[10]));
        Assert.Contains("[3,3,3,8]", wrongLength.Message);
        Assert.Contains("216", wrongLength.Message);
        var wrongName = Assert.Throws<ArgumentException>(() => network.SetParameter("conv9.weight", new float[1]));
        Assert.Contains("conv2d_1.weight", wrongName.Message);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_different_ones()
    {
        Assert.Equal(LectureNet.Create(7).Parameters.ToArray(), LectureNet.Create(7).Parameters.ToArray());
        Assert.NotEqual(LectureNet.Create(7).Parameters.ToArray(), LectureNet.Create(8).Parameters.ToArray());
        // He uniform for the ReLU convolution: |w| <= sqrt(6 / fan_in) with fan_in = 3*3*3.
        float limit = MathF.Sqrt(6f / 27f);
        Assert.All(LectureNet.Create(7).Conv2dWeight.ToArray(), w => Assert.InRange(MathF.Abs(w), 0f, limit));
        Assert.All(LectureNet.Create(7).Conv2dBias.ToArray(), b => Assert.Equal(0f, b));
    }
}
