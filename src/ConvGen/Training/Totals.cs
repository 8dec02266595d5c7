using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Running sums of the loss and scores: of one thread's part of a step (filled by
/// <see cref="Metrics.StepScores"/>), and of an epoch or an evaluation (the parts added in thread order).
/// </summary>
internal struct Totals
{
    public double LossSum;
    public long Samples;
    public long Correct;
    /// <summary>Rows (pixels, for a per-pixel loss) that classification scores counted: unlabelled ones are not.</summary>
    public long Scored;
    public long TopKCorrect;
    public double AbsoluteError;

    /// <summary>Sums these totals over all processes.</summary>
    public void AllReduce(Distributed.ICommunicator communicator)
    {
        if (communicator.Size == 1) return;
        Span<double> values = stackalloc double[] { LossSum, Samples, Correct, TopKCorrect, AbsoluteError, Scored };
        communicator.AllReduceSum(values);
        (LossSum, Samples, Correct, TopKCorrect, AbsoluteError, Scored) = (values[0], (long)values[1], (long)values[2], (long)values[3], values[4], (long)values[5]);
    }

    public void Add(in Totals part)
    {
        LossSum += part.LossSum;
        Samples += part.Samples;
        Correct += part.Correct;
        Scored += part.Scored;
        TopKCorrect += part.TopKCorrect;
        AbsoluteError += part.AbsoluteError;
    }

    /// <summary>Writes <c>loss</c>, <c>accuracy</c> / <c>top_k_accuracy</c> or <c>mae</c>, with <paramref name="prefix"/>.</summary>
    public readonly void Report(IDictionary<string, double> metrics, string prefix, TaskKind task, int outputLength, int topK)
    {
        if (Samples == 0) return;
        metrics[prefix + "loss"] = LossSum / Samples;
        switch (task)
        {
            case TaskKind.SparseClassification:
            case TaskKind.Classification:
                // Over the scored rows: per pixel for a per-pixel loss, without unlabelled ones.
                metrics[prefix + "accuracy"] = Scored == 0 ? 0 : (double)Correct / Scored;
                if (topK > 0) metrics[prefix + $"top_{topK}_accuracy"] = Scored == 0 ? 0 : (double)TopKCorrect / Scored;
                break;
            case TaskKind.MultiLabel:
                metrics[prefix + "accuracy"] = (double)Correct / (Samples * outputLength);
                break;
            default:
                metrics[prefix + "mae"] = AbsoluteError / (Samples * outputLength);
                break;
        }
    }
}
