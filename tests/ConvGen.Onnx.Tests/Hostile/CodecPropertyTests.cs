using System;
using System.Linq;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;
using CsCheck;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>Property tests of the protobuf codec (CsCheck; fixed iteration counts, one thread).</summary>
public sealed class CodecPropertyTests
{
    [Fact]
    public void Every_int64_survives_a_varint_round_trip()
    {
        Gen.Long.Sample(value =>
        {
            var writer = new ProtoWriter();
            writer.WriteInt64(1, value);
            byte[] bytes = writer.WrittenSpan.ToArray();
            Assert.InRange(bytes.Length, 2, 11);
            var reader = new ProtoReader(bytes, "varint");
            Assert.True(reader.TryReadKey(out int field, out WireType wire));
            Assert.Equal((1, WireType.Varint), (field, wire));
            Assert.Equal(value, reader.ReadInt64(wire));
            Assert.True(reader.AtEnd);
        }, iter: 20_000, threads: 1);
    }

    // Surrogates excluded: a lone one is written as U+FFFD (UTF-8 has no encoding for it), so the names would differ.
    private static readonly Gen<string> Names = Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 12];

    private static readonly Gen<OnnxAttribute> Attributes = Gen.OneOf(
        Gen.Select(Names, Gen.Long, OnnxAttribute.FromInt),
        Gen.Select(Names, Gen.Float, OnnxAttribute.FromFloat),
        Gen.Select(Names, Gen.Long.Array[0, 6], OnnxAttribute.FromInts),
        Gen.Select(Names, Gen.Byte.Array[0, 8], (name, s) => new OnnxAttribute { Name = name, Type = OnnxAttributeType.String, String = s }));

    private static readonly Gen<OnnxNode> Nodes = Gen.Select(Names, Names, Names.Array[0, 3], Names.Array[0, 2], Attributes.Array[0, 4], (name, op, inputs, outputs, attributes) =>
    {
        var node = new OnnxNode { Name = name, OpType = op };
        node.Inputs.AddRange(inputs);
        node.Outputs.AddRange(outputs);
        node.Attributes.AddRange(attributes);
        return node;
    });

    private static readonly Gen<OnnxTensor> Tensors = Gen.Select(Names, Gen.Float.Array[0, 24], Gen.Bool, (name, values, raw) =>
    {
        var tensor = OnnxTensor.FromFloats(name, values, values.Length);
        if (raw)
        {
            tensor.RawData = values.SelectMany(BitConverter.GetBytes).ToArray();
            tensor.FloatData.Clear();
        }
        return tensor;
    });

    private static readonly Gen<OnnxModel> Models = Gen.Select(Names, Gen.Long[0, 20], Nodes.Array[0, 5], Tensors.Array[0, 3], Gen.Long[1, 9999].Array[0, 4],
        (producer, opset, nodes, tensors, dims) =>
        {
            var model = new OnnxModel { ProducerName = producer };
            model.OpsetImports.Add(new OnnxOpsetImport("", opset));
            model.Graph.Nodes.AddRange(nodes);
            model.Graph.Initializers.AddRange(tensors);
            model.Graph.Inputs.Add(OnnxValueInfo.FloatTensor("x", dims));
            return model;
        });

    [Fact]
    public void Random_models_read_back_to_the_same_bytes()
    {
        Models.Sample(model =>
        {
            byte[] bytes = model.ToBytes();
            OnnxModel back = OnnxModel.Parse(bytes, "random.onnx");
            Assert.Equal(bytes, back.ToBytes());
            Assert.Equal(model.Graph.Nodes.Select(n => (n.Name, n.OpType, n.Attributes.Count)), back.Graph.Nodes.Select(n => (n.Name, n.OpType, n.Attributes.Count)));
            Assert.Equal(model.Graph.Initializers.Select(t => t.ToFloatArray().Select(BitConverter.SingleToInt32Bits)).SelectMany(v => v),
                back.Graph.Initializers.Select(t => t.ToFloatArray().Select(BitConverter.SingleToInt32Bits)).SelectMany(v => v));
        }, iter: 2_000, threads: 1, print: m => Convert.ToHexString(m.ToBytes()));
    }

    [Fact]
    public void Any_bytes_parse_or_throw_a_documented_exception()
    {
        Gen.Byte.Array[0, 400].Sample(bytes => HostileModels.ImportOrDocumentedError(bytes), iter: 20_000, threads: 1, print: Convert.ToHexString);
    }

    [Fact]
    public void Any_mutation_of_a_valid_model_imports_or_throws_a_documented_exception()
    {
        byte[] valid = HostileModels.Valid().ToBytes();
        var mutations = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 6];
        mutations.Sample(edits =>
        {
            byte[] bytes = (byte[])valid.Clone();
            foreach (var (offset, value) in edits)
            {
                bytes[offset] = value;
            }
            HostileModels.ImportOrDocumentedError(bytes);
        }, iter: 5_000, threads: 1, print: e => string.Join(" ", e.Select(x => $"{x.Item1}={x.Item2:X2}")));
    }
}
