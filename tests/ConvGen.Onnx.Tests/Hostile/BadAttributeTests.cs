using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>
/// Attributes out of range or of the wrong type, nodes without outputs or inputs: each is refused
/// with an <see cref="OnnxImportException"/> naming the file, the node, its operator, the
/// attribute and the value, never mapped into a declaration with a 0 dilation or a dropped pad.
/// </summary>
public sealed class BadAttributeTests
{
    private const long TwoTo31 = 1L << 31, TwoTo32 = 1L << 32;

    private static ImportIssue Refused(OnnxModel model, string node, string op, params string[] fragments)
    {
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToBytes(), HostileModels.FileName));
        Assert.StartsWith(HostileModels.FileName, error.Message);
        ImportIssue issue = Assert.Single(error.Issues);
        Assert.Equal((node, op), (issue.NodeName, issue.OpType));
        Assert.Contains($"{op} '{node}'", error.Message);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, issue.Reason);
        }
        return issue;
    }

    [Fact]
    public void The_valid_model_imports()
    {
        ImportedNetwork network = OnnxImporter.Import(HostileModels.Valid().ToBytes(), HostileModels.FileName);
        Assert.Equal(TensorShape.Vector(4), network.OutputShape);
        Assert.Equal(1, network.Layers[0].DilationHeight);
        Assert.Equal((1, 1, 1, 1), (network.Layers[0].PadTop, network.Layers[0].PadBottom, network.Layers[0].PadLeft, network.Layers[0].PadRight));
    }

    [Theory]
    [InlineData("strides", 0L)]
    [InlineData("strides", -1L)]
    [InlineData("strides", TwoTo32)]          // (int) → 0
    [InlineData("strides", TwoTo32 + 1)]      // (int) → 1: would silently become stride 1
    [InlineData("strides", TwoTo31)]          // (int) → int.MinValue
    [InlineData("dilations", 0L)]
    [InlineData("dilations", -2L)]
    [InlineData("dilations", TwoTo32)]
    [InlineData("dilations", 70_000L)]
    [InlineData("kernel_shape", 0L)]
    [InlineData("kernel_shape", -3L)]
    [InlineData("kernel_shape", TwoTo32 + 3)] // (int) → 3, which would match the weights
    public void Window_values_out_of_range_are_refused_on_conv(string attribute, long value)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(OnnxAttribute.FromInts(attribute, value, value));
        Refused(model, "conv", "Conv", $"attribute '{attribute}' = [{value},{value}]", "out of range");
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(TwoTo31)]
    [InlineData(TwoTo32 + 1)]
    [InlineData(long.MinValue)]
    public void Pads_that_are_negative_or_overflow_are_refused(long value)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(OnnxAttribute.FromInts("pads", 1, value, 1, 1));
        Refused(model, "conv", "Conv", $"attribute 'pads' = [1,{value},1,1]", "out of range");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-2L)]
    [InlineData(TwoTo32 + 2)]
    public void Pool_kernel_and_stride_out_of_range_are_refused(long value)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("pool").Set(OnnxAttribute.FromInts("kernel_shape", value, 2));
        Refused(model, "pool", "MaxPool", $"attribute 'kernel_shape' = [{value},2]");
        model = HostileModels.Valid();
        model.Node("pool").Set(OnnxAttribute.FromInts("strides", 2, value));
        Refused(model, "pool", "MaxPool", $"attribute 'strides' = [2,{value}]");
    }

    [Fact]
    public void A_window_attribute_with_the_wrong_count_is_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(OnnxAttribute.FromInts("pads", 1, 1));
        Refused(model, "conv", "Conv", "attribute 'pads' = [1,1] has 2 values; expected 4");
    }

    [Fact]
    public void A_dilated_window_larger_than_the_limit_is_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(OnnxAttribute.FromInts("dilations", 40_000, 40_000));
        Refused(model, "conv", "Conv", "spans 80001x80001");
    }

    [Theory]
    [InlineData("strides", OnnxAttributeType.Int)]
    [InlineData("kernel_shape", OnnxAttributeType.Floats)]
    [InlineData("group", OnnxAttributeType.Float)]
    [InlineData("pads", OnnxAttributeType.Tensor)]
    [InlineData("auto_pad", OnnxAttributeType.Int)]
    public void An_attribute_of_the_wrong_type_is_refused(string attribute, OnnxAttributeType type)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(type switch
        {
            OnnxAttributeType.Int => OnnxAttribute.FromInt(attribute, 2),
            OnnxAttributeType.Float => OnnxAttribute.FromFloat(attribute, 2),
            OnnxAttributeType.Floats => new OnnxAttribute { Name = attribute, Type = type, Floats = { 3, 3 } },
            _ => new OnnxAttribute { Name = attribute, Type = type, Tensor = OnnxTensor.FromInt64s("t", [1, 1, 1, 1], 4) },
        });
        Refused(model, "conv", "Conv", $"attribute '{attribute}' has type {type.ToString().ToUpperInvariant()}, expected");
    }

    [Fact]
    public void Epsilon_given_as_an_int_is_refused_not_read_as_zero()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("bn").Set(OnnxAttribute.FromInt("epsilon", 1));
        Refused(model, "bn", "BatchNormalization", "attribute 'epsilon' has type INT, expected FLOAT");
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(TwoTo32 + 1)]
    public void Group_other_than_one_is_refused(long group)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(OnnxAttribute.FromInt("group", group));
        Refused(model, "conv", "Conv", $"attribute 'group' = {group}");
    }

    [Fact]
    public void Unknown_auto_pad_and_auto_pad_with_pads_are_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Set(new OnnxAttribute { Name = "auto_pad", Type = OnnxAttributeType.String, String = "SAME\n"u8.ToArray() });
        Refused(model, "conv", "Conv", "attribute 'auto_pad' = 'SAME\\u000A' is unknown");
        model.Node("conv").Set(new OnnxAttribute { Name = "auto_pad", Type = OnnxAttributeType.String, String = "VALID"u8.ToArray() });
        Refused(model, "conv", "Conv", "both auto_pad=VALID and pads [1,1,1,1]");
    }

    [Theory]
    [InlineData("epsilon", float.NaN)]
    [InlineData("epsilon", float.PositiveInfinity)]
    [InlineData("epsilon", 0f)]
    [InlineData("epsilon", -1e-5f)]
    [InlineData("epsilon", 2f)]
    [InlineData("momentum", -0.5f)]
    [InlineData("momentum", float.NaN)]
    public void BatchNorm_epsilon_and_momentum_must_be_finite_and_in_range(string attribute, float value)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("bn").Set(OnnxAttribute.FromFloat(attribute, value));
        Refused(model, "bn", "BatchNormalization", $"attribute '{attribute}' = {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
    }

    [Theory]
    [InlineData("LeakyRelu", float.NaN)]
    [InlineData("Elu", float.NegativeInfinity)]
    public void Activation_alpha_must_be_finite(string op, float alpha)
    {
        OnnxModel model = HostileModels.Valid();
        OnnxNode relu = model.Node("relu");
        relu.OpType = op;
        relu.Set(OnnxAttribute.FromFloat("alpha", alpha));
        Refused(model, "relu", op, "attribute 'alpha'", "finite");
    }

    [Fact]
    public void Gemm_alpha_must_be_finite()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("fc").Set(OnnxAttribute.FromFloat("alpha", float.PositiveInfinity));
        Refused(model, "fc", "Gemm", "attribute 'alpha' = Infinity");
    }

    [Theory]
    [InlineData(2L, "out of range")]
    [InlineData(0L, "axis=0")]
    [InlineData(-5L, "out of range")]
    [InlineData(long.MaxValue, "out of range")]
    public void Flatten_axis_must_be_the_channel_axis(long axis, string expected)
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("flatten").Set(OnnxAttribute.FromInt("axis", axis));
        if (axis == 2)
        {
            // Axis 2 of [N,C,H,W] is a valid ONNX axis but not a ConvGen flatten.
            Refused(model, "flatten", "Flatten", "axis=2");
            return;
        }
        Refused(model, "flatten", "Flatten", expected);
    }

    [Fact]
    public void Flatten_axis_minus_3_is_axis_1_of_a_4d_tensor()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("flatten").Set(OnnxAttribute.FromInt("axis", -3));
        Assert.Equal(TensorShape.Vector(4), OnnxImporter.Import(model.ToBytes(), "m.onnx").OutputShape);
    }

    [Fact]
    public void Softmax_over_the_batch_axis_is_refused()
    {
        OnnxModel model = HostileModels.Valid();
        HostileModels.Add(model.Graph, "Softmax", "softmax", ["y"], "s", OnnxAttribute.FromInt("axis", 0));
        model.Graph.Outputs[0] = OnnxValueInfo.FloatTensor("s", 1, 4);
        Refused(model, "softmax", "Softmax", "axis 0");
    }

    [Fact]
    public void Unknown_and_repeated_attributes_are_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Attributes.Add(OnnxAttribute.FromInt("stride", 2));
        Refused(model, "conv", "Conv", "attribute 'stride' is not an attribute of Conv");
        model = HostileModels.Valid();
        model.Node("conv").Attributes.Add(OnnxAttribute.FromInts("strides", 2, 2));
        Refused(model, "conv", "Conv", "attribute 'strides' appears twice");
    }

    [Fact]
    public void A_node_without_outputs_is_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("relu").Outputs.Clear();
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToBytes(), HostileModels.FileName));
        Assert.Contains(error.Issues, i => i.NodeName == "relu" && i.Reason.Contains("no output"));
    }

    [Theory]
    [InlineData("conv", "Conv", 1)]
    [InlineData("bn", "BatchNormalization", 3)]
    [InlineData("fc", "Gemm", 1)]
    [InlineData("relu", "Relu", 0)]
    public void A_node_without_its_required_inputs_is_refused(string node, string op, int keep)
    {
        OnnxModel model = HostileModels.Valid();
        OnnxNode n = model.Node(node);
        n.Inputs.RemoveRange(keep, n.Inputs.Count - keep);
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToBytes(), HostileModels.FileName));
        Assert.StartsWith(HostileModels.FileName, error.Message);
        Assert.Contains(error.Issues, i => i.NodeName == node && i.OpType == op && i.Reason.Contains($"input {keep} is missing"));
    }

    [Fact]
    public void Too_many_inputs_and_an_output_defined_twice_are_refused()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("relu").Inputs.Add("n");
        Refused(model, "relu", "Relu", "2 inputs; Relu takes at most 1");
        model = HostileModels.Valid();
        model.Node("relu").Outputs[0] = "c";
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToBytes(), HostileModels.FileName));
        Assert.Contains(error.Issues, i => i.NodeName == "relu" && i.Reason.Contains("output 'c' is defined twice"));
    }

    [Fact]
    public void An_input_nothing_produces_is_reported_not_skipped()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("relu").Inputs[0] = "nowhere";
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToBytes(), HostileModels.FileName));
        Assert.Contains(error.Issues, i => i.NodeName == "relu" && i.Reason.Contains("input 'nowhere'"));
    }

    [Fact]
    public void Node_names_cannot_break_out_of_the_declaration_comments()
    {
        OnnxModel model = HostileModels.Valid();
        model.Node("conv").Name = "c\n}\u2028class Evil {";
        ImportedNetwork network = OnnxImporter.Import(model.ToBytes(), "m.onnx");
        string declaration = DeclarationWriter.Render(network, "N", "C");
        Assert.Contains("c\\u000A}\\u2028class Evil {", declaration);
        Assert.DoesNotContain("\n}", declaration.Replace("\r", ""));
        Assert.DoesNotContain('\u2028', declaration);
    }
}
