using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConvGen.Benchmarks.Shared;

namespace ConvGen.Benchmarks.Quick;

/// <summary>
/// The <c>report</c> command: reads the JSON files that <c>throughput</c> (ConvGen and TorchSharp)
/// and <c>peak</c> wrote into one folder and prints a markdown table with the ConvGen / TorchSharp
/// ratios. Several rounds of the same configuration are reduced to their median.
/// </summary>
internal static class ThroughputReport
{
    public static Command CreateCommand()
    {
        var dir = new Option<string>("--dir") { Description = "Folder of JSON results (throughput-*.json, peak.json).", Required = true };
        var command = new Command("report", "Markdown table of ConvGen vs TorchSharp throughput from a folder of JSON results.") { dir };
        command.SetAction(parse =>
        {
            Console.Write(Render(parse.GetValue(dir)!));
            return 0;
        });
        return command;
    }

    private sealed record Run(string Framework, string Net, int Batch, int Threads, double Train, double Infer, double TrainGflops, double InferGflops, string Date, string LoadBefore, string LoadAfter, string Machine, int Cores);

    public static string Render(string dir)
    {
        var runs = new List<Run>();
        JsonElement? peak = null;
        foreach (string path in Directory.GetFiles(dir, "*.json").OrderBy(p => p, StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement.Clone();
            if (root.TryGetProperty("results", out _))
            {
                peak = root;
                continue;
            }
            if (!root.TryGetProperty("train_images_per_second", out _))
            {
                continue;
            }
            runs.Add(new Run(
                root.GetProperty("framework").GetString()!, root.GetProperty("net").GetString()!,
                root.GetProperty("batch").GetInt32(), root.GetProperty("threads").GetInt32(),
                root.GetProperty("train_images_per_second").GetDouble(), root.GetProperty("infer_images_per_second").GetDouble(),
                root.GetProperty("train_gflops").GetDouble(), root.GetProperty("infer_gflops").GetDouble(),
                root.GetProperty("date").GetString()!, root.GetProperty("load_average_before").GetString()!,
                root.GetProperty("load_average_after").GetString()!, root.GetProperty("machine").GetString()!,
                root.GetProperty("cores").GetInt32()));
        }
        var text = new StringBuilder();
        var first = runs.FirstOrDefault();
        if (first is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {first.Machine}, {first.Cores} cores. Runs from {runs.Min(r => r.Date)} to {runs.Max(r => r.Date)}.");
            text.AppendLine();
        }
        double? peakPerCore = null;
        if (peak is { } p)
        {
            text.AppendLine("FP32 FMA peak (`peak`): " + string.Join("; ", p.GetProperty("results").EnumerateArray().Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"Vector{r.GetProperty("vector_bits").GetInt32()} x {r.GetProperty("threads").GetInt32()} thread(s) {r.GetProperty("best_gflops").GetDouble():F1} GFLOP/s"))) + $" (load {p.GetProperty("load_average_before").GetString()}).");
            peakPerCore = p.GetProperty("results").EnumerateArray()
                .Where(r => r.GetProperty("threads").GetInt32() == 1).Select(r => r.GetProperty("best_gflops").GetDouble()).DefaultIfEmpty(0).Max();
            text.AppendLine();
        }
        text.AppendLine("| net | batch | threads | ConvGen train img/s | Torch train img/s | train ratio | ConvGen infer img/s | Torch infer img/s | infer ratio | ConvGen train GFLOP/s | ConvGen infer GFLOP/s | rounds | load (1/5/15 min) at start |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Net, r.Batch, r.Threads)).OrderBy(g => Array.IndexOf(ThroughputCli.Networks, g.Key.Net)).ThenBy(g => g.Key.Batch).ThenBy(g => g.Key.Threads))
        {
            var convgen = group.Where(r => r.Framework == "ConvGen").ToArray();
            var torch = group.Where(r => r.Framework == "TorchSharp").ToArray();
            double? M(IEnumerable<Run> rs, Func<Run, double> f) => rs.Any() ? ThroughputCli.Median(rs.Select(f).ToArray()) : null;
            double? cTrain = M(convgen, r => r.Train), tTrain = M(torch, r => r.Train);
            double? cInfer = M(convgen, r => r.Infer), tInfer = M(torch, r => r.Infer);
            double? cTrainG = M(convgen, r => r.TrainGflops), cInferG = M(convgen, r => r.InferGflops);
            string share = peakPerCore is > 0 && cTrainG is not null
                ? string.Create(CultureInfo.InvariantCulture, $" ({100 * cTrainG.Value / (peakPerCore.Value * group.Key.Threads):F1}% of peak)")
                : "";
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Net} | {group.Key.Batch} | {group.Key.Threads} | {F(cTrain)} | {F(tTrain)} | {Ratio(cTrain, tTrain)} | {F(cInfer)} | {F(tInfer)} | {Ratio(cInfer, tInfer)} | {F(cTrainG, "F2")}{share} | {F(cInferG, "F2")} | {Math.Max(convgen.Length, torch.Length)} | {group.First().LoadBefore} |"));
        }
        return text.ToString();
    }

    private static string F(double? value, string format = "F0") => value is null ? "-" : value.Value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ratio(double? convgen, double? torch) =>
        convgen is null || torch is null or 0 ? "-" : (convgen.Value / torch.Value).ToString("F2", CultureInfo.InvariantCulture) + "x";
}
