using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Serialization;

namespace ConvGen.Training.Tests;

/// <summary>
/// Crafted, truncated and randomly damaged safetensors files: every one is either read or
/// refused with an <see cref="InvalidDataException"/> whose message starts with the file name and
/// names the field and the bad value; nothing else escapes, and nothing is allocated from a
/// declared size before it is checked.
/// </summary>
public class SafeTensorsHostileInputTests
{
    private const string Tensor = "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]";

    public static TheoryData<string, byte[], string> HostileFiles() => new()
    {
        { "invalid UTF-8 in a name", File(Utf8("{\"ab").Concat(new byte[] { 0xFF, 0xFE }).Concat(Utf8("\":{" + Tensor + "}}")).ToArray(), 4), "key #1 of the header is not valid text (invalid UTF-8 or an unpaired surrogate): ab\\xFF\\xFE" },
        { "unpaired surrogate in a name", File("{\"x\\ud800\":{" + Tensor + "}}", 4), "key #1 of the header is not valid text (invalid UTF-8 or an unpaired surrogate): x\\ud800" },
        { "unpaired surrogate in a metadata value", File("{\"__metadata__\":{\"note\":\"\\udc00\"}}", 0), "metadata 'note' is not valid text (invalid UTF-8 or an unpaired surrogate): \"\\udc00\"" },
        { "invalid UTF-8 in a dtype", File(Utf8("{\"w\":{\"dtype\":\"F").Concat(new byte[] { 0xC3 }).Concat(Utf8("\",\"shape\":[1],\"data_offsets\":[0,4]}}")).ToArray(), 4), "the dtype of tensor 'w' is not valid text" },
        { "string offsets", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}", 4), "tensor 'w' needs data_offsets [begin, end] as two integers (data_offsets is [\"0\",\"4\"])" },
        { "fractional offset", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", 4), "tensor 'w' needs data_offsets [begin, end] as two integers (data_offsets is [0,4.0])" },
        { "offset beyond int64", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4), "data_offsets is [0,99999999999999999999]" },
        { "three offsets", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8), "tensor 'w' needs data_offsets [begin, end] as two integers (data_offsets is [0,4,8])" },
        { "offsets an object", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{\"a\":1}}}", 4), "(data_offsets is {\"a\":1})" },
        { "numeric metadata that overflows", File("{\"__metadata__\":{\"epochs\":1e999}}", 0), "metadata 'epochs' is JSON Number (1e999); safetensors metadata values must be strings" },
        { "element count overflowing int64", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has shape [4294967296,4294967296], whose size in bytes overflows a 64-bit count" },
        { "byte count overflowing int64", File("{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}", 8), "tensor 'w' has shape [2305843009213693952], whose size in bytes overflows" },
        { "dimension beyond int64", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551615],\"data_offsets\":[0,4]}}", 4), "dimension 0 (18446744073709551615) must be an integer from 0 to" },
        { "fractional dimension", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has shape [1.5]; dimension 0 (1.5) must be an integer" },
        { "dimension beyond int32 in an empty tensor", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[0,3000000000],\"data_offsets\":[0,0]}}", 0), "tensor 'w' has shape [0,3000000000]; ConvGen holds dimensions up to 2147483647" },
        { "negative dimension", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has shape [2,-2]; dimension 1 (-2) must be an integer" },
        { "offsets beyond the file", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}", 4), "tensor 'w' has data_offsets [0,4000000000] outside the 4-byte data buffer" },
        { "length not element count times size", File("{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "tensor 'w' has shape [3] (3 BF16 values, 2 bytes each) but data_offsets [0,8] span 8 bytes" },
        { "duplicate tensors", File("{\"a\":{" + Tensor + "},\"b\":{" + Tensor + "}}", 4), "tensors 'a' (bytes 0..4) and 'b' (bytes 0..4) overlap" },
        { "duplicate key in the header", File("{\"a\":{" + Tensor + "},\"a\":{" + Tensor + "}}", 4), "'a' appears twice in the header" },
        { "duplicate key written differently", File("{\"a\":{" + Tensor + "},\"\\u0061\":{" + Tensor + "}}", 4), "'a' appears twice in the header" },
        { "duplicate metadata key", File("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0), "metadata 'k' appears twice" },
        { "duplicate metadata section", File("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "'__metadata__' appears twice in the header" },
        { "duplicate field in a tensor", File("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has the key 'dtype' twice" },
        { "header a string", File("\"tensors\"", 0), "the header is JSON String, not an object of tensors" },
        { "header a number", File("12345678", 0), "the header is JSON Number, not an object of tensors" },
        { "tensor a number", File("{\"w\":7}", 0), "tensor 'w' is JSON Number, not an object with dtype, shape and data_offsets" },
        { "metadata an array", File("{\"__metadata__\":[\"a\"]}", 0), "'__metadata__' is JSON Array, not an object of strings" },
        { "empty header", File("", 0), "the header is not valid JSON" },
        { "nesting 100000 deep", File(new string('[', 100_000) + new string(']', 100_000), 0), "the header is not valid JSON" },
        { "trailing garbage after the JSON", File("{} x", 0), "the header is not valid JSON" },
        { "unknown dtype", File("{\"w\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has dtype 'F33', which is not a safetensors dtype" },
        { "dtype a number", File("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no dtype string (dtype is 32)" },
        { "known dtype other than F32", File("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "tensor 'w' has dtype 'I64'; ConvGen reads only F32" },
        { "header length of 2^64-1", Prefixed(ulong.MaxValue, Utf8("{}")), "header length 18446744073709551615 bytes goes beyond the end of the file (only 2 bytes follow" },
        { "header length just past the end", Prefixed(3, Utf8("{}")), "header length 3 bytes goes beyond the end of the file" },
        { "a long name is cut in the message", File("{\"" + new string('n', 5000) + "\":7}", 0), "tensor '" + new string('n', 120) + "...' is JSON Number" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_files_are_refused_naming_file_field_and_value(string name, byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name.Replace(' ', '-') + ".safetensors");
        System.IO.File.WriteAllBytes(path, content);

        var fromPath = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", fromPath.Message);
        Assert.Contains(expected, fromPath.Message);
        Assert.True(fromPath.Message.Length < 1000, fromPath.Message);

        var fromBytes = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(content, "memory"));
        Assert.Equal("memory" + fromPath.Message[path.Length..], fromBytes.Message);

        // The header reader used by `convgen inspect` refuses the same (F32-only rules aside).
        if (!expected.Contains("ConvGen reads only F32", StringComparison.Ordinal) && !expected.Contains("ConvGen holds dimensions", StringComparison.Ordinal))
        {
            var header = Assert.Throws<InvalidDataException>(() => SafeTensorsHeader.Parse(content, "memory"));
            Assert.Equal(fromBytes.Message, header.Message);
        }
    }

    [Fact]
    public void A_header_length_above_the_limit_is_refused_before_allocating_it()
    {
        // A sparse 150 MB file: the declared 120 MB header fits the file but exceeds the
        // reference implementation's 100 MB limit, so nothing close to it may be allocated.
        using var dir = new TempDirectory();
        string path = dir.File("huge-header.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 120_000_000);
            stream.Write(prefix);
            stream.SetLength(150_000_000);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith($"{path}: header length 120000000 bytes exceeds the safetensors limit of 100000000", e.Message);
        Assert.True(allocated < 1_000_000, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Declared_sizes_beyond_the_file_allocate_nothing_of_their_size()
    {
        // 99 MB header declared in a 100-byte file; a tensor claiming 4 GB of a 4-byte data buffer.
        byte[] hugeHeader = Prefixed(99_000_000, new byte[92]);
        byte[] hugeTensor = File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}", 4);
        foreach (byte[] content in new[] { hugeHeader, hugeTensor })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<InvalidDataException>(() => SafeTensors.Read(content, "memory"));
            Assert.Throws<InvalidDataException>(() => SafeTensors.Read(new MemoryStream(content), "memory"));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1_000_000, $"{allocated} bytes allocated");
        }
    }

    [Fact]
    public void Truncation_at_every_byte_is_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        string valid = dir.File("valid.safetensors");
        SafeTensors.Write(valid, SmallTensors(), new Dictionary<string, string> { ["format"] = "convgen", ["note"] = "ü" });
        byte[] bytes = System.IO.File.ReadAllBytes(valid);
        string path = dir.File("truncated.safetensors");
        for (int length = 0; length < bytes.Length; length++)
        {
            System.IO.File.WriteAllBytes(path, bytes[..length]);
            var fromPath = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
            Assert.StartsWith(path + ": ", fromPath.Message);
            var fromBytes = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(bytes.AsSpan(0, length), "truncated"));
            Assert.StartsWith("truncated: ", fromBytes.Message);
        }
    }

    [Fact]
    public void Thousands_of_random_byte_changes_either_load_or_are_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        string valid = dir.File("valid.safetensors");
        SafeTensors.Write(valid, SmallTensors(), new Dictionary<string, string> { ["format"] = "convgen" });
        byte[] original = System.IO.File.ReadAllBytes(valid);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var random = new Random(20261205);
        // Bytes that make the damage structural rather than random noise inside a string.
        byte[] interesting = Utf8("{}[]\",:-.0123456789eE\\u ").Concat(new byte[] { 0x00, 0x80, 0xC3, 0xED, 0xFF }).ToArray();
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            int changes = 1 + random.Next(3);
            for (int c = 0; c < changes; c++)
            {
                // Mostly the header, where the structure lives; sometimes the length prefix or data.
                int at = random.Next(10) < 8 ? random.Next(8, headerEnd) : random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch
                {
                    0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                    1 => interesting[random.Next(interesting.Length)],
                    _ => (byte)random.Next(256),
                };
            }
            try
            {
                SafeTensors.Read(bytes, "trial " + trial);
                loaded++;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("trial " + trial + ": ", e.Message);
                refused++;
            }
        }
        Assert.True(refused > 1000 && loaded > 100, $"{refused} refused, {loaded} loaded: the damage should hit both cases");
    }

    [Fact]
    public void The_path_and_stream_readers_agree_with_the_span_reader_on_damaged_files()
    {
        using var dir = new TempDirectory();
        string valid = dir.File("valid.safetensors");
        SafeTensors.Write(valid, SmallTensors());
        byte[] original = System.IO.File.ReadAllBytes(valid);
        var random = new Random(7);
        string path = dir.File("damaged.safetensors");
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            System.IO.File.WriteAllBytes(path, bytes);
            string? fromSpan = Outcome(() => SafeTensors.Read(bytes, path));
            Assert.Equal(fromSpan, Outcome(() => SafeTensors.Read(path)));
            Assert.Equal(fromSpan, Outcome(() => SafeTensors.Read(new MemoryStream(bytes), path)));
        }
    }

    /// <summary>Null when the read succeeds, else the message of the (only allowed) InvalidDataException.</summary>
    private static string? Outcome(Func<SafeTensorFile> read)
    {
        try
        {
            read();
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    internal static SafeTensor[] SmallTensors() => new[]
    {
        new SafeTensor("conv.weight", new[] { 2, 2 }, new[] { 1f, -2f, 0.5f, 3f }),
        new SafeTensor("conv.bias", new[] { 2 }, new[] { 0.25f, -0.125f }),
        new SafeTensor("empty", new[] { 0 }, Array.Empty<float>()),
        new SafeTensor("scale", Array.Empty<int>(), new[] { 4f }),
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] File(string header, int dataBytes) => File(Utf8(header), dataBytes);

    private static byte[] File(byte[] header, int dataBytes) => Prefixed((ulong)header.Length, header.Concat(new byte[dataBytes]).ToArray());

    private static byte[] Prefixed(ulong declaredHeaderLength, byte[] rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength);
        rest.CopyTo(bytes, 8);
        return bytes;
    }
}
