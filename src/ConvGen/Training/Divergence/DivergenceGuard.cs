using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Distributed;

namespace ConvGen.Training;

/// <summary>What <see cref="Trainer.Fit"/> does with a step after <see cref="DivergenceGuard"/> looked at it.</summary>
internal enum StepVerdict
{
    Apply,
    Skip,
    Stop,
}

/// <summary>
/// Keeps a diverging run from destroying good weights. Each step is checked before the optimizer
/// applies it — the samples (scanned as the batch is read, before the step runs), the loss, the
/// summed gradients (one SIMD pass) and the BatchNorm running statistics the step stored — and a
/// step with a NaN or infinity is refused (<see cref="TrainingOptions.OnNonFinite"/>): the running statistics go
/// back to the snapshot taken before the step and the optimizer never sees the gradients, so the
/// weights and optimizer state stay those of the last good step. The rare update that itself
/// overflows (finite gradients times a huge rate) shows as a non-finite loss or gradient in a
/// later step or in the scan of the weights at the end of the epoch, and is undone from a copy
/// taken at the start of the epoch; the weights are scanned only then, not after every step. Independently, a step whose loss grew by
/// <see cref="TrainingOptions.LossGrowthFactor"/> over the first step's is reported once.
/// <para>
/// With several processes every decision is the same everywhere: the gradients are checked after
/// the all-reduce (identical on every process), the running statistics after their average, and
/// the samples' flags and the loss are summed over the processes first (two all-reduces of a few
/// numbers per step), so no process applies a step another refuses.
/// </para>
/// Nothing here allocates on a step that is applied.
/// </summary>
internal sealed class DivergenceGuard
{
    /// <summary>Skipped steps reported one line each; later ones are only counted.</summary>
    private const int SkipLinesShown = 10;

    private readonly ITrainableNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly NonFiniteAction _action;
    private readonly double _growthFactor;
    private readonly ICommunicator _communicator;
    private readonly History _history;
    private readonly ProgressReporter _progress;
    private readonly int _epochs;
    private readonly (int Offset, int Length)[] _runningRanges;
    private readonly float[] _runningSnapshot;
    private readonly double[] _reduced; // loss sum, samples, then per process: its bad sample + 1 (0 = none)
    private float[]? _epochWeights;
    private readonly Dictionary<string, float[]> _epochState = new();
    private long _epochStepCount;
    private double _firstLoss = double.NaN;

    public DivergenceGuard(ITrainableNetwork network, TrainingOptions options, ICommunicator communicator, History history, ProgressReporter progress)
    {
        _network = network;
        _optimizer = options.Optimizer;
        _action = options.OnNonFinite;
        _growthFactor = options.LossGrowthFactor;
        _communicator = communicator;
        _history = history;
        _progress = progress;
        _epochs = options.Epochs;
        _runningRanges = RunningStatistics.Ranges(network);
        _runningSnapshot = new float[_runningRanges.Sum(r => r.Length)];
        _reduced = new double[2 + communicator.Size];
    }

    private bool Checks => _action != NonFiniteAction.Ignore;

    /// <summary>Keeps a copy of the weights and optimizer state, the fallback for an update that overflows.</summary>
    public void EpochStarted()
    {
        if (!Checks)
        {
            return;
        }
        _epochWeights ??= new float[_network.Parameters.Length];
        _network.Parameters.CopyTo(_epochWeights);
        foreach (var (name, values) in _optimizer.State)
        {
            if (!_epochState.TryGetValue(name, out var copy) || copy.Length != values.Length)
            {
                _epochState[name] = copy = new float[values.Length];
            }
            values.CopyTo(copy, 0);
        }
        foreach (var name in _epochState.Keys.Where(n => !_optimizer.State.ContainsKey(n)).ToList())
        {
            _epochState.Remove(name);
        }
        _epochStepCount = _optimizer.StepCount;
    }

    /// <summary>Snapshot of the running statistics, which the step updates before it is checked.</summary>
    public void BeforeStep()
    {
        if (!Checks)
        {
            return;
        }
        Span<float> parameters = _network.Parameters;
        int at = 0;
        foreach (var (offset, length) in _runningRanges)
        {
            parameters.Slice(offset, length).CopyTo(_runningSnapshot.AsSpan(at, length));
            at += length;
        }
    }

