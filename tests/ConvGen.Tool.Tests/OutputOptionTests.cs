using System;
using System.IO;
using ConvGen.Onnx.Export;
using ConvGen.Serialization;

namespace ConvGen.Tool.Tests;

/// <summary>
/// <c>--out</c> folders that cannot take the output: a usage error when the command line alone
/// says so (empty, an existing file), bad input naming the folder when only trying tells (/proc).
/// </summary>
public sealed class OutputOptionTests : TemporaryFolder
{
    private string Onnx()
    {
        string path = In("exported-net.onnx");
        OnnxExport.Write(ExportedNet.Create(seed: 4), path);
        return path;
    }

    private string Weights()
    {
        string path = In("tool-net.safetensors");
        WeightsFile.Save(ToolNet.Create(seed: 3), path);
        return path;
    }

    [Fact]
    public void An_existing_file_as_out_is_a_usage_error()
    {
        File.WriteAllText(In("taken"), "keep me");
        Convgen.Run("import", Onnx(), "--out", In("taken")).AssertFailure(2, "--out " + In("taken") + ": is a file; expected a folder");
        Convgen.Run("visualize", Weights(), "--out", In("taken")).AssertFailure(2, "is a file; expected a folder");
        Assert.Equal("keep me", File.ReadAllText(In("taken")));
    }

    [Fact]
    public void An_empty_out_is_a_usage_error()
    {
        Convgen.Run("import", Onnx(), "--out", "").AssertFailure(2, "--out: expected a folder, got an empty name");
        Convgen.Run("visualize", Weights(), "--out", " ").AssertFailure(2, "--out: expected a folder, got an empty name");
    }

    [Fact]
    public void An_out_folder_that_cannot_be_created_or_written_is_bad_input_naming_it()
    {
        // /proc refuses new entries even to root, so this holds however the tests are run.
        Convgen.Run("import", Onnx(), "--out", "/proc/convgen-out").AssertBadInput("--out /proc/convgen-out: cannot create the folder");
        Convgen.Run("visualize", Weights(), "--out", "/proc/convgen-out").AssertBadInput("--out /proc/convgen-out: cannot create the folder");
        Convgen.Run("import", Onnx(), "--out", "/proc").AssertBadInput("--out /proc: cannot write ExportedNet.safetensors");
        Convgen.Run("visualize", Weights(), "--out", "/proc").AssertBadInput("--out /proc: cannot write filters-conv2d.png");
        Assert.False(Directory.Exists("/proc/convgen-out"));
    }
}
