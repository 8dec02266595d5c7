using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ConvGen.Data;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Serialization;

namespace ConvGen.Fuzz;

/// <summary>
/// Seed corpora: small valid inputs for each reader, made with ConvGen's own writers where it has
/// one (safetensors, ONNX) and byte by byte from the format's definition otherwise (IDX, CSV).
/// Each seed is read back through the reader before it is kept, so a seed is never a finding.
/// The harnesses' selector byte (IDX, CSV) is the first byte of the seed.
/// </summary>
public static class SeedCorpus
{
    public static void WriteAll(string folder)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"convgen-fuzz-seeds-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            Write(folder, "safetensors", SafeTensorSeeds(scratch));
            Write(folder, "onnx", OnnxSeeds());
            Write(folder, "idx", IdxSeeds());
            Write(folder, "csv", CsvSeeds());
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void Write(string folder, string reader, IEnumerable<(string Name, byte[] Bytes)> seeds)
    {
        string target = Path.Combine(folder, reader);
        Directory.CreateDirectory(target);
        var harness = Fuzz.Harnesses.Harness.Find(reader)!;
        foreach ((string name, byte[] bytes) in seeds)
        {
            harness.Run(bytes);
            File.WriteAllBytes(Path.Combine(target, name), bytes);
            Console.WriteLine($"{reader}/{name}: {bytes.Length} bytes");
        }
    }

    private static IEnumerable<(string, byte[])> SafeTensorSeeds(string scratch)
    {
        string plain = Path.Combine(scratch, "plain.safetensors");
        SafeTensors.Write(plain,
            [new SafeTensor("weight", [2, 3], [1, -2, 3.5f, 0, 1e-3f, -7]), new SafeTensor("bias", [3], [0.5f, 0, -0.5f])],
            new Dictionary<string, string> { ["note"] = "seed" });
        SafeTensors.Read(plain);
        yield return ("plain.safetensors", File.ReadAllBytes(plain));

        // The metadata WeightsFile.Save writes, so SavedNetwork.Read gets past the layer table.
        string network = Path.Combine(scratch, "network.safetensors");
        var input = TensorShape.Spatial(4, 4, 1);
        var output = TensorShape.Vector(2);
        SafeTensors.Write(network,
            [new SafeTensor("dense.weight", [16, 2], Enumerable.Range(0, 32).Select(i => i / 32f).ToArray()), new SafeTensor("dense.bias", [2], [0.1f, -0.1f])],
            new Dictionary<string, string>
            {
                ["format"] = WeightsFile.Format,
                ["network"] = "Seeds.TinyNet",
                ["input_shape"] = input.ToString(),
                ["output_shape"] = output.ToString(),
                ["parameter_count"] = "34",
                ["layers"] = $"0 flatten Flatten {input}->{TensorShape.Vector(16)} params=0 ()\n1 dense Dense {TensorShape.Vector(16)}->{output} params=34 (2 units)",
                ["layouts"] = "dense.weight=IO,dense.bias=O",
                [SavedNetwork.FrozenLayersKey] = "0",
            });
        SavedNetwork.Read(network);
        yield return ("network.safetensors", File.ReadAllBytes(network));

        string empty = Path.Combine(scratch, "empty.safetensors");
        SafeTensors.Write(empty, []);
        yield return ("empty.safetensors", File.ReadAllBytes(empty));
    }