    /// <summary>
    /// Before the step runs: a batch with a NaN or infinity in a sample (flagged while it was
    /// read) is refused without computing it. With several processes the flags are summed first,
    /// so every process refuses the same step, naming the sample wherever it was read.
    /// </summary>
    public StepVerdict CheckBatch(BatchBuffer batch, int epoch, int step, int steps)
    {
        if (!Checks)
        {
            return StepVerdict.Apply;
        }
        int badProcess = batch.NonFiniteRow >= 0 ? _communicator.Rank : -1;
        int badSample = batch.NonFiniteRow >= 0 ? batch.Samples[batch.NonFiniteRow] : -1;
        if (_communicator.Size > 1)
        {
            var flags = _reduced.AsSpan(2);
            flags.Clear();
            if (badSample >= 0)
            {
                flags[_communicator.Rank] = badSample + 1.0;
            }
            _communicator.AllReduceSum(flags);
            (badProcess, badSample) = (-1, -1);
            for (int rank = 0; rank < flags.Length && badProcess < 0; rank++)
            {
                if (flags[rank] > 0)
                {
                    (badProcess, badSample) = (rank, (int)flags[rank] - 1);
                }
            }
        }
        // Nothing ran yet, so there are no running statistics to put back.
        return badSample < 0 ? StepVerdict.Apply : Refuse(NonFiniteValue.Input, InputDetail(batch, badProcess, badSample), batch, epoch, step, steps, stepRan: false);
    }

    /// <summary>
    /// Checks a computed step before the optimizer applies it. <paramref name="lossSum"/> and <paramref name="samples"/>
    /// are this process's.
    /// </summary>
    public StepVerdict Check(BatchBuffer batch, double lossSum, long samples, bool gradientsFinite, ReadOnlySpan<float> gradients, int epoch, int step, int steps)
    {
        if (_communicator.Size > 1)
        {
            // The loss is this process's: summed first, so a NaN anywhere stops every process.
            var totals = _reduced.AsSpan(0, 2);
            totals[0] = lossSum;
            totals[1] = samples;
            _communicator.AllReduceSum(totals);
            (lossSum, samples) = (totals[0], (long)totals[1]);
        }
        if (Checks)
        {
            if (!double.IsFinite(lossSum))
            {
                return Refuse(NonFiniteValue.Loss, string.Create(CultureInfo.InvariantCulture, $"the loss is {lossSum}"), batch, epoch, step, steps);
            }
            // gradientsFinite was found in the pass that summed the gradients, after the
            // all-reduce with several processes: the summed gradients are the same on every
            // process, so every process reaches the same verdict and none applies a step another refuses.
            if (!gradientsFinite)
            {
                int at = Finiteness.FirstNonFinite(gradients);
                return Refuse(NonFiniteValue.Gradient, $"the gradient of {ParameterName(at)} is {gradients[at].ToString(CultureInfo.InvariantCulture)}", batch, epoch, step, steps);
            }
        }
        if (Checks && _runningRanges.Length > 0)
        {
            // The step averaged them over the processes (RunningStatistics): the same on every process.
            foreach (var (offset, length) in _runningRanges)
            {
                int at = Finiteness.FirstNonFinite(_network.Parameters.Slice(offset, length));
                if (at >= 0)
                {
                    return Refuse(NonFiniteValue.RunningStatistics, $"the running statistic {ParameterName(offset + at)} would become {_network.Parameters[offset + at].ToString(CultureInfo.InvariantCulture)}", batch, epoch, step, steps);
                }
            }
        }
        TrackGrowth(lossSum / Math.Max(1, samples), epoch, step);
        return StepVerdict.Apply;
    }

    /// <summary>
    /// At the end of an epoch, before the callbacks may save: one scan of the weights. An update
    /// that overflowed (finite gradients times a rate too large for float) shows here, or earlier
    /// as a non-finite loss or gradient, and is undone from the copy taken at the start of the
    /// epoch. The weights are identical on every process, so is the verdict.
    /// </summary>
    public StepVerdict EpochEnded(int epoch, int steps) =>
        !Checks || Finiteness.All(_network.Parameters) ? StepVerdict.Apply : FallBackToEpochStart(epoch, steps - 1, steps);

    /// <summary>Non-finite weights, not just a bad step: back to the start of the epoch, and stop.</summary>
    private StepVerdict FallBackToEpochStart(int epoch, int step, int steps)
    {
        int at = Finiteness.FirstNonFinite(_network.Parameters);
        string detail = $"an earlier update of this epoch made {ParameterName(at)} {_network.Parameters[at].ToString(CultureInfo.InvariantCulture)} (its gradients were finite: the step was too large for float)";
        _epochWeights.AsSpan().CopyTo(_network.Parameters);
        _optimizer.LoadState(_epochState, _epochStepCount);
        string message = Message(detail, batch: null, epoch, step, steps)
            + string.Create(CultureInfo.InvariantCulture, $" The weights and optimizer state are back to those at the start of epoch {epoch + 1}.");
        _history.Stop = new TrainingStop(NonFiniteValue.Weights, epoch + 1, step + 1, Array.Empty<int>(), message);
        _progress.Line(message);
        return StepVerdict.Stop;
    }

