using System;
using System.Buffers;
using System.Linq;
using System.Numerics.Tensors;
using ConvGen.Data;
using ConvGen.Tests.Networks;
using ConvGen.Tests.Training;
using ConvGen.Training;

namespace ConvGen.Tests.Tensors;

/// <summary>
/// Predict / Forward on System.Numerics.Tensors values give exactly what the span overloads give,
/// on generated networks (a CNN with a rank-3 input, an MLP with a rank-1 output), dense or not.
/// </summary>
public sealed class TensorInteropTests
{
    private static float[] Images(int count, int length, ulong seed)
    {
        var random = new Random((int)seed);
        return Enumerable.Range(0, count * length).Select(_ => (float)random.NextDouble()).ToArray();
    }

    private static float[] SpanPredict(INetwork network, float[] inputs, int batch)
    {
        var outputs = new float[batch * network.OutputShape.Length];
        network.Predict(inputs, outputs);
        return outputs;
    }

    [Fact]
    public void Predict_on_a_dense_nhwc_tensor_is_bit_for_bit_the_span_predict()
    {
        var net = new LectureNet();
        net.InitializeParameters(7);
        float[] images = Images(3, 80 * 80 * 3, 1);
        var expected = SpanPredict(net, images, 3);

        Tensor<float> outputs = net.Predict(Tensor.Create(images, new nint[] { 3, 80, 80, 3 }));
        Assert.Equal(new nint[] { 3, 8 }, outputs.Lengths.ToArray());
        Assert.Equal(expected, Flat(outputs));

        // Into a caller's tensor, through TensorSpan / ReadOnlyTensorSpan.
        var into = Tensor.CreateFromShape<float>(new nint[] { 3, 8 });
        net.Predict(new ReadOnlyTensorSpan<float>(images, new nint[] { 3, 80, 80, 3 }), into.AsTensorSpan());
        Assert.Equal(expected, Flat(into));
    }

    [Fact]
    public void A_dense_tensor_is_read_in_place_and_a_sliced_one_is_copied_with_the_same_result()
    {
        var net = new ShapesNet();
        net.InitializeParameters(3);
        float[] images = Images(6, 144, 2);
        var whole = Tensor.Create(images, new nint[] { 6, 12, 12, 1 });

        // Samples 2..4: a contiguous slice, read where it lies.
        var middle = whole.Slice(new NRange[] { new(2, 5), NRange.All, NRange.All, NRange.All });
        Assert.Equal(SpanPredict(net, images[(2 * 144)..(5 * 144)], 3), Flat(net.Predict(middle)));

        // The left half of wider images: not dense, gathered into a buffer first.
        var strided = Tensor.Create(Images(6, 12 * 24, 3), new nint[] { 6, 12, 24, 1 }).Slice(new NRange[] { NRange.All, NRange.All, new(0, 12), NRange.All });
        Assert.False(strided.IsDense);
        float[] gathered = new float[strided.FlattenedLength];
        strided.FlattenTo(gathered);
        Assert.Equal(SpanPredict(net, gathered, 6), Flat(net.Predict(strided)));
    }

    [Fact]
    public void A_non_dense_output_tensor_receives_the_same_values()
    {
        var net = new RegressionNet();
        net.InitializeParameters(5);
        float[] inputs = Images(4, 4, 4);
        var expected = SpanPredict(net, inputs, 4);
        // Outputs into every other column of a [4,4] tensor.
        var wide = Tensor.CreateFromShape<float>(new nint[] { 4, 4 });
        var outputs = wide.Slice(new NRange[] { NRange.All, new(1, 3) });
        Assert.False(outputs.IsDense);
        net.Predict(Tensor.Create(inputs, new nint[] { 4, 1, 1, 4 }), outputs);
        Assert.Equal(expected, Flat(outputs));
        Assert.Equal(new float[4], Enumerable.Range(0, 4).Select(i => wide[i, 0]).ToArray());
    }

    [Fact]
    public void Forward_with_a_workspace_matches_the_span_forward()
    {
        var net = new LectureNet();
        net.InitializeParameters(9);
        float[] images = Images(2, 80 * 80 * 3, 5);
        var workspace = net.CreateInferenceWorkspace(2);
        var expected = new float[2 * 8];
        net.Forward(images, expected, workspace);

        var outputs = Tensor.CreateFromShape<float>(new nint[] { 2, 8 });
        net.Forward(Tensor.Create(images, new nint[] { 2, 80, 80, 3 }), outputs, workspace);
        Assert.Equal(expected, Flat(outputs));

        var tooMany = Tensor.CreateFromShape<float>(new nint[] { 3, 80, 80, 3 });
        var error = Assert.Throws<ArgumentException>(() => net.Forward(tooMany, Tensor.CreateFromShape<float>(new nint[] { 3, 8 }), workspace));
        Assert.Contains("batch of 3 samples but the workspace holds at most 2", error.Message);
    }

