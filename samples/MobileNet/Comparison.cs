using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen;
using ConvGen.Benchmarks;
using ConvGen.Training;

namespace MobileNetSample;

/// <summary>What the table compares for one trained network.</summary>
internal sealed record Measurement(string Network, long Parameters, double ForwardMflops, double ValidationAccuracy, double TrainImagesPerSecond, double LatencyMs);

/// <summary>Measures a trained network and prints the side-by-side table.</summary>
internal static class Comparison
{
    public static Measurement Measure(string label, ITrainableNetwork network, History history, double validationAccuracy, int latencyRuns)
    {
        long parameters = network.ParameterTensors.Where(t => t.Trainable).Sum(t => (long)t.Length);
        // Epoch 1 includes the JIT warming up: the median of the epochs is the steady speed.
        double trainSpeed = Median(history.Epochs.Select(e => e.SamplesPerSecond).ToArray());
        return new Measurement(label, parameters, 2.0 * FlopCounter.ForwardMacs(network) / 1e6, validationAccuracy, trainSpeed, MedianLatencyMs(network, latencyRuns));
    }

    /// <summary>Median wall time of single-picture Predict calls, after a few unmeasured ones.</summary>
    private static double MedianLatencyMs(INetwork network, int runs)
    {
        var input = new float[network.InputShape.Length];
        var output = new float[network.OutputShape.Length];
        var random = new Random(1);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)random.NextDouble();
        }
        for (int i = 0; i < 20; i++)
        {
            network.Predict(input, output);
        }
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            network.Predict(input, output);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Median(times);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>The comparison as a Markdown table (it reads as plain text on the console too).</summary>
    public static string Table(IReadOnlyList<Measurement> rows, int threads, int latencyRuns)
    {
        var text = new StringBuilder();
        text.AppendLine($"| network | parameters | MFLOPs | val accuracy | train images/s ({threads} threads) | latency ms (batch 1, median of {latencyRuns}) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Network} | {row.Parameters:N0} | {row.ForwardMflops:0.0} | {row.ValidationAccuracy:0.0000} | {row.TrainImagesPerSecond:0} | {row.LatencyMs:0.000} |"));
        }
        return text.ToString();
    }
}
