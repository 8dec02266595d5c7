using System;
using System.Collections.Generic;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Model;

/// <summary>
/// Protobuf → ONNX objects. Field numbers are those of onnx/onnx.proto; fields not listed are
/// skipped. Each decode sets <see cref="ProtoReader.FieldName"/> before reading so that errors
/// name the message and field (e.g. <c>ResNet18.onnx/graph/initializer[12]: field 'raw_data' …</c>).
/// </summary>
internal static class OnnxDecoder
{
    public static OnnxModel DecodeModel(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoReader(bytes, source);
        var model = new OnnxModel { IrVersion = 0 };
        bool hasGraph = false;
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "ir_version"; model.IrVersion = reader.ReadInt64(wire); break;
                case 2: reader.FieldName = "producer_name"; model.ProducerName = reader.ReadString(wire); break;
                case 3: reader.FieldName = "producer_version"; model.ProducerVersion = reader.ReadString(wire); break;
                case 4: reader.FieldName = "domain"; model.Domain = reader.ReadString(wire); break;
                case 5: reader.FieldName = "model_version"; model.ModelVersion = reader.ReadInt64(wire); break;
                case 6: reader.FieldName = "doc_string"; model.DocString = reader.ReadString(wire); break;
                case 7:
                    reader.FieldName = "graph";
                    var graphReader = reader.ReadMessage(wire, "graph");
                    model.Graph = DecodeGraph(ref graphReader, nesting: 0);
                    hasGraph = true;
                    break;
                case 8:
                    reader.FieldName = "opset_import";
                    var opsetReader = reader.ReadMessage(wire, "opset_import", model.OpsetImports.Count);
                    model.OpsetImports.Add(DecodeOpset(ref opsetReader));
                    break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        if (!hasGraph)
        {
            throw new ProtobufFormatException($"{source}: no graph (ModelProto field 7) — is this an ONNX model file?", 0);
        }
        return model;
    }

    private static OnnxOpsetImport DecodeOpset(ref ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "domain"; domain = reader.ReadString(wire); break;
                case 2: reader.FieldName = "version"; version = reader.ReadInt64(wire); break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        return new OnnxOpsetImport(domain, version);
    }

    /// <summary>A <c>GraphProto</c>; <paramref name="nesting"/> counts the sub-graph levels (attribute <c>g</c>) above it.</summary>
    public static OnnxGraph DecodeGraph(ref ProtoReader reader, int nesting)
    {
        var graph = new OnnxGraph();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.FieldName = "node";
                    var nodeReader = reader.ReadMessage(wire, "node", graph.Nodes.Count);
                    graph.Nodes.Add(DecodeNode(ref nodeReader, nesting));
                    break;
                case 2: reader.FieldName = "name"; graph.Name = reader.ReadString(wire); break;
                case 5:
                    reader.FieldName = "initializer";
                    var tensorReader = reader.ReadMessage(wire, "initializer", graph.Initializers.Count);
                    graph.Initializers.Add(DecodeTensor(ref tensorReader));
                    break;
                case 10: reader.FieldName = "doc_string"; graph.DocString = reader.ReadString(wire); break;
                case 11: graph.Inputs.Add(DecodeValueInfoField(ref reader, wire, "input", graph.Inputs.Count)); break;
                case 12: graph.Outputs.Add(DecodeValueInfoField(ref reader, wire, "output", graph.Outputs.Count)); break;
                case 13: graph.ValueInfo.Add(DecodeValueInfoField(ref reader, wire, "value_info", graph.ValueInfo.Count)); break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        return graph;
    }

    private static OnnxValueInfo DecodeValueInfoField(ref ProtoReader reader, WireType wire, string name, int index)
    {
        reader.FieldName = name;
        var child = reader.ReadMessage(wire, name, index);
        return DecodeValueInfo(ref child);
    }

