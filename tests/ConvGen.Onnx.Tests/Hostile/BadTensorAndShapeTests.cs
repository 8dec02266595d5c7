using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>
/// Initializers whose dims are negative, overflow or disagree with the data present, unknown data
/// types, and graph inputs or outputs with non-positive or absurd dims: refused by name, before
/// anything of the declared size is allocated.
/// </summary>
public sealed class BadTensorAndShapeTests
{
    private static OnnxImportException Refused(OnnxModel model)
    {
        byte[] bytes = model.ToBytes();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, HostileModels.FileName));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith(HostileModels.FileName, error.Message);
        // Whatever the tensor declares, the import allocates in proportion to the file.
        Assert.True(allocated < 200L * bytes.Length, $"{allocated} bytes allocated for a {bytes.Length}-byte file");
        return error;
    }

    private static OnnxModel WithWeight(Action<OnnxTensor> change)
    {
        OnnxModel model = HostileModels.Valid();
        change(model.Graph.Initializers.Single(t => t.Name == "w"));
        return model;
    }

    [Theory]
    [InlineData(new long[] { 1L << 40, 1L << 40, 1, 1 }, "more than")]
    [InlineData(new long[] { 1L << 62, 4, 1, 1 }, "more than")]
    [InlineData(new long[] { -1, -36, 1, 1 }, "negative dimension -1")]
    [InlineData(new long[] { 3, 2, 3, 4 }, "need 72 values but the data holds 54")]
    [InlineData(new long[] { 0, 2, 3, 3 }, "need 0 values but the data holds 54")]
    public void Initializer_dims_must_be_valid_and_match_the_data(long[] dims, string expected)
    {
        OnnxModel model = WithWeight(w => { w.Dims.Clear(); w.Dims.AddRange(dims); });
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Equal(("w", "initializer"), (issue.NodeName, issue.OpType));
        Assert.Contains(expected, issue.Reason);
    }

    [Fact]
    public void Raw_data_shorter_than_the_dims_is_refused_before_decoding()
    {
        OnnxModel model = WithWeight(w =>
        {
            w.RawData = w.FloatData.SelectMany(BitConverter.GetBytes).Take(50).ToArray();
            w.FloatData.Clear();
        });
        Assert.Contains("raw_data has 50 bytes, not a multiple of the 4-byte Float", Assert.Single(Refused(model).Issues).Reason);
        model = WithWeight(w =>
        {
            w.RawData = new byte[8];
            w.FloatData.Clear();
            w.Dims[0] = 1L << 20; // declares 18M floats, holds 2
        });
        Assert.Contains("need 18874368 values but the data holds 2", Assert.Single(Refused(model).Issues).Reason);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-7)]
    [InlineData(0)]
    [InlineData(10)] // float16: a known type ConvGen does not read as weights
    public void Weights_of_an_unknown_or_unreadable_data_type_are_refused(int dataType)
    {
        OnnxModel model = WithWeight(w => w.DataType = (OnnxDataType)dataType);
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Contains(dataType == 10 ? "Float16" : dataType.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Reason);
    }

    [Fact]
    public void A_weight_with_a_zero_dimension_is_refused_even_when_the_data_matches()
    {
        OnnxModel model = WithWeight(w => { w.Dims.Clear(); w.Dims.AddRange([0, 1L << 40, 3, 3]); w.FloatData.Clear(); });
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Equal(("conv", "Conv"), (issue.NodeName, issue.OpType));
        Assert.Contains("weight 'w' has dims [0,1099511627776,3,3]", issue.Reason);
    }

    [Fact]
    public void Gemm_weights_that_are_not_2d_are_refused()
    {
        OnnxModel model = HostileModels.Valid();
        OnnxTensor b = model.Graph.Initializers.Single(t => t.Name == "B");
        b.Dims.Clear();
        b.Dims.Add(108);
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Equal(("fc", "Gemm"), (issue.NodeName, issue.OpType));
        Assert.Contains("has dims [108]; expected [K,N]", issue.Reason);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData(1L << 40)]
    [InlineData((1L << 32) + 6)] // (int) → 6 would look valid
    [InlineData(70_000L)]
    public void Graph_input_dims_must_be_positive_and_bounded(long height)
    {
        OnnxModel model = HostileModels.Valid();
        model.Graph.Inputs[0] = OnnxValueInfo.FloatTensor("x", 1, 2, height, 6);
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Equal(("x", "input"), (issue.NodeName, issue.OpType));
        Assert.Contains($"found x: Float[1,2,{height},6]", issue.Reason);
    }

    [Fact]
    public void A_negative_batch_dim_and_a_huge_map_are_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Graph.Inputs[0] = OnnxValueInfo.FloatTensor("x", -1, 2, 6, 6);
        Assert.Contains("N fixed and positive", Assert.Single(Refused(model).Issues).Reason);
        model = HostileModels.Valid();
        model.Graph.Inputs[0] = OnnxValueInfo.FloatTensor("x", 1, 65536, 65536, 6);
        Assert.Contains("more than 268435456", Assert.Single(Refused(model).Issues).Reason);
    }

    [Fact]
    public void A_declared_output_shape_that_disagrees_with_the_inferred_one_is_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Graph.Outputs[0] = OnnxValueInfo.FloatTensor("y", 1, 5);
        ImportIssue issue = Assert.Single(Refused(model).Issues);
        Assert.Contains("declares 5 values per sample but the imported network produces [4] = 4", issue.Reason);
    }
}
