using System;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests.Hostile;

/// <summary>
/// Decoding is bounded and linear: sub-graphs nested through attribute 'g' stop at
/// <see cref="OnnxModel.MaxGraphNesting"/>, and length prefixes are checked against the bytes
/// actually left before anything is sliced or allocated.
/// </summary>
public sealed class NestingAndLengthTests
{
    /// <summary>
    /// ModelProto.graph → (GraphProto.node → NodeProto.attribute → AttributeProto.g)×levels → an
    /// empty graph, written from the inside out (nesting through ProtoWriter copies every level
    /// again, which is quadratic for the test itself).
    /// </summary>
    private static byte[] NestedGraphs(int levels)
    {
        var buffer = new byte[levels * 16 + 32];
        int start = buffer.Length;
        void Prefix(byte key, int length)
        {
            uint value = (uint)length;
            int size = 1;
            while (value >> (7 * size) != 0)
            {
                size++;
            }
            start -= size;
            for (int i = 0; i < size; i++)
            {
                buffer[start + i] = (byte)(((value >> (7 * i)) & 0x7Fu) | (i < size - 1 ? 0x80u : 0u));
            }
            buffer[--start] = key;
        }
        int graphLength = 0;
        for (int level = 0; level < levels; level++)
        {
            Prefix(0x32, graphLength);                        // AttributeProto.g (field 6, length-delimited)
            int attributeLength = buffer.Length - start;
            Prefix(0x2A, attributeLength);                    // NodeProto.attribute (field 5)
            int nodeLength = buffer.Length - start;
            Prefix(0x0A, nodeLength);                         // GraphProto.node (field 1)
            graphLength = buffer.Length - start;
        }
        Prefix(0x3A, graphLength);                            // ModelProto.graph (field 7)
        return buffer.AsSpan(start).ToArray();
    }

    [Fact]
    public void The_nesting_helper_writes_what_the_decoder_reads()
    {
        OnnxModel model = OnnxModel.Parse(NestedGraphs(3), "n.onnx");
        OnnxGraph graph = model.Graph;
        for (int level = 0; level < 3; level++)
        {
            graph = Assert.Single(Assert.Single(graph.Nodes).Attributes).Graph!;
        }
        Assert.Empty(graph.Nodes);
    }