    private static OnnxNode DecodeNode(ref ProtoReader reader, int nesting)
    {
        var node = new OnnxNode();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "input"; node.Inputs.Add(reader.ReadString(wire)); break;
                case 2: reader.FieldName = "output"; node.Outputs.Add(reader.ReadString(wire)); break;
                case 3: reader.FieldName = "name"; node.Name = reader.ReadString(wire); break;
                case 4: reader.FieldName = "op_type"; node.OpType = reader.ReadString(wire); break;
                case 5:
                    reader.FieldName = "attribute";
                    var attributeReader = reader.ReadMessage(wire, "attribute", node.Attributes.Count);
                    node.Attributes.Add(DecodeAttribute(ref attributeReader, nesting));
                    break;
                case 6: reader.FieldName = "doc_string"; node.DocString = reader.ReadString(wire); break;
                case 7: reader.FieldName = "domain"; node.Domain = reader.ReadString(wire); break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        return node;
    }

    private static OnnxAttribute DecodeAttribute(ref ProtoReader reader, int nesting)
    {
        var attribute = new OnnxAttribute();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "name"; attribute.Name = reader.ReadString(wire); break;
                case 2: reader.FieldName = "f"; attribute.Float = reader.ReadFloat(wire); break;
                case 3: reader.FieldName = "i"; attribute.Int = reader.ReadInt64(wire); break;
                case 4: reader.FieldName = "s"; attribute.String = reader.ReadBytes(wire); break;
                case 5:
                    reader.FieldName = "t";
                    var tensorReader = reader.ReadMessage(wire, "t");
                    attribute.Tensor = DecodeTensor(ref tensorReader);
                    break;
                case 6:
                    reader.FieldName = "g";
                    if (nesting >= OnnxModel.MaxGraphNesting)
                    {
                        // Checked before descending: recursion depth, and so stack use, stays bounded whatever the file.
                        throw new ProtobufFormatException(
                            $"{reader.Path}: sub-graph (attribute 'g') nested {nesting + 1} levels deep; ConvGen reads at most {OnnxModel.MaxGraphNesting} levels of sub-graphs", reader.Offset);
                    }
                    var graphReader = reader.ReadMessage(wire, "g");
                    attribute.Graph = DecodeGraph(ref graphReader, nesting + 1);
                    break;
                case 7: reader.FieldName = "floats"; reader.ReadRepeatedFloat(wire, attribute.Floats); break;
                case 8: reader.FieldName = "ints"; reader.ReadRepeatedInt64(wire, attribute.Ints); break;
                case 9: reader.FieldName = "strings"; attribute.Strings.Add(reader.ReadBytes(wire)); break;
                case 10:
                    reader.FieldName = "tensors";
                    var itemReader = reader.ReadMessage(wire, "tensors", attribute.Tensors.Count);
                    attribute.Tensors.Add(DecodeTensor(ref itemReader));
                    break;
                case 20: reader.FieldName = "type"; attribute.Type = (OnnxAttributeType)reader.ReadInt32(wire); break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        if (attribute.Type == OnnxAttributeType.Undefined)
        {
            attribute.Type = InferType(attribute);
        }
        return attribute;
    }

    /// <summary>IR version 1 files omit <c>type</c>; the filled field tells what the attribute is.</summary>
    private static OnnxAttributeType InferType(OnnxAttribute a) =>
        a.Ints.Count > 0 ? OnnxAttributeType.Ints
        : a.Floats.Count > 0 ? OnnxAttributeType.Floats
        : a.Strings.Count > 0 ? OnnxAttributeType.Strings
        : a.Tensors.Count > 0 ? OnnxAttributeType.Tensors
        : a.Tensor is not null ? OnnxAttributeType.Tensor
        : a.Graph is not null ? OnnxAttributeType.Graph
        : a.String.Length > 0 ? OnnxAttributeType.String
        : a.Float != 0 ? OnnxAttributeType.Float
        : OnnxAttributeType.Int;

