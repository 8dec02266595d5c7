using System.Collections.Generic;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Model;

/// <summary>ONNX objects → protobuf, the mirror of <see cref="OnnxDecoder"/> (same field numbers).</summary>
internal static class OnnxEncoder
{
    public static byte[] EncodeModel(OnnxModel model)
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, model.IrVersion);
        WriteNonEmpty(writer, 2, model.ProducerName);
        WriteNonEmpty(writer, 3, model.ProducerVersion);
        WriteNonEmpty(writer, 4, model.Domain);
        if (model.ModelVersion != 0)
        {
            writer.WriteInt64(5, model.ModelVersion);
        }
        WriteNonEmpty(writer, 6, model.DocString);
        writer.WriteMessage(7, EncodeGraph(model.Graph));
        foreach (OnnxOpsetImport import in model.OpsetImports)
        {
            var opset = new ProtoWriter();
            WriteNonEmpty(opset, 1, import.Domain);
            opset.WriteInt64(2, import.Version);
            writer.WriteMessage(8, opset);
        }
        return writer.WrittenSpan.ToArray();
    }

    private static ProtoWriter EncodeGraph(OnnxGraph graph)
    {
        var writer = new ProtoWriter();
        foreach (OnnxNode node in graph.Nodes)
        {
            writer.WriteMessage(1, EncodeNode(node));
        }
        WriteNonEmpty(writer, 2, graph.Name);
        foreach (OnnxTensor tensor in graph.Initializers)
        {
            writer.WriteMessage(5, EncodeTensor(tensor));
        }
        WriteNonEmpty(writer, 10, graph.DocString);
        WriteValueInfos(writer, 11, graph.Inputs);
        WriteValueInfos(writer, 12, graph.Outputs);
        WriteValueInfos(writer, 13, graph.ValueInfo);
        return writer;
    }

    private static ProtoWriter EncodeNode(OnnxNode node)
    {
        var writer = new ProtoWriter();
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);
        }
        foreach (string output in node.Outputs)
        {
            writer.WriteString(2, output);
        }
        WriteNonEmpty(writer, 3, node.Name);
        writer.WriteString(4, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            writer.WriteMessage(5, EncodeAttribute(attribute));
        }
        WriteNonEmpty(writer, 6, node.DocString);
        WriteNonEmpty(writer, 7, node.Domain);
        return writer;
    }

    private static ProtoWriter EncodeAttribute(OnnxAttribute attribute)
    {
        var writer = new ProtoWriter();
        writer.WriteString(1, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float: writer.WriteFloat(2, attribute.Float); break;
            case OnnxAttributeType.Int: writer.WriteInt64(3, attribute.Int); break;
            case OnnxAttributeType.String: writer.WriteBytes(4, attribute.String); break;
            case OnnxAttributeType.Tensor when attribute.Tensor is not null: writer.WriteMessage(5, EncodeTensor(attribute.Tensor)); break;
            case OnnxAttributeType.Graph when attribute.Graph is not null: writer.WriteMessage(6, EncodeGraph(attribute.Graph)); break;
            case OnnxAttributeType.Floats: writer.WritePackedFloat(7, attribute.Floats.ToArray()); break;
            case OnnxAttributeType.Ints: writer.WritePackedInt64(8, attribute.Ints); break;
            case OnnxAttributeType.Strings:
                foreach (byte[] s in attribute.Strings)
                {
                    writer.WriteBytes(9, s);
                }
                break;
            case OnnxAttributeType.Tensors:
                foreach (OnnxTensor t in attribute.Tensors)
                {
                    writer.WriteMessage(10, EncodeTensor(t));
                }
                break;
        }
        writer.WriteInt32(20, (int)attribute.Type);
        return writer;
    }

    private static ProtoWriter EncodeTensor(OnnxTensor tensor)
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64(1, tensor.Dims);
        writer.WriteInt32(2, (int)tensor.DataType);
        writer.WritePackedFloat(4, tensor.FloatData.ToArray());
        if (tensor.Int32Data.Count > 0)
        {
            var values = new List<long>(tensor.Int32Data.Count);
            tensor.Int32Data.ForEach(v => values.Add(v));
            writer.WritePackedInt64(5, values);
        }
        writer.WritePackedInt64(7, tensor.Int64Data);
        WriteNonEmpty(writer, 8, tensor.Name);
        if (tensor.RawData.Length > 0)
        {
            writer.WriteBytes(9, tensor.RawData);
        }
        return writer;
    }

    private static void WriteValueInfos(ProtoWriter writer, int field, List<OnnxValueInfo> infos)
    {
        foreach (OnnxValueInfo info in infos)
        {
            var value = new ProtoWriter();
            value.WriteString(1, info.Name);
            var tensorType = new ProtoWriter();
            tensorType.WriteInt32(1, (int)info.ElementType);
            if (info.Shape is not null)
            {
                var shape = new ProtoWriter();
                foreach (OnnxDimension dim in info.Shape)
                {
                    var dimension = new ProtoWriter();
                    if (dim.Value is long v)
                    {
                        dimension.WriteInt64(1, v);
                    }
                    else if (dim.Parameter is not null)
                    {
                        dimension.WriteString(2, dim.Parameter);
                    }
                    shape.WriteMessage(1, dimension);
                }
                tensorType.WriteMessage(2, shape);
            }
            var type = new ProtoWriter();
            type.WriteMessage(1, tensorType);
            value.WriteMessage(2, type);
            WriteNonEmpty(value, 3, info.DocString);
            writer.WriteMessage(field, value);
        }
    }

    private static void WriteNonEmpty(ProtoWriter writer, int field, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteString(field, value);
        }
    }
}
