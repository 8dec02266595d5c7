using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using ConvGen.Serialization;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Summary;

/// <summary>
/// <c>convgen summary model.safetensors</c>: the Keras-style layer table of a model saved with
/// <see cref="WeightsFile.Save"/>, read from the file's metadata alone (no network code needed),
/// or of a training checkpoint, rebuilt from its tensors (<see cref="CheckpointSummary"/>), or of
/// an ONNX model, read by the importer (<see cref="OnnxSummary"/>).
/// </summary>
internal static class SummaryCommand
{
    private const string InspectHint = " ('convgen inspect FILE' lists the tensors of any safetensors file.)";

    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("file") { Description = "Weights saved by WeightsFile.Save or a checkpoint (.safetensors), or an ONNX model (.onnx)." };
        var command = new Command("summary", "Print a saved model's layer table: Layer (type) | Output Shape | Param #, totals, trainable / non-trainable.")
        {
            file,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, output));
        return command;
    }

    private static int Run(string file, TextWriter output)
    {
        string path = InputFiles.Existing(file, "a ConvGen weights file, training checkpoint or ONNX model", ".safetensors", ".onnx");
        if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var network = OnnxModels.Import(path, file);
            output.Write(OnnxSummary.Describe(file, network, Path.GetFileNameWithoutExtension(path)));
            return ExitCodes.Success;
        }
        // The header says which of the two it is; a checkpoint needs nothing more than the header.
        SafeTensorsHeader header;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            header = SafeTensorsHeader.Read(stream, file);
        }
        catch (Exception e) when (Failures.IsBadInput(e))
        {
            throw CliException.BadInput(e.Message + InspectHint);
        }
        if (CheckpointSummary.IsCheckpoint(header.Metadata))
        {
            output.Write(CheckpointSummary.Describe(file, header.Tensors, header.Metadata));
            return ExitCodes.Success;
        }

        SavedNetwork saved = InputFiles.SavedNetwork(file, InspectHint);
        output.Write(saved.Summary());
        output.WriteLine($"Saved from {saved.NetworkType}: input {saved.InputShape} -> output {saved.OutputShape}, {saved.File.Tensors.Count} tensors.");
        return ExitCodes.Success;
    }
}
