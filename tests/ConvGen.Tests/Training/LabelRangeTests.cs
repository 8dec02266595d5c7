using System;
using System.Collections.Generic;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// A label outside [0, output units) reaches the caller as one plain exception that names the
/// sample's index in the data set, the source file when known, the label and the valid range;
/// not an AggregateException from a worker naming a row of its part of the batch.
/// </summary>
public class LabelRangeTests
{
    private static TrainingOptions Options(IDataSource? validation = null, double split = 0) => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = new Adam(0.01f),
        Epochs = 1,
        BatchSize = 16,
        Seed = 3,
        Threads = 2,
        Progress = null,
        ValidationData = validation,
        ValidationSplit = split,
    };

    private static Dataset WithLabel(Dataset data, int sample, float label, string? source = null)
    {
        var targets = data.Targets.ToArray();
        targets[sample] = label;
        return new Dataset(data.Inputs.ToArray(), targets, data.Count, data.InputLength, 1, data.ClassNames) { SourceName = source };
    }

    [Fact]
    public void Fit_names_the_sample_in_the_data_set_the_file_the_label_and_the_range()
    {
        var data = WithLabel(SyntheticData.Shapes(64, 1), 37, 7, "train-labels-idx1-ubyte");
        var network = ShapesNet.Create(1);

        // With a validation split the sample is still named by its index in the data passed in.
        var e = Assert.Throws<ArgumentException>(() => network.Fit(data, Options(split: 0.25)));

        Assert.Equal("Sample 37 of the training data (read from train-labels-idx1-ubyte) has label 7, but a sparse label must be a class index, an integer from 0 to 3: the network has 4 output units.", e.Message);
    }

    [Fact]
    public void Fit_checks_the_validation_labels_too()
    {
        var validation = WithLabel(SyntheticData.Shapes(20, 2), 5, -1);
        var e = Assert.Throws<ArgumentException>(() => ShapesNet.Create(1).Fit(SyntheticData.Shapes(32, 1), Options(validation)));
        Assert.StartsWith("Sample 5 of the validation data has label -1, but a sparse label must be a class index, an integer from 0 to 3", e.Message);
    }

    [Fact]
    public void Data_read_on_demand_is_checked_per_batch_and_names_the_sample_not_the_row()
    {
        // 50 is in the second half of its batch of 16, so in the second worker's part: the old
        // message named row 2 of that part, wrapped in an AggregateException.
        var source = new OnDemand(WithLabel(SyntheticData.Shapes(64, 1), 50, 4.5f));
        var first = Assert.Throws<ArgumentException>(() => ShapesNet.Create(1).Fit(source, Options()));
        Assert.Equal("Sample 50 of the training data has label 4.5, but a sparse label must be a class index, an integer from 0 to 3: the network has 4 output units.", first.Message);

        var again = Assert.Throws<ArgumentException>(() => ShapesNet.Create(1).Fit(source, Options()));
        Assert.Equal(first.Message, again.Message);

        var evaluated = Assert.Throws<ArgumentException>(() => ShapesNet.Create(1).Evaluate(source, new SparseSoftmaxCrossEntropy(), threads: 2));
        Assert.StartsWith("Sample 50 of the evaluated data has label 4.5", evaluated.Message);
    }

    /// <summary>An <see cref="IDataSource"/> that is not a <see cref="Dataset"/>, as image folders read from disk.</summary>
    private sealed class OnDemand(Dataset data) : IDataSource
    {
        public int Count => data.Count;
        public int InputLength => data.InputLength;
        public int TargetLength => data.TargetLength;
        public IReadOnlyList<string>? ClassNames => data.ClassNames;
        public void Read(int index, Span<float> input, Span<float> target) => data.Read(index, input, target);
    }
}