    private StepVerdict Refuse(NonFiniteValue value, string detail, BatchBuffer batch, int epoch, int step, int steps, bool stepRan = true)
    {
        if (stepRan)
        {
            RestoreRunningStatistics();
            // Only on this failure path: were the weights themselves already broken by an update?
            if (!Finiteness.All(_network.Parameters))
            {
                return FallBackToEpochStart(epoch, step, steps);
            }
        }
        string message = Message(detail, batch, epoch, step, steps);
        if (_action == NonFiniteAction.SkipStep)
        {
            _history.SkippedSteps++;
            if (_history.SkippedSteps <= SkipLinesShown)
            {
                _progress.Line(message.Replace("Training stopped at", "Skipped", StringComparison.Ordinal)
                    + (_history.SkippedSteps == SkipLinesShown ? " Further skipped steps are only counted in History.SkippedSteps." : ""));
            }
            return StepVerdict.Skip;
        }
        message += " The step was not applied: the weights, optimizer state and running statistics are those of the last good step.";
        _history.Stop = new TrainingStop(value, epoch + 1, step + 1, batch.Samples.AsSpan(0, batch.Count).ToArray(), message);
        _progress.Line(message);
        return StepVerdict.Stop;
    }

    private string Message(string detail, BatchBuffer? batch, int epoch, int step, int steps)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Training stopped at epoch {epoch + 1}/{_epochs}, step {step + 1}/{steps}: {detail}");
        if (batch is { Count: > 0 })
        {
            const int shown = 8;
            text.Append(_communicator.Size > 1 ? " (this process's samples " : " (samples ");
            text.AppendJoin(", ", batch.Samples.Take(Math.Min(shown, batch.Count)));
            if (batch.Count > shown)
            {
                text.Append(CultureInfo.InvariantCulture, $" and {batch.Count - shown} more");
            }
            text.Append(')');
        }
        return text.Append('.').ToString();
    }

    private static string InputDetail(BatchBuffer batch, int process, int sample)
    {
        if (batch.NonFiniteRow >= 0 && batch.Samples[batch.NonFiniteRow] == sample)
        {
            string where = batch.NonFiniteInTarget ? "target" : "input";
            return string.Create(CultureInfo.InvariantCulture,
                $"sample {sample} of the training data has a non-finite {where} value ({batch.NonFiniteValue} at {where} position {batch.NonFiniteIndex}, after augmentation)");
        }
        return string.Create(CultureInfo.InvariantCulture, $"sample {sample} of the training data (read by process {process}) has a non-finite input or target value");
    }

    private string ParameterName(int index)
    {
        foreach (var tensor in _network.ParameterTensors)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{tensor.Name}[{index - tensor.Offset}]");
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"parameter {index}");
    }

    private void RestoreRunningStatistics()
    {
        Span<float> parameters = _network.Parameters;
        int at = 0;
        foreach (var (offset, length) in _runningRanges)
        {
            _runningSnapshot.AsSpan(at, length).CopyTo(parameters.Slice(offset, length));
            at += length;
        }
    }

    /// <summary>
    /// The reference is the run's first step (about the untrained network's loss); one warning
    /// per run. Step losses are noisy, so the factor is large: a healthy run stays far below.
    /// </summary>
    private void TrackGrowth(double meanLoss, int epoch, int step)
    {
        if (_history.LossGrowth is not null || double.IsNaN(meanLoss))
        {
            return;
        }
        if (double.IsNaN(_firstLoss))
        {
            _firstLoss = meanLoss;
            return;
        }
        if (_firstLoss > 0 && meanLoss > _growthFactor * _firstLoss)
        {
            string message = string.Create(CultureInfo.InvariantCulture,
                $"Warning: the loss is diverging: {meanLoss:G4} at epoch {epoch + 1}/{_epochs}, step {step + 1}, over {_growthFactor:G4} times the first step's {_firstLoss:G4}. Lower the learning rate (it is {_optimizer.LearningRate:G4}).");
            _history.LossGrowth = new LossGrowthWarning(epoch + 1, step + 1, meanLoss, _firstLoss, message);
            _progress.Line(message);
        }
    }
}
