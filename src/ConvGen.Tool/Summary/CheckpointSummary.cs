using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Tool.Cli;
using ConvGen.Serialization;

namespace ConvGen.Tool.Summary;

/// <summary>
/// The summary of a training checkpoint (<c>TrainingCheckpoint.Save</c>). A checkpoint keeps the
/// weights and the optimizer state, not the layer table, so the table is rebuilt from the tensor
/// header alone (no tensor data is read): one row per layer with parameters, its kind from its
/// tensors as the generator names and shapes them (<c>{layer}.weight</c> HWIO for Conv2D, IO for
/// Dense; <c>gamma</c>, <c>beta</c>, <c>running_mean</c>, <c>running_var</c> for BatchNorm), the
/// channels it outputs, and its parameter count.
/// </summary>
internal static class CheckpointSummary
{
    /// <summary>The <c>format</c> metadata entry of a checkpoint, as TrainingCheckpoint.Save writes it.</summary>
    public const string Format = "convgen-checkpoint";

    private const string OptimizerPrefix = "optimizer.";

    public static bool IsCheckpoint(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue("format", out string? format) && format == Format;

    /// <summary>The layer table, the totals and what the checkpoint says about the run.</summary>
    /// <exception cref="CliException">The tensors are not those of a ConvGen network (exit code 1, the tensor named).</exception>
    public static string Describe(string file, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        // Data offsets follow the order Save wrote the tensors in: the network's parameter order.
        var parameters = tensors.Where(t => !t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).OrderBy(t => t.Begin).ToList();
        var state = tensors.Where(t => t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).OrderBy(t => t.Begin).ToList();
        if (parameters.Count == 0)
        {
            throw CliException.BadInput($"{file}: the training checkpoint holds no parameter tensors; expected one per network parameter (e.g. conv2d.weight).");
        }
        if (tensors.FirstOrDefault(t => t.DType != "F32") is { } tensor)
        {
            throw CliException.BadInput($"{file}: tensor '{tensor.Name}' is {tensor.DType}; a ConvGen checkpoint holds F32 tensors.");
        }
        long total = parameters.Sum(t => t.ElementCount);
        if (state.FirstOrDefault(s => s.ElementCount != total) is { } moment)
        {
            throw CliException.BadInput($"{file}: optimizer state '{moment.Name}' holds {moment.ElementCount:N0} values, but the parameter tensors hold {total:N0}; the checkpoint is inconsistent.");
        }

        var layers = parameters.GroupBy(t => LayerName(t.Name)).Select(group => Row(file, group.Key, group.ToList())).ToList();
        long nonTrainable = layers.Sum(l => l.NonTrainable);
        string network = metadata.TryGetValue("network", out string? type) ? type : "(network not recorded)";
        string title = network[(network.LastIndexOf('.') + 1)..];

        var text = new StringBuilder();
        text.AppendLine($"Model: \"{title}\" (training checkpoint)");
        var header = (Layer: "Layer (type)", Shape: "Output Shape", Params: "Param #");
        var rows = layers.Select(l => (Layer: $"{l.Name} ({l.Kind})", l.Shape, Params: Count(l.Parameters))).Prepend(header).ToList();
        int w1 = rows.Max(r => r.Layer.Length) + 2, w2 = rows.Max(r => r.Shape.Length) + 2, w3 = rows.Max(r => r.Params.Length);
        string rule = new('─', w1 + w2 + w3);
        text.AppendLine(rule);
        for (int i = 0; i < rows.Count; i++)
        {
            text.AppendLine((rows[i].Layer.PadRight(w1) + rows[i].Shape.PadRight(w2) + rows[i].Params.PadLeft(w3)).TrimEnd());
            if (i == 0)
            {
                text.AppendLine(rule);
            }
        }
        text.AppendLine(rule);
        text.AppendLine($"Total params: {Count(total)} ({Megabytes(total)})");
        text.AppendLine($"Trainable params: {Count(total - nonTrainable)}");
        text.AppendLine($"Non-trainable params: {Count(nonTrainable)}");
        text.AppendLine($"Checkpoint of {network} after {Entry(metadata, "epochs_completed")} epoch(s): optimizer {Entry(metadata, "optimizer")} "
            + $"({state.Count} state tensor(s), {Entry(metadata, "step_count")} steps), learning rate {Entry(metadata, "learning_rate")}, seed {Entry(metadata, "seed")}.");
        text.AppendLine("Only layers with parameters are listed and '?' marks sizes the checkpoint does not record: it keeps the weights, not the layer table (a file written by WeightsFile.Save has the whole table).");
        return text.ToString();
    }

    private sealed record Layer(string Name, string Kind, string Shape, long Parameters, long NonTrainable);

    private static Layer Row(string file, string name, IReadOnlyList<SafeTensorEntry> tensors)
    {
        long parameters = tensors.Sum(t => t.ElementCount);
        SafeTensorEntry? Find(string suffix) => tensors.FirstOrDefault(t => t.Name == name + "." + suffix);
        if (Find("gamma") is { Shape.Count: 1 } gamma)
        {
            // The running statistics are state, not trained (as ModelSummary counts them).
            long statistics = (Find("running_mean")?.ElementCount ?? 0) + (Find("running_var")?.ElementCount ?? 0);
            return new Layer(name, "BatchNorm", $"[...,{gamma.Shape[0]}]", parameters, statistics);
        }
        return Find("weight")?.Shape switch
        {
            [_, _, _, long filters] => new Layer(name, "Conv2D", $"[?,?,{filters}]", parameters, 0),
            [_, long units] => new Layer(name, "Dense", $"[{units}]", parameters, 0),
            _ => throw CliException.BadInput(
                $"{file}: tensors {string.Join(", ", tensors.Select(t => $"'{t.Name}' [{string.Join(",", t.Shape)}]"))} are not a ConvGen layer's; "
                + "expected NAME.weight [kh,kw,in,out] (Conv2D) or [in,out] (Dense) with NAME.bias, or NAME.gamma, beta, running_mean, running_var (BatchNorm)."),
        };
    }

    // "conv2d.weight" -> "conv2d"; a name without a dot is its own layer (and is refused by Row).
    private static string LayerName(string tensor) => tensor.LastIndexOf('.') is int dot and > 0 ? tensor[..dot] : tensor;

    private static string Entry(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : "?";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Megabytes(long parameters)
    {
        long bytes = parameters * sizeof(float);
        return bytes switch
        {
            < 1024 => $"{bytes} B",
            < 1024 * 1024 => (bytes / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " KB",
            _ => (bytes / (1024.0 * 1024.0)).ToString("0.00", CultureInfo.InvariantCulture) + " MB",
        };
    }
}
