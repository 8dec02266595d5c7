using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Training;

/// <summary>One epoch's figures. Keys follow Keras: <c>loss</c>, <c>accuracy</c>, <c>mae</c>, <c>val_loss</c>, <c>val_accuracy</c>, <c>lr</c>, ...</summary>
public sealed class EpochResult
{
    /// <summary>Creates an empty result for epoch <paramref name="epoch"/> (1-based).</summary>
    public EpochResult(int epoch, int epochs)
    {
        Epoch = epoch;
        Epochs = epochs;
    }

    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; }

    /// <summary>Total epochs planned.</summary>
    public int Epochs { get; }

    /// <summary>Wall-clock seconds of the training part of the epoch (without validation).</summary>
    public double TrainSeconds { get; set; }

    /// <summary>Wall-clock seconds including validation.</summary>
    public double Seconds { get; set; }

    /// <summary>Training samples per second in this epoch.</summary>
    public double SamplesPerSecond { get; set; }

    /// <summary>The metrics by name.</summary>
    public Dictionary<string, double> Metrics { get; } = new();

    /// <summary>A metric, or NaN when absent.</summary>
    public double this[string name] => Metrics.TryGetValue(name, out double value) ? value : double.NaN;

    /// <summary>The Keras-style line: <c>Epoch 3/10 - 41s - loss 0.2151 - accuracy 0.9212 - val_loss ... - val_accuracy ...</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Epoch {Epoch}/{Epochs} - {Seconds:0.0}s");
        foreach (var (name, value) in Metrics.Where(m => m.Key != "lr"))
        {
            text.Append(CultureInfo.InvariantCulture, $" - {name} {value:0.0000}");
        }
        if (Metrics.TryGetValue("lr", out double rate))
        {
            text.Append(CultureInfo.InvariantCulture, $" - lr {rate:G4}");
        }
        return text.ToString();
    }
}

/// <summary>
/// What <see cref="Trainer.Fit"/> returns: one <see cref="EpochResult"/> per completed epoch, and
/// whether the run diverged (<see cref="Stop"/>, <see cref="LossGrowth"/>, <see cref="SkippedSteps"/>).
/// </summary>
public sealed class History
{
    /// <summary>Completed epochs in order (an epoch cut short by <see cref="Stop"/> is not among them).</summary>
    public List<EpochResult> Epochs { get; } = new();

    /// <summary>
    /// Set when a non-finite value ended training early (<see cref="NonFiniteAction.Stop"/>): where,
    /// why, and the message printed. Null when training ran to its last epoch or a callback stopped it.
    /// </summary>
    public TrainingStop? Stop { get; internal set; }

    /// <summary>Set at the first step whose loss grew past <see cref="TrainingOptions.LossGrowthFactor"/> times the first step's; null otherwise.</summary>
    public LossGrowthWarning? LossGrowth { get; internal set; }

    /// <summary>Steps refused under <see cref="NonFiniteAction.SkipStep"/>.</summary>
    public int SkippedSteps { get; internal set; }

    /// <summary>The values of one metric over the epochs (NaN where absent).</summary>
    public double[] Series(string name) => Epochs.Select(e => e[name]).ToArray();

    /// <summary>The last epoch, or throws when nothing ran.</summary>
    public EpochResult Last => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException("No epoch has run.");
}
