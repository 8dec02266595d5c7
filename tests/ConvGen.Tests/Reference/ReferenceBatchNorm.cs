using System;

namespace ConvGen.Tests.Reference;

/// <summary>Batch normalisation over the channels axis, plain loops in double.</summary>
public static class ReferenceBatchNorm
{
    /// <summary><c>gamma * (x - mean) / sqrt(variance + epsilon) + beta</c> with given statistics.</summary>
    public static ReferenceTensor Inference(ReferenceTensor input, double[] gamma, double[] beta, double[] mean, double[] variance, double epsilon)
    {
        var output = new ReferenceTensor(input.Batch, input.Height, input.Width, input.Channels, input.Rank);
        int channels = input.Channels;
        for (int i = 0; i < input.Values.Length; i++)
        {
            int c = i % channels;
            output.Values[i] = gamma[c] * (input.Values[i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) + beta[c];
        }
        return output;
    }

    /// <summary>The statistics of a batch per channel: mean and population variance over every sample and pixel.</summary>
    public static (double[] Mean, double[] Variance) Statistics(ReferenceTensor input)
    {
        int channels = input.Channels;
        var mean = new double[channels];
        var variance = new double[channels];
        int rows = input.Values.Length / channels;
        for (int i = 0; i < input.Values.Length; i++)
        {
            mean[i % channels] += input.Values[i] / rows;
        }
        for (int i = 0; i < input.Values.Length; i++)
        {
            double d = input.Values[i] - mean[i % channels];
            variance[i % channels] += d * d / rows;
        }
        return (mean, variance);
    }

    /// <summary>Training mode: normalises with the batch's own statistics.</summary>
    public static ReferenceTensor Training(ReferenceTensor input, double[] gamma, double[] beta, double epsilon)
    {
        var (mean, variance) = Statistics(input);
        return Inference(input, gamma, beta, mean, variance, epsilon);
    }
}
