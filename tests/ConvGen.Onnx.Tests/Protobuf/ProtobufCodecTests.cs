using System;
using System.Linq;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests.Protobuf;

public sealed class ProtobufCodecTests
{
    [Theory]
    [InlineData(0L, new byte[] { 0x08, 0x00 })]
    [InlineData(1L, new byte[] { 0x08, 0x01 })]
    [InlineData(300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varints_match_the_protobuf_encoding(long value, byte[] expected)
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, value);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        var reader = new ProtoReader(expected, "test");
        Assert.True(reader.TryReadKey(out int field, out WireType wire));
        Assert.Equal((1, WireType.Varint), (field, wire));
        Assert.Equal(value, reader.ReadInt64(wire));
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void Repeated_fields_are_read_packed_and_unpacked()
    {
        // dims (field 1) packed [2,3] then one unpacked 4; float_data (field 4) packed [1.5] then unpacked 2.5 (fixed32)
        byte[] bytes =
        [
            0x0A, 0x02, 0x02, 0x03, 0x08, 0x04,
            0x22, 0x04, 0x00, 0x00, 0xC0, 0x3F,
            0x25, 0x00, 0x00, 0x20, 0x40,
            0x10, 0x01,
        ];
        var reader = new ProtoReader(bytes, "TensorProto");
        OnnxTensor tensor = OnnxDecoder.DecodeTensor(ref reader);
        Assert.Equal([2L, 3, 4], tensor.Dims);
        Assert.Equal([1.5f, 2.5f], tensor.FloatData);
        Assert.Equal(OnnxDataType.Float, tensor.DataType);
    }

    [Fact]
    public void A_model_survives_a_write_read_round_trip()
    {
        var model = new OnnxModel { IrVersion = 8, ProducerName = "test", DocString = "ü" };
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        model.Graph.Name = "g";
        model.Graph.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 3, 4, 4));
        model.Graph.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 2, 4, 4));
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("w", [1, -2, 3.25f, 0, 0, 0], 2, 3, 1, 1));
        var node = new OnnxNode { OpType = "Conv", Name = "conv" };
        node.Inputs.AddRange(["x", "w"]);
        node.Outputs.Add("y");
        node.Attributes.Add(OnnxAttribute.FromInts("pads", 0, 0, 0, 0));
        node.Attributes.Add(OnnxAttribute.FromFloat("alpha", 0.5f));
        node.Attributes.Add(OnnxAttribute.FromInt("group", -1));
        model.Graph.Nodes.Add(node);

        OnnxModel back = OnnxModel.Parse(model.ToBytes());
        Assert.Equal((8L, "test", "ü", 13L), (back.IrVersion, back.ProducerName, back.DocString, back.DefaultOpsetVersion));
        Assert.Equal("x: Float[1,3,4,4]", back.Graph.Inputs.Single().ToString());
        Assert.Equal([1, -2, 3.25f, 0, 0, 0], back.Graph.Initializers.Single().ToFloatArray());
        OnnxNode n = back.Graph.Nodes.Single();
        Assert.Equal(("Conv", "conv"), (n.OpType, n.Name));
        Assert.Equal(["x", "w"], n.Inputs);
        Assert.Equal([0L, 0, 0, 0], n.Ints("pads"));
        Assert.Equal(0.5f, n.Float("alpha", 0));
        Assert.Equal(-1, n.Int("group", 1));
    }

    [Fact]
    public void Raw_data_is_read_little_endian()
    {
        var tensor = new OnnxTensor { Name = "r", DataType = OnnxDataType.Float, RawData = BitConverter.GetBytes(1.25f).Concat(BitConverter.GetBytes(-3f)).ToArray() };
        tensor.Dims.Add(2);
        Assert.Equal([1.25f, -3f], tensor.ToFloatArray());
    }

    [Fact]
    public void A_truncated_file_names_the_field_and_offset()
    {
        var model = new OnnxModel();
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("w", new float[64], 64));
        byte[] bytes = model.ToBytes();
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxModel.Parse(bytes.AsSpan(0, bytes.Length - 10)));
        Assert.Contains("graph", error.Message);
        Assert.Contains("byte offset", error.Message);
        Assert.True(error.Offset > 0);
    }

    [Fact]
    public void A_wrong_wire_type_names_the_field()
    {
        // ModelProto field 7 (graph) sent as a varint.
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxModel.Parse(new byte[] { 0x38, 0x01 }));
        Assert.Contains("'graph'", error.Message);
        Assert.Contains("expected LengthDelimited", error.Message);
    }

    [Fact]
    public void A_runaway_varint_is_reported()
    {
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxModel.Parse(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }));
        Assert.Contains("ir_version", error.Message);
    }
}
