using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Serialization;
using CsCheck;

namespace ConvGen.Training.Tests;

/// <summary>Properties of the safetensors reader and writer over generated inputs (CsCheck shrinks failures to a small case).</summary>
public class SafeTensorsPropertyTests
{
    // Names mix ASCII, multi-byte UTF-8, surrogate pairs and JSON-escaped characters.
    private static readonly Gen<string> NamePart = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 1, 8],
        Gen.OneOf<string>("ü", "✓", "漢字", "😀", "\"", "\\", "\n", "/", ".", " ", "__metadata"));

    private static readonly Gen<float[]> AnyFloats = Gen.Int.Select(BitConverter.Int32BitsToSingle).Array;

    private static readonly Gen<(int[] Shape, float[] Data)> ShapedData =
        Gen.Int[0, 4].Array[0, 3].SelectMany(shape =>
            Gen.Int.Select(BitConverter.Int32BitsToSingle).Array[shape.Aggregate(1, (p, d) => p * d)].Select(data => (shape, data)));

    private static readonly Gen<List<SafeTensor>> TensorSets =
        Gen.Select(NamePart.Array[1, 3], ShapedData, (parts, tensor) => (Name: string.Concat(parts), tensor.Shape, tensor.Data))
            .List[0, 6]
            // Suffixing the position keeps names unique and never equal to "__metadata__".
            .Select(list => list.Select((t, i) => new SafeTensor($"{t.Name}#{i}", t.Shape, t.Data)).ToList());

    private static readonly Gen<Dictionary<string, string>> Metadata =
        Gen.Dictionary(Gen.Select(NamePart.Array[1, 3], parts => string.Concat(parts)), Gen.Select(NamePart.Array[0, 4], parts => string.Concat(parts)))[0, 4];

    [Fact]
    public void Random_tensor_sets_round_trip_exactly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("property.safetensors");
        Gen.Select(TensorSets, Metadata).Sample((tensors, metadata) =>
        {
            SafeTensors.Write(path, tensors, metadata);
            byte[] bytes = File.ReadAllBytes(path);
            foreach (SafeTensorFile file in new[] { SafeTensors.Read(path), SafeTensors.Read(bytes, path) })
            {
                Assert.Equal(metadata.OrderBy(m => m.Key, StringComparer.Ordinal), file.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal));
                Assert.Equal(tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
                foreach (var (expected, actual) in tensors.Zip(file.Tensors))
                {
                    Assert.Equal(expected.Shape, actual.Shape);
                    // Bit patterns, so every NaN payload and -0 must survive too.
                    Assert.Equal(expected.Data.Select(BitConverter.SingleToInt32Bits), actual.Data.Select(BitConverter.SingleToInt32Bits));
                }
            }
        }, iter: 300, threads: 1); // one thread: every sample writes the same file
    }

    [Fact]
    public void Any_bytes_either_load_or_throw_InvalidDataException_naming_the_source()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => AssertLoadsOrRefuses(bytes), iter: 3000);
    }

    [Fact]
    public void Any_header_text_after_a_correct_length_either_loads_or_throws_InvalidDataException()
    {
        // Random bytes rarely get past the length prefix; these headers do, so the JSON checks run.
        Gen<string> token = Gen.OneOf<string>(
            "{", "}", "[", "]", ",", ":", "\"w\"", "\"__metadata__\"", "\"dtype\"", "\"F32\"", "\"BF16\"", "\"shape\"", "\"data_offsets\"",
            "0", "4", "8", "-1", "1.5", "1e3", "99999999999999999999", "4294967296", "\"x\"", "null", "true", "\"\\ud800\"", "\"\\u0077\"");
        Gen<byte[]> files = Gen.Select(token.Array[0, 40], Gen.Int[0, 16], (tokens, dataBytes) =>
        {
            byte[] json = Encoding.UTF8.GetBytes(string.Concat(tokens));
            var bytes = new byte[8 + json.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
            json.CopyTo(bytes, 8);
            return bytes;
        });
        files.Sample(bytes => AssertLoadsOrRefuses(bytes), iter: 3000);
    }

    private static void AssertLoadsOrRefuses(byte[] bytes)
    {
        try
        {
            SafeTensors.Read(bytes, "generated");
        }
        catch (InvalidDataException e)
        {
            Assert.StartsWith("generated: ", e.Message);
        }
    }
}