    [Fact]
    public void Sub_graphs_nested_100000_deep_are_refused_at_the_limit_allocating_less_than_the_file()
    {
        byte[] bytes = NestedGraphs(100_000);
        Assert.InRange(bytes.Length, 1_000_000, 1_300_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxModel.Parse(bytes, "deep.onnx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The old decoder overflowed the stack here after ~1.4 GB of path strings.
        Assert.True(allocated < bytes.Length, $"decoding allocated {allocated} bytes for a {bytes.Length}-byte file");
        Assert.StartsWith("deep.onnx/graph/node[0]/attribute[0]/g/", error.Message);
        Assert.Contains($"nested {OnnxModel.MaxGraphNesting + 1} levels deep", error.Message);
        Assert.Contains($"at most {OnnxModel.MaxGraphNesting}", error.Message);
        Assert.Contains("levels)…", error.Message); // the middle of a deep path is elided, so the message stays short
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void The_importer_reports_the_deep_file_by_name()
    {
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxImporter.Import(NestedGraphs(10_000), "deep.onnx"));
        Assert.StartsWith("deep.onnx/", error.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read_and_allocation_stays_linear()
    {
        byte[] bytes = NestedGraphs(OnnxModel.MaxGraphNesting);
        long before = GC.GetAllocatedBytesForCurrentThread();
        OnnxModel model = OnnxModel.Parse(bytes, "ok.onnx");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Single(model.Graph.Nodes);
        // Three small objects and their lists per level; quadratic path strings would be ~64x more.
        Assert.True(allocated < 2_000 * OnnxModel.MaxGraphNesting, $"{allocated} bytes for {OnnxModel.MaxGraphNesting} levels");
        Assert.Throws<ProtobufFormatException>(() => OnnxModel.Parse(NestedGraphs(OnnxModel.MaxGraphNesting + 1), "over.onnx"));
    }

    [Fact]
    public void The_reader_refuses_messages_nested_deeper_than_its_own_limit()
    {
        // Field 1 length-delimited, nested MaxDepth + 1 times, read by a reader that descends into everything.
        int levels = ProtoReader.MaxDepth + 1;
        var error = Assert.Throws<ProtobufFormatException>(() => DescendGeneric(EncodeNested(levels)));
        Assert.Contains($"at most {ProtoReader.MaxDepth}", error.Message);
        Assert.StartsWith("generic/m/m/m/m/m/m/…(", error.Message);
    }

    private static byte[] EncodeNested(int levels)
    {
        byte[] inner = [];
        for (int i = 0; i < levels; i++)
        {
            var writer = new ProtoWriter();
            writer.WriteBytes(1, inner);
            inner = writer.WrittenSpan.ToArray();
        }
        return inner;
    }

    private static void DescendGeneric(byte[] bytes)
    {
        var reader = new ProtoReader(bytes, "generic");
        Descend(ref reader);
    }

    private static void Descend(ref ProtoReader reader)
    {
        while (reader.TryReadKey(out _, out WireType wire))
        {
            var child = reader.ReadMessage(wire, "m");
            Descend(ref child);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "claims 4294967295 bytes")]                       // graph: 2^32-1 bytes, 0 left
    [InlineData(new byte[] { 0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "claims 18446744073709551615 bytes")] // 2^64-1
    [InlineData(new byte[] { 0x3A, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00 }, "claims 2147483648 bytes")]                  // int.MaxValue + 1
    [InlineData(new byte[] { 0x3A, 0x05, 0x2A, 0xFF, 0xFF, 0xFF, 0x7F }, "claims 268435455 bytes but only 0 remain")] // initializer longer than its graph
    [InlineData(new byte[] { 0x3A, 0x07, 0x2A, 0x05, 0x22, 0x03, 0x00, 0x00, 0x00 }, "not a multiple of 4")]          // packed float_data of 3 bytes
    [InlineData(new byte[] { 0x3A, 0x08, 0x2A, 0x06, 0x0A, 0x04, 0xFF, 0xFF, 0xFF, 0xFF }, "runs past the end")]       // packed dims varint cut
    [InlineData(new byte[] { 0x3A, 0x04, 0x12, 0x02, 0xC3, 0x28 }, "not valid UTF-8")]                                 // graph name
    [InlineData(new byte[] { 0x3A, 0x00, 0x1B }, "wire type 3")]                                                       // group start
    public void Length_prefixes_and_values_are_checked_against_the_bytes_present(byte[] bytes, string expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProtobufFormatException>(() => OnnxImporter.Import(bytes, "short.onnx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("short.onnx", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for a {bytes.Length}-byte input");
    }

    [Fact]
    public void A_file_of_50000_empty_nodes_is_refused_listing_100_issues_and_allocating_linearly()
    {
        // ModelProto.graph { node { op_type "" } × 50,000 }: 4 bytes per node, the cheapest node there is.
        const int nodes = 50_000;
        var graph = new byte[4 * nodes];
        for (int i = 0; i < nodes; i++)
        {
            graph[4 * i] = 0x0A;     // GraphProto.node
            graph[4 * i + 1] = 0x02;
            graph[4 * i + 2] = 0x22; // NodeProto.op_type
        }
        var writer = new ProtoWriter();
        writer.WriteBytes(7, graph);
        byte[] bytes = writer.WrittenSpan.ToArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, "wide.onnx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(101, error.Issues.Count);
        // 50,000 unknown operators and the missing graph input, 100 of them listed.
        Assert.Equal("49901 more issue(s) not listed", error.Issues[^1].Reason);
        Assert.True(error.Message.Length < 100 * 1024, $"message of {error.Message.Length} characters");
        // About 200 bytes of node objects per 4-byte node; no per-node message beyond the first 100.
        Assert.True(allocated < 100L * bytes.Length, $"{allocated} bytes allocated for a {bytes.Length}-byte file");
    }
}