    public static OnnxTensor DecodeTensor(ref ProtoReader reader)
    {
        var tensor = new OnnxTensor();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "dims"; reader.ReadRepeatedInt64(wire, tensor.Dims); break;
                case 2: reader.FieldName = "data_type"; tensor.DataType = (OnnxDataType)reader.ReadInt32(wire); break;
                case 4: reader.FieldName = "float_data"; reader.ReadRepeatedFloat(wire, tensor.FloatData); break;
                case 5: reader.FieldName = "int32_data"; reader.ReadRepeatedInt32(wire, tensor.Int32Data); break;
                case 7: reader.FieldName = "int64_data"; reader.ReadRepeatedInt64(wire, tensor.Int64Data); break;
                case 8: reader.FieldName = "name"; tensor.Name = reader.ReadString(wire); break;
                case 9: reader.FieldName = "raw_data"; tensor.RawData = reader.ReadBytes(wire); break;
                case 10: reader.FieldName = "double_data"; reader.ReadRepeatedDouble(wire, tensor.DoubleData); break;
                case 13 or 14:
                    // external_data / data_location: weights in a side file are not supported.
                    reader.FieldName = field == 13 ? "external_data" : "data_location";
                    if (field == 14 && reader.ReadInt32(wire) == 0)
                    {
                        break;
                    }
                    throw new ProtobufFormatException($"{reader.Path}: tensor uses external data, which ConvGen does not read; re-save the model with the weights embedded", reader.Offset);
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        return tensor;
    }

    private static OnnxValueInfo DecodeValueInfo(ref ProtoReader reader)
    {
        var info = new OnnxValueInfo();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1: reader.FieldName = "name"; info.Name = reader.ReadString(wire); break;
                case 2:
                    reader.FieldName = "type";
                    var typeReader = reader.ReadMessage(wire, "type");
                    DecodeType(ref typeReader, info);
                    break;
                case 3: reader.FieldName = "doc_string"; info.DocString = reader.ReadString(wire); break;
                default: reader.FieldName = $"#{field}"; reader.Skip(wire); break;
            }
        }
        return info;
    }

    /// <summary><c>TypeProto</c>: only <c>tensor_type</c> (field 1) matters for CNNs.</summary>
    private static void DecodeType(ref ProtoReader reader, OnnxValueInfo info)
    {
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            if (field != 1)
            {
                reader.FieldName = $"#{field}";
                reader.Skip(wire);
                continue;
            }
            reader.FieldName = "tensor_type";
            var tensorType = reader.ReadMessage(wire, "tensor_type");
            while (tensorType.TryReadKey(out int tensorField, out WireType tensorWire))
            {
                switch (tensorField)
                {
                    case 1: tensorType.FieldName = "elem_type"; info.ElementType = (OnnxDataType)tensorType.ReadInt32(tensorWire); break;
                    case 2:
                        tensorType.FieldName = "shape";
                        var shapeReader = tensorType.ReadMessage(tensorWire, "shape");
                        info.Shape = DecodeShape(ref shapeReader);
                        break;
                    default: tensorType.FieldName = $"#{tensorField}"; tensorType.Skip(tensorWire); break;
                }
            }
        }
    }

    private static List<OnnxDimension> DecodeShape(ref ProtoReader reader)
    {
        var dims = new List<OnnxDimension>();
        while (reader.TryReadKey(out int field, out WireType wire))
        {
            if (field != 1)
            {
                reader.FieldName = $"#{field}";
                reader.Skip(wire);
                continue;
            }
            reader.FieldName = "dim";
            var dimReader = reader.ReadMessage(wire, "dim", dims.Count);
            long? value = null;
            string? parameter = null;
            while (dimReader.TryReadKey(out int dimField, out WireType dimWire))
            {
                switch (dimField)
                {
                    case 1: dimReader.FieldName = "dim_value"; value = dimReader.ReadInt64(dimWire); break;
                    case 2: dimReader.FieldName = "dim_param"; parameter = dimReader.ReadString(dimWire); break;
                    default: dimReader.FieldName = $"#{dimField}"; dimReader.Skip(dimWire); break;
                }
            }
            dims.Add(new OnnxDimension(value, parameter));
        }
        return dims;
    }
}
