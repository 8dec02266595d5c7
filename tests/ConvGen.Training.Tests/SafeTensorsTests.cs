using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Serialization;

namespace ConvGen.Training.Tests;

public class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var tensors = new[]
        {
            new SafeTensor("conv2d.weight", new[] { 3, 3, 1, 2 }, Enumerable.Range(0, 18).Select(i => i * 0.5f - 4f).ToArray()),
            new SafeTensor("conv2d.bias", new[] { 2 }, new[] { float.MinValue, float.Epsilon }),
            new SafeTensor("scalar", Array.Empty<int>(), new[] { float.NegativeInfinity }),
            new SafeTensor("empty", new[] { 0, 3 }, Array.Empty<float>()),
            new SafeTensor("ünïcode ✓", new[] { 1 }, new[] { float.NaN }),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "convgen", ["note"] = "quotes \" and \\ and\nnewline" };

        SafeTensors.Write(path, tensors, metadata);
        SafeTensorFile file = SafeTensors.Read(path);

        Assert.Equal(path, file.Path);
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
        foreach (SafeTensor expected in tensors)
        {
            SafeTensor actual = file.Get(expected.Name);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data.Select(BitConverter.SingleToInt32Bits), actual.Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.False(File.Exists(path + ".tmp"));
        AssertReferenceReaderWouldAccept(path);
    }

    /// <summary>
    /// The rules the reference (Rust) reader enforces beyond ours: a header starting with '{',
    /// tensors sorted by offset contiguous from 0, and the last one ending exactly at the end of the file.
    /// </summary>
    private static void AssertReferenceReaderWouldAccept(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal((byte)'{', bytes[8]);
        using var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var offsets = header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .Select(p => (Begin: p.Value.GetProperty("data_offsets")[0].GetInt64(), End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(o => o.Begin).ThenBy(o => o.End)
            .ToList();
        long start = 0;
        foreach (var (begin, end) in offsets)
        {
            Assert.Equal(start, begin);
            start = end;
        }
        Assert.Equal(bytes.LongLength, 8 + (long)n + start);
    }

    [Fact]
    public void Golden_bytes_of_a_tiny_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tiny.safetensors");
        SafeTensors.Write(path,
            new[] { new SafeTensor("a", new[] { 2 }, new[] { 1f, -2f }), new SafeTensor("b", new[] { 1, 1 }, new[] { 0.5f }) },
            new Dictionary<string, string> { ["format"] = "convgen" });
        byte[] bytes = File.ReadAllBytes(path);

        // The JSON below is 146 bytes; 6 spaces pad it to 152 so that the data starts at 8 + 152 = 160,
        // a multiple of 8. Offsets count from the data start: a = bytes [0,8), b = [8,12).
        const string json = "{\"__metadata__\":{\"format\":\"convgen\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";
        Assert.Equal(146, json.Length);
        const int headerLength = 152;
        string header = json + "      ";
        Assert.Equal((ulong)headerLength, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(header, Encoding.UTF8.GetString(bytes, 8, headerLength));
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, 0.5f = 0x3F000000, little-endian.
        byte[] data = { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F };
        Assert.Equal(data, bytes[(8 + headerLength)..]);
        Assert.Equal(8 + headerLength + 12, bytes.Length);
    }

    [Fact]
    public void Header_is_padded_with_spaces_to_8_byte_alignment()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pad.safetensors");
        SafeTensors.Write(path, new[] { new SafeTensor("x", new[] { 1 }, new[] { 1f }) });
        byte[] bytes = File.ReadAllBytes(path);
        const string json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"; // 54 bytes, no metadata
        Assert.Equal(56UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json + "  ", Encoding.UTF8.GetString(bytes, 8, 56));
        Assert.Equal(8 + 56 + 4, bytes.Length);
    }

    // ---- corrupt files: each names the file, the tensor and the problem -----------------------

    public static TheoryData<string, byte[], string> CorruptFiles() => new()
    {
        { "too short", new byte[] { 1, 2, 3, 4, 5 }, "file too short for safetensors: 5 bytes" },
        { "header beyond file", WithHeaderLength(1000, "{}"), "header length 1000 bytes goes beyond the end of the file (only 2 bytes follow" },
        { "invalid JSON", Corrupt("{\"a\": {\"dtype\": \"F32\", ", new byte[0]), "the header is not valid JSON" },
        { "not an object", Corrupt("[1, 2]", new byte[0]), "the header is JSON Array, not an object of tensors" },
        { "unsupported dtype", Corrupt("{\"half\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'half' has dtype 'F16'; ConvGen reads only F32" },
        { "offsets out of range", Corrupt("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]), "tensor 'w' has data_offsets [0,16] outside the 8-byte data buffer" },
        { "offsets reversed", Corrupt("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", new byte[8]), "tensor 'w' has data_offsets [8,4] outside" },
        { "overlapping", Corrupt("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "tensors 'a' (bytes 0..8) and 'b' (bytes 4..12) overlap" },
        { "shape vs bytes", Corrupt("{\"k\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", new byte[16]), "tensor 'k' has shape [2,3] (6 F32 values, 4 bytes each) but data_offsets [0,16] span 16 bytes" },
        { "negative dimension", Corrupt("{\"k\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'k' has shape [-1]; dimension 0 (-1) must be an integer from 0 to" },
        { "missing offsets", Corrupt("{\"k\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "tensor 'k' needs data_offsets [begin, end]" },
        { "missing dtype", Corrupt("{\"k\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'k' has no dtype string" },
        { "metadata not string", Corrupt("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), "metadata 'epoch' is JSON Number (3); safetensors metadata values must be strings" },
        { "duplicate name", Corrupt("{\"k\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"k\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "'k' appears twice in the header" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Corrupt_files_are_refused_with_a_message_naming_file_and_tensor(string name, byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name.Replace(' ', '-') + ".safetensors");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private static byte[] WithHeaderLength(ulong declared, string header)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] Corrupt(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return WithHeaderLength((ulong)json.Length, header).Concat(data).ToArray();
    }

    [Fact]
    public void Get_of_a_missing_tensor_lists_what_the_file_holds()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        SafeTensors.Write(path, new[] { new SafeTensor("a", new[] { 1 }, new[] { 1f }) });
        var e = Assert.Throws<KeyNotFoundException>(() => SafeTensors.Read(path).Get("b"));
        Assert.Equal($"{path}: no tensor 'b'; the file holds 'a'.", e.Message);
        Assert.False(SafeTensors.Read(path).TryGet("b", out _));
    }

    // ---- atomic writes -------------------------------------------------------------------------

    [Fact]
    public void A_failed_write_leaves_the_target_unchanged_and_no_temporary_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 2 }, new[] { 1f, 2f }) });
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, new[]
        {
            new SafeTensor("w", new[] { 2 }, new[] { 3f, 4f }),
            new SafeTensor("broken", new[] { 2, 2 }, new[] { 1f, 2f, 3f }),
        }));

        Assert.Contains($"{path}: tensor 'broken' has shape [2,2] (4 values) but 3 data values", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_failure_after_the_temporary_file_is_written_deletes_it()
    {
        // The target is a directory, so the final rename fails after the whole temporary file
        // has been written and flushed: the temporary file must go and the target stay as it was.
        using var dir = new TempDirectory();
        string path = dir.File("occupied");
        Directory.CreateDirectory(path);
        Assert.ThrowsAny<Exception>(() => SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 1f }) }));
        Assert.True(Directory.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_stale_temporary_file_from_a_crash_is_replaced()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        File.WriteAllText(path + ".tmp", "half-written garbage from a crashed run");
        SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 7f }) });
        Assert.Equal(7f, SafeTensors.Read(path).Get("w").Data[0]);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_write_deletes_only_the_temporary_files_killed_writes_to_the_same_target_left()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        string[] ours =
        {
            path + ".tmp", // the fixed name of earlier versions
            path + ".0123456789abcdef0123456789abcdef.tmp",
            path + ".ffffffffffffffffffffffffffffffff.tmp",
        };
        string[] others =
        {
            dir.File("other.safetensors.0123456789abcdef0123456789abcdef.tmp"),
            dir.File("xw.safetensors.0123456789abcdef0123456789abcdef.tmp"),
            path + ".notes.tmp",
            path + ".0123456789ABCDEF0123456789ABCDEF.tmp",
            path + ".0123456789abcdef0123456789abcde.tmp",
            path + ".0123456789abcdef0123456789abcdef.tmp.bak",
            path + ".0123456789abcdef0123456789abcdef.tmpx",
            path + ".bak",
        };
        foreach (string file in ours.Concat(others))
        {
            File.WriteAllText(file, "left behind");
        }

        SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 7f }) });

        Assert.All(ours, file => Assert.False(File.Exists(file), file));
        Assert.All(others, file => Assert.True(File.Exists(file), file));
        Assert.Equal(7f, SafeTensors.Read(path).Get("w").Data[0]);
    }

    [Fact]
    public void A_temporary_file_still_being_written_is_not_deleted()
    {
        // Another writer holds its temporary file open (locked); a concurrent write must leave it.
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        string live = path + ".00000000000000000000000000000000.tmp";
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 1f }) });
            Assert.True(File.Exists(live));
        }
        SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 2f }) });
        Assert.False(File.Exists(live));
    }

    [Fact]
    public void Write_refuses_unpaired_surrogates_that_UTF8_cannot_hold()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.safetensors");
        var name = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, new[] { new SafeTensor("w\ud800", new[] { 1 }, new[] { 1f }) }));
        Assert.Contains($"{path}: tensors[0] has a name with an unpaired surrogate", name.Message);
        var value = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, new[] { new SafeTensor("w", new[] { 1 }, new[] { 1f }) }, new Dictionary<string, string> { ["note"] = "\udc00" }));
        Assert.Contains($"{path}: metadata entry 'note' has an unpaired surrogate in its value", value.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_refuses_bad_names()
    {
        using var dir = new TempDirectory();
        string path = dir.File("n.safetensors");
        var duplicate = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, new[]
        {
            new SafeTensor("w", new[] { 1 }, new[] { 1f }), new SafeTensor("w", new[] { 1 }, new[] { 1f }),
        }));
        Assert.Contains("tensor 'w' appears twice", duplicate.Message);
        var reserved = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, new[] { new SafeTensor("__metadata__", new[] { 1 }, new[] { 1f }) }));
        Assert.Contains("other than '__metadata__'", reserved.Message);
        Assert.False(File.Exists(path));
    }
}