    private static IEnumerable<(string, byte[])> OnnxSeeds()
    {
        // Conv (with bias) -> Relu -> MaxPool -> Flatten -> Gemm: the common CNN head and body.
        var model = new OnnxModel { ProducerName = "convgen-fuzz-seed" };
        model.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph graph = model.Graph;
        graph.Name = "seed";
        graph.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 4, 4));
        graph.Initializers.Add(OnnxTensor.FromFloats("conv.w", Enumerable.Range(0, 54).Select(i => (i % 7) / 7f - 0.5f).ToArray(), 3, 2, 3, 3));
        graph.Initializers.Add(OnnxTensor.FromFloats("conv.b", [0.1f, 0, -0.1f], 3));
        graph.Initializers.Add(OnnxTensor.FromFloats("fc.w", Enumerable.Range(0, 60).Select(i => (i % 5) / 5f).ToArray(), 5, 12));
        graph.Initializers.Add(OnnxTensor.FromFloats("fc.b", new float[5], 5));
        graph.Nodes.Add(Node("Conv", "conv", ["x", "conv.w", "conv.b"], "c",
            OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1), OnnxAttribute.FromInts("strides", 1, 1)));
        graph.Nodes.Add(Node("Relu", "relu", ["c"], "r"));
        graph.Nodes.Add(Node("MaxPool", "pool", ["r"], "p", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)));
        graph.Nodes.Add(Node("Flatten", "flatten", ["p"], "f", OnnxAttribute.FromInt("axis", 1)));
        graph.Nodes.Add(Node("Gemm", "fc", ["f", "fc.w", "fc.b"], "y", OnnxAttribute.FromInt("transB", 1)));
        graph.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 5));
        OnnxImporter.Import(model, "seed.onnx");
        yield return ("cnn.onnx", model.ToBytes());

        // Encoder-decoder: ConvTranspose with PyTorch's pads (Conv2DTranspose + Cropping2D), Resize by
        // Constant scales, Slice by Constant bounds, Concat on the channels.
        var unet = new OnnxModel { ProducerName = "convgen-fuzz-seed" };
        unet.OpsetImports.Add(new OnnxOpsetImport("", 13));
        OnnxGraph g = unet.Graph;
        g.Name = "encoder-decoder";
        g.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 2, 4, 4));
        g.Initializers.Add(OnnxTensor.FromFloats("up.w", Enumerable.Range(0, 36).Select(i => (i % 5) / 5f - 0.4f).ToArray(), 2, 2, 3, 3));
        g.Nodes.Add(Node("MaxPool", "pool", ["x"], "p", OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)));
        g.Nodes.Add(Node("ConvTranspose", "up", ["p", "up.w"], "u",
            OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("pads", 1, 1, 1, 1), OnnxAttribute.FromInts("output_padding", 1, 1)));
        g.Nodes.Add(Node("Constant", "scales", [], "s", new OnnxAttribute { Name = "value", Type = OnnxAttributeType.Tensor, Tensor = OnnxTensor.FromFloats("", [1f, 1f, 3f, 3f], 4) }));
        g.Nodes.Add(Node("Resize", "resize", ["p", "", "s"], "r", new OnnxAttribute { Name = "mode", Type = OnnxAttributeType.String, String = "linear"u8.ToArray() }));
        g.Nodes.Add(Node("Constant", "starts", [], "b", new OnnxAttribute { Name = "value_ints", Type = OnnxAttributeType.Ints, Ints = { 1, 1 } }));
        g.Nodes.Add(Node("Constant", "ends", [], "e", new OnnxAttribute { Name = "value_ints", Type = OnnxAttributeType.Ints, Ints = { 5, -1 } }));
        g.Nodes.Add(Node("Constant", "axes", [], "a", new OnnxAttribute { Name = "value_ints", Type = OnnxAttributeType.Ints, Ints = { 2, 3 } }));
        g.Nodes.Add(Node("Slice", "crop", ["r", "b", "e", "a"], "c"));
        g.Nodes.Add(Node("Concat", "join", ["u", "c", "x"], "y", OnnxAttribute.FromInt("axis", 1)));
        g.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 6, 4, 4));
        OnnxImporter.Import(unet, "seed.onnx");
        yield return ("encoder-decoder.onnx", unet.ToBytes());

        // An operator the importer refuses: the error path with a well-formed model.
        var refused = new OnnxModel();
        refused.OpsetImports.Add(new OnnxOpsetImport("", 13));
        refused.Graph.Inputs.Add(OnnxValueInfo.FloatTensor("x", 1, 1, 2, 2));
        refused.Graph.Nodes.Add(Node("LRN", "lrn", ["x"], "y", OnnxAttribute.FromInt("size", 3)));
        refused.Graph.Outputs.Add(OnnxValueInfo.FloatTensor("y", 1, 1, 2, 2));
        yield return ("unsupported.onnx", refused.ToBytes());
    }

    private static OnnxNode Node(string op, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new OnnxNode { OpType = op, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.Add(output);
        node.Attributes.AddRange(attributes);
        return node;
    }

    private static IEnumerable<(string, byte[])> IdxSeeds()
    {
        byte[] images = IdxFile(IdxReader.ImagesMagic, [2, 3, 3], Enumerable.Range(0, 18).Select(i => (byte)(i * 14)).ToArray());
        byte[] labels = IdxFile(IdxReader.LabelsMagic, [2], [1, 0]);
        yield return ("images.bin", [0, .. images]);
        yield return ("images-gzip.bin", [0, .. Gzip(images)]);
        yield return ("labels.bin", [1, .. labels]);
        byte[] length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)images.Length);
        yield return ("dataset.bin", [2, .. length, .. images, .. labels]);
    }

    private static byte[] IdxFile(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }
        return memory.ToArray();
    }

    private static IEnumerable<(string, byte[])> CsvSeeds()
    {
        // Selector bits (see CsvHarness): 1 no header, 2 skip bad rows, 4 ';' separator, 8 first column is the target.
        yield return ("header.csv", Csv(0, "x1,x2,y\n1.5,2,3.5\n-1e-3,0,1\n4,5,6\n"));
        yield return ("no-header-skip.csv", Csv(1 | 2, "1,2,3\n4,5,6\nbad,7,8\n"));
        yield return ("semicolon-first-target.csv", Csv(4 | 8, "\uFEFFt;a;b\r\n1;2;3\r\n4;5;6\r\n"));
    }

    private static byte[] Csv(byte selector, string text) => [selector, .. Encoding.UTF8.GetBytes(text)];
}
