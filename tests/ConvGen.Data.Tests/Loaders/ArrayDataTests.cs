using System;
using System.Linq;

namespace ConvGen.Data.Tests.Loaders;

public class ArrayDataTests
{
    [Fact]
    public void Rows_of_arrays_become_a_dataset()
    {
        var data = Dataset.FromArrays(new[] { new float[] { 1, 2 }, new float[] { 3, 4 } }, new[] { new float[] { 0.5f }, new float[] { 1.5f } });
        Assert.Equal(2, data.Count);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, data.Inputs.ToArray());
        Assert.Equal(new float[] { 0.5f, 1.5f }, data.Targets.ToArray());
    }

    [Fact]
    public void Labels_become_sparse_class_targets()
    {
        var data = Dataset.FromLabels(new[] { new float[] { 1 }, new float[] { 2 }, new float[] { 3 } }, new[] { 2, 0, 1 }, new[] { "a", "b", "c" });
        Assert.Equal(new float[] { 2, 0, 1 }, data.Targets.ToArray());
        Assert.Equal(new[] { "a", "b", "c" }, data.ClassNames);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.FromLabels(new[] { new float[] { 1 } }, new[] { 3 }, new[] { "a", "b" }));
        Assert.Contains("labels[0] is 3", e.Message);
    }

    [Fact]
    public void Matrices_become_a_dataset()
    {
        var data = Dataset.FromArrays(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, new float[,] { { 1, 0 }, { 0, 1 } });
        Assert.Equal(3, data.InputLength);
        Assert.Equal(2, data.TargetLength);
        Assert.Equal(new float[] { 4, 5, 6 }, data.Input(1).ToArray());
        Assert.Equal(new float[] { 0, 1 }, data.Target(1).ToArray());
    }

    [Fact]
    public void Ragged_or_mismatched_arrays_are_refused()
    {
        Assert.Contains("inputs[1] has 1 values but inputs[0] has 2",
            Assert.Throws<ArgumentException>(() => Dataset.FromArrays(new[] { new float[2], new float[1] }, new[] { new float[1], new float[1] })).Message);
        Assert.Contains("2 inputs but 1 targets",
            Assert.Throws<ArgumentException>(() => Dataset.FromArrays(new[] { new float[2], new float[2] }, new[] { new float[1] })).Message);
        Assert.Throws<ArgumentException>(() => Dataset.FromArrays(Array.Empty<float[]>(), Array.Empty<float[]>()));
        Assert.Throws<ArgumentException>(() => Dataset.FromArrays(new float[2, 2], new float[3, 1]));
    }
}