    [Theory]
    [InlineData(new long[] { 2, 80, 3, 80 }, "[2,80,3,80]")]       // NCHW-like order
    [InlineData(new long[] { 80, 80, 3 }, "[80,80,3]")]            // no batch axis
    [InlineData(new long[] { 2, 80 * 80 * 3 }, "[2,19200]")]       // flattened
    public void A_tensor_of_the_wrong_shape_is_refused_naming_both_shapes(long[] lengths, string given)
    {
        var net = new LectureNet();
        var inputs = Tensor.CreateFromShape<float>(lengths.Select(l => (nint)l).ToArray());
        var error = Assert.Throws<ArgumentException>(() => net.Predict(inputs));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains($"inputs has lengths {given} but the network's input is [80,80,3]: expected NHWC [batch,H,W,C] = [batch,80,80,3], batch first.", error.Message);
    }

    [Fact]
    public void Outputs_of_the_wrong_shape_or_batch_are_refused_and_left_untouched()
    {
        var net = new LectureNet();
        var inputs = Tensor.CreateFromShape<float>(new nint[] { 2, 80, 80, 3 });
        var wrongUnits = Tensor.Create(Enumerable.Repeat(-1f, 2 * 10).ToArray(), new nint[] { 2, 10 });
        var error = Assert.Throws<ArgumentException>(() => net.Predict(inputs, wrongUnits));
        Assert.Contains("outputs has lengths [2,10] but the network's output is [8]: expected [batch,N] = [batch,8]", error.Message);
        Assert.All(Flat(wrongUnits), v => Assert.Equal(-1f, v));

        var wrongBatch = Tensor.CreateFromShape<float>(new nint[] { 3, 8 });
        error = Assert.Throws<ArgumentException>(() => net.Predict(inputs, wrongBatch));
        Assert.Contains("outputs has room for a batch of 3 samples but inputs holds 2", error.Message);
    }

    [Fact]
    public void A_dataset_from_a_dense_tensor_uses_its_memory_and_trains_exactly_as_from_arrays()
    {
        var arrays = SyntheticData.Shapes(32, 4);
        float[] images = arrays.Inputs.ToArray();
        int[] labels = arrays.Targets.ToArray().Select(t => (int)t).ToArray();
        var tensor = Tensor.Create(images, new nint[] { 32, 12, 12, 1 });
        var fromTensor = Dataset.FromTensors(tensor, labels, arrays.ClassNames ?? new[] { "a", "b", "c", "d" });

        Assert.Equal((32, 144, 1), (fromTensor.Count, fromTensor.InputLength, fromTensor.TargetLength));
        // No copy: the dataset's inputs are the array the tensor wraps.
        Assert.True(fromTensor.Inputs.Overlaps(images));
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(fromTensor.Input(5)), ref images[5 * 144]));
        // Whole samples sliced off a tensor are contiguous too: still no copy.
        var lastTwenty = Dataset.FromTensors(tensor.Slice(new NRange[] { new(12, 32), NRange.All, NRange.All, NRange.All }), labels[12..], new[] { "a", "b", "c", "d" });
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(lastTwenty.Input(0)), ref images[12 * 144]));

        var a = ShapesNet.Create(1);
        var b = ShapesNet.Create(1);
        a.Fit(arrays, Options());
        b.Fit(fromTensor, Options());
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
    }

    [Fact]
    public void A_dataset_from_a_non_dense_tensor_is_copied_and_holds_the_same_samples()
    {
        var inputs = Tensor.Create(Images(4, 6, 6), new nint[] { 4, 6 }).Slice(new NRange[] { NRange.All, new(1, 4) });
        var targets = Tensor.Create(new float[] { 1, 2, 3, 4 }, new nint[] { 4, 1 });
        Assert.False(inputs.IsDense);
        var data = Dataset.FromTensors(inputs, targets);
        Assert.Equal((4, 3, 1), (data.Count, data.InputLength, data.TargetLength));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(new[] { inputs[i, 0], inputs[i, 1], inputs[i, 2] }, data.Input(i).ToArray());
            Assert.Equal(i + 1f, data.Target(i)[0]);
        }
    }

    [Fact]
    public void Dataset_tensors_with_different_sample_counts_or_bad_labels_are_refused()
    {
        var images = Tensor.CreateFromShape<float>(new nint[] { 3, 2, 2, 1 });
        var error = Assert.Throws<ArgumentException>(() => Dataset.FromTensors(images, Tensor.CreateFromShape<float>(new nint[] { 4, 1 })));
        Assert.Contains("inputs holds 3 samples (lengths [3,2,2,1]) but targets holds 4 (lengths [4,1])", error.Message);
        error = Assert.Throws<ArgumentException>(() => Dataset.FromTensors(images, new[] { 0, 1 }, new[] { "x", "y" }));
        Assert.Contains("images holds 3 samples (lengths [3,2,2,1]) but there are 2 labels", error.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.FromTensors(images, new[] { 0, 2, 1 }, new[] { "x", "y" }));
        Assert.Contains("labels[1] is 2, not a class index from 0 to 1", range.Message);
    }

    private static TrainingOptions Options() => new()
    {
        Loss = new SparseSoftmaxCrossEntropy(),
        Optimizer = new Adam(0.01f),
        Epochs = 2,
        BatchSize = 8,
        Shuffle = true,
        Seed = 3,
        Threads = 1,
    };

    private static float[] Flat(Tensor<float> tensor)
    {
        var values = new float[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
