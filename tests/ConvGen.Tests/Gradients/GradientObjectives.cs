using System;
using ConvGen.Training;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// A scalar function of a network's outputs whose parameter gradient is checked: its value in
/// double precision on a reference run (for the finite differences) and the output gradient it
/// hands to the generated <see cref="ITrainableNetwork.Backward"/>.
/// </summary>
internal abstract class GradientObjective
{
    public abstract string Description { get; }

    /// <summary>Passed to Backward: the output gradient is with respect to the logits.</summary>
    public abstract bool GradientIsForLogits { get; }

    /// <summary>The objective on a reference run; records its own kinks (e.g. MAE at zero error) in <paramref name="kinks"/>.</summary>
    public abstract double Value(ReferenceRun run, KinkSignature kinks);

    /// <summary>Writes dObjective/d(outputs or logits) into the workspace after a training forward pass.</summary>
    public abstract void WriteOutputGradient(ITrainingWorkspace workspace, int batch, int outputLength);
}

/// <summary>
/// <c>L = sum(r * outputs)</c> for a fixed random <c>r</c>: dL/doutputs = r exactly, so the check
/// isolates the network's backward pass from any loss.
/// </summary>
internal sealed class ProjectionObjective(float[] weights) : GradientObjective
{
    public override string Description => "projection sum(r * outputs)";

    public override bool GradientIsForLogits => false;

    public override double Value(ReferenceRun run, KinkSignature kinks)
    {
        var y = run.Output.Values;
        if (y.Length != weights.Length)
        {
            throw new InvalidOperationException($"{y.Length} outputs but {weights.Length} projection weights");
        }
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += weights[i] * y[i];
        }
        return sum;
    }

    public override void WriteOutputGradient(ITrainingWorkspace workspace, int batch, int outputLength) =>
        weights.AsSpan().CopyTo(workspace.OutputGradient);
}

/// <summary>
/// A training loss as <c>Trainer</c> applies it: computed on the logits when
/// <paramref name="usesLogits"/> (the loss fuses the last activation) else on the outputs,
/// averaged over the batch (gradient scale 1 / batch). The finite differences use an independent
/// double-precision definition of each loss, not the runtime's <see cref="Loss.Compute"/>.
/// </summary>
internal sealed class LossObjective(Loss loss, float[] targets, bool usesLogits) : GradientObjective
{
    public override string Description => $"{loss.Name} on {(usesLogits ? "logits" : "outputs")}";

    public override bool GradientIsForLogits => usesLogits;

    public override double Value(ReferenceRun run, KinkSignature kinks)
    {
        var predictions = usesLogits ? run.Logits : run.Output;
        int batch = predictions.Batch;
        int rowLength = predictions.SampleLength;
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            var z = new ReadOnlySpan<double>(predictions.Values, r * rowLength, rowLength);
            int targetLength = loss.TargetLength(rowLength);
            var y = new ReadOnlySpan<float>(targets, r * targetLength, targetLength);
            total += RowLoss(z, y, kinks);
        }
        return total / batch;
    }

    private double RowLoss(ReadOnlySpan<double> z, ReadOnlySpan<float> y, KinkSignature kinks)
    {
        double sum = 0;
        switch (loss)
        {
            case SoftmaxCrossEntropy:
            {
                // -sum_j y_j log softmax(z)_j
                double logSumExp = LogSumExp(z);
                for (int j = 0; j < z.Length; j++)
                {
                    sum -= y[j] * (z[j] - logSumExp);
                }
                return sum;
            }
            case SparseSoftmaxCrossEntropy:
                return -(z[(int)y[0]] - LogSumExp(z));
            case SigmoidBinaryCrossEntropy:
                // -(y log s(z) + (1 - y) log(1 - s(z))), with log s(z) = -softplus(-z) and log(1 - s(z)) = -softplus(z).
                for (int j = 0; j < z.Length; j++)
                {
                    sum += y[j] * Softplus(-z[j]) + (1 - y[j]) * Softplus(z[j]);
                }
                return sum / z.Length;
            case MeanSquaredError:
                for (int j = 0; j < z.Length; j++)
                {
                    sum += (z[j] - y[j]) * (z[j] - y[j]);
                }
                return sum / z.Length;
            case MeanAbsoluteError:
                for (int j = 0; j < z.Length; j++)
                {
                    kinks.Add(Math.Sign(z[j] - y[j]));
                    sum += Math.Abs(z[j] - y[j]);
                }
                return sum / z.Length;
            default:
                throw new NotSupportedException(loss.GetType().Name);
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> z)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp(v - max);
        }
        return max + Math.Log(sum);
    }

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    public override void WriteOutputGradient(ITrainingWorkspace workspace, int batch, int outputLength)
    {
        int values = batch * outputLength;
        var predictions = (usesLogits ? workspace.Logits : workspace.Outputs).Slice(0, values);
        loss.Compute(predictions, targets, workspace.OutputGradient.Slice(0, values), batch, outputLength, 1f / batch);
    }
}
