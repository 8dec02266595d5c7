using System;
using System.CommandLine;
using System.IO;
using ConvGen.Serialization;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Summary;

/// <summary>
/// <c>convgen summary model.safetensors</c>: the Keras-style layer table of a model saved with
/// <see cref="WeightsFile.Save"/>, read from the file's metadata alone (no network code needed).
/// </summary>
internal static class SummaryCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("file") { Description = "Weights saved by WeightsFile.Save or a checkpoint (.safetensors)." };
        var command = new Command("summary", "Print a saved model's layer table: Layer (type) | Output Shape | Param #, totals, trainable / non-trainable.")
        {
            file,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, output));
        return command;
    }

    private static int Run(string file, TextWriter output)
    {
        SavedNetwork saved = InputFiles.SavedNetwork(file, Environment.NewLine + "('convgen inspect FILE' lists the tensors of any safetensors file.)");
        output.Write(saved.Summary());
        output.WriteLine($"Saved from {saved.NetworkType}: input {saved.InputShape} -> output {saved.OutputShape}, {saved.File.Tensors.Count} tensors.");
        return ExitCodes.Success;
    }
}
