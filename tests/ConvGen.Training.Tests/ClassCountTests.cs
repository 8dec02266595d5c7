using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Data;

namespace ConvGen.Training.Tests;

/// <summary>
/// A data source read on demand (an image folder) that lists more classes than the network has
/// output units is refused when Fit starts, before any sample is read or any weight changes, with
/// a message naming the data source, the first class the network cannot score and both ranges.
/// </summary>
public sealed class ClassCountTests
{
    /// <summary>Reads nothing: a read would mean the check came after training started.</summary>
    private sealed class StreamedSource(int classes) : IDataSource
    {
        public int Count => 12;
        public int InputLength => 16;
        public int TargetLength => 1;
        public IReadOnlyList<string>? ClassNames { get; } = Enumerable.Range(0, classes).Select(c => $"shape{c}").ToArray();
        public int Reads { get; private set; }
        public void Read(int index, Span<float> input, Span<float> target) => Reads++;
        public override string ToString() => $"folder 'shapes/' with {ClassNames!.Count} classes";
    }

    private static TrainingOptions Options(IDataSource? validation = null) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = new Sgd(0.1f),
        Epochs = 1,
        BatchSize = 4,
        Threads = 1,
        Progress = null,
        ValidationData = validation,
    };

    [Fact]
    public void Fit_refuses_a_streamed_source_with_more_classes_than_output_units_before_reading_a_sample()
    {
        var network = new FakeTrainableNetwork();
        network.TrainSteps(seed: 1, new Sgd(0.1f), steps: 1);
        float[] before = network.Parameters.ToArray();
        var data = new StreamedSource(classes: 5);

        var error = Assert.Throws<ArgumentException>(() => network.Fit(data, Options()));

        Assert.Equal("The training data (StreamedSource: folder 'shapes/' with 5 classes) has 5 classes, labels 0 to 4, "
            + "but FakeTrainableNetwork has 3 output units, labels 0 to 2: samples of class 'shape3' (label 3) and above cannot be scored; "
            + "give the last layer 5 units or leave those classes out of the data.", error.Message);
        Assert.Equal(0, data.Reads);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Fit_refuses_streamed_validation_data_with_more_classes_and_names_it()
    {
        var network = new FakeTrainableNetwork();
        var train = new StreamedSource(classes: 3);
        var validation = new StreamedSource(classes: 4);

        var error = Assert.Throws<ArgumentException>(() => network.Fit(train, Options(validation)));

        Assert.StartsWith("The validation data (StreamedSource: folder 'shapes/' with 4 classes) has 4 classes", error.Message);
        Assert.Contains("class 'shape3' (label 3)", error.Message);
        Assert.Equal(0, train.Reads + validation.Reads);
    }

    [Fact]
    public void Fit_accepts_a_streamed_source_with_no_more_classes_than_output_units()
    {
        var network = new FakeTrainableNetwork();
        var data = new StreamedSource(classes: 3);

        // The fake network cannot train: reaching its training workspace means the checks passed.
        Assert.Throws<NotSupportedException>(() => network.Fit(data, Options()));
    }
}
