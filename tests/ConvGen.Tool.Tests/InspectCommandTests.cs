using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace ConvGen.Tool.Tests;

public sealed class InspectCommandTests : TemporaryFolder
{
    [Fact]
    public void Each_tensor_of_trained_weights_shows_its_statistics()
    {
        var net = TrainedWeights.Save(In("tool-net.safetensors"));
        var result = Convgen.Run("inspect", In("tool-net.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"6 tensors, {net.Parameters.Length} elements", result.Output);
        foreach (var tensor in net.ParameterTensors)
        {
            // Reference statistics by plain LINQ over the network's own parameters.
            double[] values = net.Parameters.Slice(tensor.Offset, tensor.Length).ToArray().Select(v => (double)v).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            string row = result.Output.Split('\n').Single(line => line.StartsWith(tensor.Name + " ", StringComparison.Ordinal));
            var match = System.Text.RegularExpressions.Regex.Match(row,
                $@"^{System.Text.RegularExpressions.Regex.Escape(tensor.Name)}\s+F32\s+\[{string.Join(", ", tensor.Shape)}\]\s+{tensor.Length}\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+0\s+0$");
            Assert.True(match.Success, $"unexpected row: {row}");
            double[] numbers = Enumerable.Range(1, 4).Select(g => double.Parse(match.Groups[g].Value, CultureInfo.InvariantCulture)).ToArray();
            // Printed with 6 significant digits.
            double[] expected = { values.Min(), values.Max(), mean, std };
            for (int k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(expected[k] - numbers[k]) <= 1e-5 * Math.Max(Math.Abs(expected[k]), 1e-3), $"{tensor.Name} column {k}: {numbers[k]} vs {expected[k]}");
            }
        }
        Assert.Contains("format: convgen", result.Output);
    }

    [Fact]
    public void Half_bfloat_integer_dtypes_and_nan_inf_are_decoded_and_counted()
    {
        var tensors = new List<(string Name, string DType, long[] Shape, byte[] Data)>
        {
            ("half", "F16", new long[] { 4 }, Encode(4, 2, (span, i) => BinaryPrimitives.WriteHalfLittleEndian(span, (Half)(new[] { 1.5f, -2f, 0.25f, 4f }[i])))),
            ("bfloat", "BF16", new long[] { 2 }, Encode(2, 2, (span, i) => BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BitConverter.SingleToInt32Bits(new[] { 3f, -1f }[i]) >> 16)))),
            ("steps", "I64", new long[] { 3 }, Encode(3, 8, (span, i) => BinaryPrimitives.WriteInt64LittleEndian(span, new long[] { 10, 20, -30 }[i]))),
            ("broken", "F32", new long[] { 2, 2 }, Encode(4, 4, (span, i) => BinaryPrimitives.WriteSingleLittleEndian(span, new[] { 1f, float.NaN, float.PositiveInfinity, 3f }[i]))),
        };
        WriteSafeTensors(In("mixed.safetensors"), tensors);

        var result = Convgen.Run("inspect", In("mixed.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        string Row(string name) => result.Output.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Matches(@"^half\s+F16\s+\[4\]\s+4\s+-2\s+4\s+0\.9375\s+2\.16\d*\s+0\s+0$", Row("half"));      // std of (1.5, -2, 0.25, 4) = 2.1685...
        Assert.Matches(@"^bfloat\s+BF16\s+\[2\]\s+2\s+-1\s+3\s+1\s+2\s+0\s+0$", Row("bfloat"));
        Assert.Matches(@"^steps\s+I64\s+\[3\]\s+3\s+-30\s+20\s+0\s+21\.60\d*\s+0\s+0$", Row("steps"));     // sqrt(1400/3) = 21.602...
        Assert.Matches(@"^broken\s+F32\s+\[2, 2\]\s+4\s+1\s+3\s+2\s+1\s+1\s+1$", Row("broken"));
        Assert.Contains("Warning: 1 NaN and 1 infinite values", result.Output);
    }

    [Fact]
    public void A_truncated_file_is_bad_input_that_names_the_tensor()
    {
        WriteSafeTensors(In("short.safetensors"), new List<(string, string, long[], byte[])> { ("w", "F32", new long[] { 3 }, new byte[8]) });
        var result = Convgen.Run("inspect", In("short.safetensors"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tensor 'w' has data_offsets [0,12] outside the 8-byte data buffer", result.Error);

        File.WriteAllBytes(In("tiny.safetensors"), new byte[] { 1, 2, 3 });
        var tiny = Convgen.Run("inspect", In("tiny.safetensors"));
        Assert.Equal(1, tiny.ExitCode);
        Assert.Contains("file too short for safetensors: 3 bytes", tiny.Error);
    }

    [Theory]
    [InlineData("string offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}", "tensor 'w' needs data_offsets [begin, end] as two integers (data_offsets is [\"0\",\"4\"])")]
    [InlineData("fractional offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.5]}}", "tensor 'w' needs data_offsets [begin, end] as two integers")]
    [InlineData("metadata not an object", "{\"__metadata__\":[1]}", "'__metadata__' is JSON Array, not an object of strings")]
    [InlineData("unpaired surrogate", "{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "key #1 of the header is not valid text (invalid UTF-8 or an unpaired surrogate): \\ud800")]
    [InlineData("overflowing shape", "{\"w\":{\"dtype\":\"I64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", "tensor 'w' has shape [4294967296,4294967296], whose size in bytes overflows")]
    [InlineData("unknown dtype", "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has dtype 'Q7', which is not a safetensors dtype")]
    public void A_malformed_header_is_bad_input_that_names_the_file_and_the_value(string name, string header, string expected)
    {
        string path = In(name.Replace(' ', '-') + ".safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 4];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var result = Convgen.Run("inspect", path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(path + ": " + expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error); // no stack trace
    }

    private static byte[] Encode(int count, int size, SpanWriter write)
    {
        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            write(bytes.AsSpan(i * size, size), i);
        }
        return bytes;
    }

    private delegate void SpanWriter(Span<byte> span, int index);

    /// <summary>A safetensors file written by hand (header JSON + data) with declared sizes that may not match the data.</summary>
    private static void WriteSafeTensors(string path, List<(string Name, string DType, long[] Shape, byte[] Data)> tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            long declared = shape.Aggregate(1L, (p, d) => p * d) * (dtype switch { "F16" or "BF16" => 2, "I64" => 8, _ => 4 });
            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + declared}]}},");
            offset += data.Length;
        }
        header.Length--;
        header.Append('}');
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, json.Length);
        file.Write(length);
        file.Write(json);
        foreach (var tensor in tensors)
        {
            file.Write(tensor.Data);
        }
    }
}
