using System;
using System.Linq;
using ConvGen.Data;

namespace ConvGen.Training.Tests;

public class DatasetTests
{
    // Sample i has input [i, 10 + i] and target [100 + i].
    private static Dataset Numbered(int count) => new(
        Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, 10f + i }).ToArray(),
        Enumerable.Range(0, count).Select(i => 100f + i).ToArray(),
        count, inputLength: 2, targetLength: 1, classNames: new[] { "a", "b" });

    [Fact]
    public void Input_and_Target_slice_one_sample()
    {
        Dataset data = Numbered(5);
        Assert.Equal(5, data.Count);
        Assert.Equal(2, data.InputLength);
        Assert.Equal(1, data.TargetLength);
        Assert.Equal(new[] { 3f, 13f }, data.Input(3).ToArray());
        Assert.Equal(new[] { 103f }, data.Target(3).ToArray());
        Assert.Equal(10, data.Inputs.Length);
        Assert.Equal(new[] { "a", "b" }, data.ClassNames);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.Input(5));
        Assert.Contains("sample index must be from 0 to 4", e.Message);
    }

    [Fact]
    public void Constructor_checks_buffer_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset(new float[7], new float[3], 3, 2, 1));
        Assert.Contains("inputs holds 7 floats but 3 samples of 2 need 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Dataset(new float[6], new float[4], 3, 2, 1));
        Assert.Contains("targets holds 4 floats but 3 samples of 1 need 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[0], new float[0], 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[0], new float[0], -1, 1, 1));
    }

    [Fact]
    public void Subset_copies_samples_in_the_given_order()
    {
        Dataset subset = Numbered(5).Subset(new[] { 4, 1, 1 });
        Assert.Equal(3, subset.Count);
        Assert.Equal(new[] { 4f, 14f, 1f, 11f, 1f, 11f }, subset.Inputs.ToArray());
        Assert.Equal(new[] { 104f, 101f, 101f }, subset.Targets.ToArray());
        Assert.Equal(new[] { "a", "b" }, subset.ClassNames);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).Subset(new[] { 0, 5 }));
        Assert.Contains("indices[1] is 5; sample indices must be from 0 to 4", e.Message);
    }

    [Fact]
    public void Split_is_a_seeded_partition()
    {
        Dataset data = Numbered(100);
        var (train, validation) = data.Split(0.3, seed: 42);
        Assert.Equal(70, train.Count);
        Assert.Equal(30, validation.Count);
        float[] trainIds = Enumerable.Range(0, train.Count).Select(i => train.Input(i)[0]).ToArray();
        float[] validationIds = Enumerable.Range(0, validation.Count).Select(i => validation.Input(i)[0]).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), trainIds.Concat(validationIds).OrderBy(x => x));
        Assert.Equal(trainIds.OrderBy(x => x), trainIds); // original order kept
        Assert.All(Enumerable.Range(0, validation.Count), i => Assert.Equal(validation.Input(i)[0] + 100f, validation.Target(i)[0]));

        var (_, again) = data.Split(0.3, seed: 42);
        Assert.Equal(validation.Inputs.ToArray(), again.Inputs.ToArray());
        var (_, other) = data.Split(0.3, seed: 43);
        Assert.NotEqual(validation.Inputs.ToArray(), other.Inputs.ToArray());
        Assert.NotEqual(Enumerable.Range(0, 30).Select(i => (float)i), validationIds); // actually shuffled
    }

    [Fact]
    public void Split_validates_the_fraction()
    {
        Assert.Equal(0, Numbered(10).Split(0, 1).Validation.Count);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(1.0, 1));
        Assert.Contains("validationFraction must be at least 0 and below 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(double.NaN, 1));
    }
}
