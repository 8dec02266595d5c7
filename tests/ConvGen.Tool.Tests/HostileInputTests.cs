using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Tool.Tests;

/// <summary>
/// Input files that are not what they claim: corrupt, truncated, random, a folder, a pipe, a
/// device. Each is exit code 1 with one line naming the file, in bounded time, never a stack trace.
/// </summary>
public sealed class HostileInputTests : TemporaryFolder
{
    private string SavedWeights()
    {
        string path = In("tool-net.safetensors");
        WeightsFile.Save(ToolNet.Create(seed: 3), path);
        return path;
    }

    [Fact]
    public void A_truncated_weights_file_is_one_line_of_bad_input_for_every_command_that_reads_it()
    {
        byte[] whole = File.ReadAllBytes(SavedWeights());
        File.WriteAllBytes(In("cut.safetensors"), whole[..(whole.Length / 2)]);
        foreach (string[] args in new[] { new[] { "inspect" }, new[] { "summary" }, new[] { "visualize", "--out", Folder } })
        {
            var result = Convgen.Run(args.Take(1).Append(In("cut.safetensors")).Concat(args.Skip(1)).ToArray());
            result.AssertBadInput("cut.safetensors");
            Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(In("filters-conv2d.png")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_as_an_onnx_model_are_one_line_of_bad_input(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[512];
        random.NextBytes(bytes);
        File.WriteAllBytes(In("random.onnx"), bytes);
        var result = Convgen.Run("import", In("random.onnx"), "--out", In("out"));
        result.AssertBadInput("random.onnx: not a readable ONNX model");
        Assert.False(Directory.Exists(In("out")));
    }

    [Fact]
    public void A_text_file_named_as_a_picture_is_one_line_of_bad_input()
    {
        string weights = SavedWeights();
        File.WriteAllText(In("notes.png"), "this is not a picture\n");
        var result = Convgen.Run("visualize", weights, "--image", In("notes.png"), "--out", In("pictures"));
        result.AssertBadInput("notes.png");
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_given_as_a_file_is_bad_input()
    {
        Directory.CreateDirectory(In("model.onnx"));
        Convgen.Run("import", In("model.onnx")).AssertBadInput("model.onnx is a directory; expected an ONNX model");
        Directory.CreateDirectory(In("w.safetensors"));
        Convgen.Run("summary", In("w.safetensors")).AssertBadInput("w.safetensors is a directory");
    }

    [Fact]
    public void Empty_files_pipes_and_devices_are_refused_before_they_are_opened()
    {
        File.WriteAllBytes(In("empty.safetensors"), Array.Empty<byte>());
        Convgen.Run("inspect", In("empty.safetensors")).AssertBadInput("empty.safetensors: empty, or not a regular file");

        // /dev/zero never ends: reading it as a model would exhaust memory.
        File.CreateSymbolicLink(In("zero.onnx"), "/dev/zero");
        Convgen.Run("import", In("zero.onnx")).AssertBadInput("zero.onnx: empty, or not a regular file (a pipe or a device); expected an ONNX model");

        // Opening a pipe for reading blocks until something writes into it: with the old check the
        // test run would hang here.
        MakeFifo(In("pipe.safetensors"));
        Convgen.Run("summary", In("pipe.safetensors")).AssertBadInput("pipe.safetensors: empty, or not a regular file");
        MakeFifo(In("pipe.png"));
        Convgen.Run("visualize", SavedWeights(), "--image", In("pipe.png"), "--out", Folder).AssertBadInput("pipe.png: empty, or not a regular file");
    }

    [Fact]
    public void An_argument_starting_with_at_is_a_name_not_a_response_file_to_read()
    {
        // System.CommandLine would read "@FILE" as more arguments before any check: a pipe there hangs.
        MakeFifo(In("arguments"));
        var result = Convgen.Run("inspect", "@" + In("arguments"));
        result.AssertFailure(2, "expected a safetensors file with extension .safetensors");
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", new[] { path });
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
