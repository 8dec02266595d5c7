using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen.Data;
using ConvGen.Serialization;
using Quickstart;

namespace AotClassifier;

/// <summary>
/// The figures of docs/aot.md: process start to the first prediction, and the steady-state
/// latency of one Predict call on one picture, the same way under the JIT and in native code.
/// </summary>
internal static class Measurements
{
    private const int WarmUpCalls = 500;
    private const int TimedCalls = 5000;

    /// <summary>Loads the weights, predicts one drawn picture and exits: the start-up path of a real classifier.</summary>
    public static int FirstPrediction(string weights)
    {
        var sinceMain = Stopwatch.StartNew();
        var net = LectureNet.Create(seed: 0);
        WeightsFile.Load(net, weights);
        var picture = new SyntheticShapes(imagesPerClass: 1, seed: 7, size: net.InputShape.Height);
        var image = new float[LectureNet.InputLength];
        var label = new float[1];
        picture.Read(0, image, label);
        var probabilities = new float[LectureNet.OutputLength];
        net.Predict(image, probabilities);
        // The time before Main (runtime start-up, and under the JIT the host) is not in this figure:
        // --measure times whole processes from outside for that.
        double inProgram = sinceMain.Elapsed.TotalMilliseconds;
        int predicted = TrainSaveReload.ArgMax(probabilities);
        Console.WriteLine($"first prediction: a {SyntheticShapes.Classes[(int)label[0]]} is a {SyntheticShapes.Classes[predicted]} ({probabilities[predicted]:P0}), {inProgram:0.0} ms after Main started");
        return 0;
    }

    public static int Run(string weights, int runs)
    {
        if (!File.Exists(weights))
        {
            Console.Error.WriteLine($"No weights at {Path.GetFullPath(weights)}: run AotClassifier without --measure first (it trains and saves them), or pass the file after --measure.");
            return 1;
        }
        var wholeRuns = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            var (milliseconds, exitCode, output) = TimeStartupProcess(weights);
            if (exitCode != 0)
            {
                Console.Error.WriteLine($"--startup exited with {exitCode}:\n{output}");
                return 1;
            }
            wholeRuns[run] = milliseconds;
        }
        Console.WriteLine($"start-up: process start to first prediction and exit, median of {runs} processes: {Median(wholeRuns):0.0} ms (min {wholeRuns.Min():0.0}, max {wholeRuns.Max():0.0})");

        var net = LectureNet.Create(seed: 0);
        WeightsFile.Load(net, weights);
        var pictures = new SyntheticShapes(imagesPerClass: 4, seed: 7, size: net.InputShape.Height);
        var images = new float[pictures.Count][];
        var label = new float[1];
        for (int i = 0; i < pictures.Count; i++)
        {
            images[i] = new float[LectureNet.InputLength];
            pictures.Read(i, images[i], label);
        }
        var probabilities = new float[LectureNet.OutputLength];
        for (int call = 0; call < WarmUpCalls; call++)
        {
            net.Predict(images[call % images.Length], probabilities);
        }
        var latencies = new double[TimedCalls];
        for (int call = 0; call < TimedCalls; call++)
        {
            long start = Stopwatch.GetTimestamp();
            net.Predict(images[call % images.Length], probabilities);
            latencies[call] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(latencies);
        Console.WriteLine($"Predict, one picture, one thread, after {WarmUpCalls} warm-up calls: median {Median(latencies):0.000} ms "
            + $"(p10 {latencies[TimedCalls / 10]:0.000}, p90 {latencies[TimedCalls * 9 / 10]:0.000}) over {TimedCalls} calls");
        return 0;
    }

    /// <summary>Runs this program with --startup and times it from before the process starts until it has exited.</summary>
    private static (double Milliseconds, int ExitCode, string Output) TimeStartupProcess(string weights)
    {
        string executable = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            // Started as `dotnet AotClassifier.dll`: start the child the same way.
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AotClassifier.dll"));
        }
        start.ArgumentList.Add("--startup");
        start.ArgumentList.Add(weights);
        long begin = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (Stopwatch.GetElapsedTime(begin).TotalMilliseconds, process.ExitCode, output);
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
