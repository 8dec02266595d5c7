using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace ConvGen.Training;

/// <summary>
/// Keras-style progress: on an interactive terminal a live bar redrawn at most ten times a
/// second; when output is redirected (logs, CI) only one plain line per epoch.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly TextWriter? _writer;
    private readonly bool _live;
    private readonly Stopwatch _sinceDraw = new();
    private int _epoch;
    private int _epochs;
    private int _steps;

    public ProgressReporter(TextWriter? writer)
    {
        _writer = writer;
        _live = writer is not null && ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
    }

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        _epoch = epoch;
        _epochs = epochs;
        _steps = steps;
        _sinceDraw.Restart();
    }

    public void StepDone(int step, double meanLoss, double? accuracy)
    {
        if (!_live || (_sinceDraw.ElapsedMilliseconds < 100 && step < _steps))
        {
            return;
        }
        _sinceDraw.Restart();
        const int width = 30;
        int filled = (int)((long)width * step / Math.Max(1, _steps));
        string bar = new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? ">" : "") + new string('.', width - filled);
        string text = string.Format(CultureInfo.InvariantCulture, "\rEpoch {0}/{1} [{2}] {3}/{4} - loss {5:0.0000}", _epoch, _epochs, bar, step, _steps, meanLoss);
        if (accuracy is double a)
        {
            text += string.Format(CultureInfo.InvariantCulture, " - accuracy {0:0.0000}", a);
        }
        _writer!.Write(text);
    }

    public void EpochDone(EpochResult result) => Line(result.ToString());

    /// <summary>Writes a line of its own (an epoch, a warning, why training stopped), clearing the live bar first.</summary>
    public void Line(string text)
    {
        if (_writer is null)
        {
            return;
        }
        if (_live)
        {
            _writer.Write("\r" + new string(' ', Math.Max(0, Console.WindowWidth - 1)) + "\r");
        }
        _writer.WriteLine(text);
    }
}
