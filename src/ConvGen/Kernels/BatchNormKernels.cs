using System;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Batch normalisation over the last axis (channels) of an NHWC tensor, which generated code
/// calls for <c>[BatchNorm]</c> layers. A tensor is <c>rows x channels</c> here: every sample and
/// pixel is a row. Statistics are accumulated in double, so a 100k-row batch loses no precision.
/// </summary>
public static partial class BatchNormKernels
{
    // Channel counts up to this use stack buffers; wider layers (a BatchNorm after a wide Dense)
    // take one array from the pool.
    private const int StackChannels = 1024;

    /// <summary>
    /// The affine form of a normalisation with fixed statistics:
    /// <c>scale = gamma / sqrt(variance + epsilon)</c>, <c>shift = beta - mean * scale</c>.
    /// Also what folding into a preceding convolution uses.
    /// </summary>
    public static void Fold(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        float epsilon, Span<float> scale, Span<float> shift)
    {
        int channels = gamma.Length;
        CheckChannels(channels, beta.Length, mean.Length, variance.Length, scale.Length, shift.Length);
        for (int c = 0; c < channels; c++)
        {
            double s = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - mean[c] * s);
        }
    }

    /// <summary>
    /// An inference-mode BatchNorm after a convolution as one scale and shift per filter, which the
    /// convolution applies to its sums (<c>y = scale * sum + shift</c>): <c>scale = gamma / sqrt(variance + epsilon)</c>,
    /// <c>shift = (bias - mean) * scale + beta</c> (an empty <paramref name="bias"/> is zero). The
    /// weights stay as they are, so folding costs a few values per filter, not a copy of the weights.
    /// </summary>
    public static void FoldIntoScaleShift(ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon, Span<float> scale, Span<float> shift)
    {
        int filters = gamma.Length;
        CheckChannels(filters, beta.Length, mean.Length, variance.Length, scale.Length, shift.Length, bias.IsEmpty ? filters : bias.Length);
        for (int c = 0; c < filters; c++)
        {
            double s = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
            scale[c] = (float)s;
            shift[c] = (float)(((bias.IsEmpty ? 0.0 : bias[c]) - mean[c]) * s + beta[c]);
        }
    }

    /// <summary><c>values = values * scale + shift</c> per channel (channels last), in place: a folded BatchNorm on a convolution's output where no vector kernel applies it.</summary>
    public static void ScaleShift(Span<float> values, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift)
    {
        int channels = scale.Length;
        int rows = Rows(values.Length, values.Length, channels);
        CheckChannels(channels, shift.Length);
        for (int r = 0; r < rows; r++)
        {
            var row = values.Slice(r * channels, channels);
            TensorPrimitives.MultiplyAdd(row, scale, shift, row);
        }
    }

    /// <summary>
    /// Folds an inference-mode BatchNorm into the convolution before it: HWIO weights (filters
    /// last) scaled per filter, <c>bias' = (bias - mean) * scale + beta</c> (an empty
    /// <paramref name="bias"/> is zero). The folded convolution computes what the two layers
    /// compute, up to float rounding.
    /// </summary>
    public static void FoldIntoConvolution(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon, Span<float> foldedWeights, Span<float> foldedBias)
    {
        int filters = gamma.Length;
        CheckChannels(filters, beta.Length, mean.Length, variance.Length, foldedBias.Length, bias.IsEmpty ? filters : bias.Length);
        if (weights.Length % filters != 0 || foldedWeights.Length != weights.Length)
        {
            throw new ArgumentException($"BatchNorm folding: {weights.Length} weights are not whole rows of {filters} filters, or the folded buffer holds {foldedWeights.Length}.", nameof(weights));
        }
        float[]? rented = filters > StackChannels ? System.Buffers.ArrayPool<float>.Shared.Rent(2 * filters) : null;
        Span<float> buffer = rented is null ? stackalloc float[2 * filters] : rented.AsSpan(0, 2 * filters);
        Span<float> scale = buffer.Slice(0, filters);
        Span<float> shift = buffer.Slice(filters, filters);
        Fold(gamma, beta, mean, variance, epsilon, scale, shift);
        for (int row = 0; row < weights.Length; row += filters)
        {
            TensorPrimitives.Multiply(weights.Slice(row, filters), scale, foldedWeights.Slice(row, filters));
        }
        for (int c = 0; c < filters; c++)
        {
            foldedBias[c] = (bias.IsEmpty ? 0f : bias[c]) * scale[c] + shift[c];
        }
        if (rented is not null)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// A BatchNorm layer's forward in a training workspace, in the mode the pass asks for: a
    /// <paramref name="frozen"/> layer normalises with its running statistics (<see cref="Inference"/>);
    /// otherwise with the batch's statistics when <paramref name="batchStatistics"/> (training,
    /// shared with the other parts through <paramref name="share"/>), else with the running ones
    /// keeping x̂ and σ⁻¹ for a backward pass (<see cref="FixedStatisticsForward"/>).
    /// </summary>
    public static void TrainingPassForward(bool frozen, bool batchStatistics, ReadOnlySpan<float> input, Span<float> output, Span<float> normalized,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon,
        Span<float> batchMean, Span<float> batchVariance, Span<float> inverseStd, Parallel.BatchShare? share)
    {
        if (frozen)
        {
            Inference(input, output, gamma, beta, runningMean, runningVariance, epsilon);
        }
        else if (batchStatistics)
        {
            TrainingForward(input, output, normalized, gamma, beta, epsilon, batchMean, batchVariance, inverseStd, share);
        }
        else
        {
            FixedStatisticsForward(input, output, normalized, gamma, beta, runningMean, runningVariance, epsilon, inverseStd);
        }
    }

    /// <summary>Inference (and frozen training): <c>output = input * scale + shift</c> per channel with the running statistics.</summary>
    public static void Inference(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon)
    {
        int channels = gamma.Length;
        int rows = Rows(input.Length, output.Length, channels);
        float[]? rented = channels > StackChannels ? System.Buffers.ArrayPool<float>.Shared.Rent(2 * channels) : null;
        Span<float> buffer = rented is null ? stackalloc float[2 * channels] : rented.AsSpan(0, 2 * channels);
        Span<float> scale = buffer.Slice(0, channels);
        Span<float> shift = buffer.Slice(channels, channels);
        Fold(gamma, beta, runningMean, runningVariance, epsilon, scale, shift);
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.MultiplyAdd(input.Slice(r * channels, channels), scale, shift, output.Slice(r * channels, channels));
        }
        if (rented is not null)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Training forward with the statistics of this batch (population variance, as ONNX and
    /// Keras normalise): keeps <paramref name="normalized"/> (x̂) and <paramref name="inverseStd"/>
    /// for backward, and <paramref name="batchMean"/> / <paramref name="batchVariance"/> for the
    /// running-average update.
    /// </summary>
    public static void TrainingForward(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> batchMean, Span<float> batchVariance, Span<float> inverseStd)
    {
        int channels = gamma.Length;
        int rows = Rows(input.Length, output.Length, channels);
        CheckChannels(channels, beta.Length, batchMean.Length, batchVariance.Length, inverseStd.Length, channels);
        if (normalized.Length < input.Length)
        {
            throw new ArgumentException($"BatchNorm: the normalised buffer holds {normalized.Length} floats but the input has {input.Length}.", nameof(normalized));
        }
        double[] sums = System.Buffers.ArrayPool<double>.Shared.Rent(2 * channels);
        try
        {
            // Two passes (mean, then squared deviations): the one-pass E[x²] - E[x]² cancels badly
            // when the mean is large against the spread, as after a ReLU.
            Span<double> total = sums.AsSpan(0, channels);
            Span<double> mean = sums.AsSpan(channels, channels);
            total.Clear();
            Simd.BatchNormRows.ColumnSums(input, rows, channels, total);
            for (int c = 0; c < channels; c++)
            {
                batchMean[c] = (float)(total[c] / rows);
                mean[c] = batchMean[c]; // the deviations are from the float mean, as the layer stores it
            }
            total.Clear();
            Simd.BatchNormRows.SquaredDeviations(input, rows, channels, mean, total);
            for (int c = 0; c < channels; c++)
            {
                double variance = total[c] / rows;
                batchVariance[c] = (float)variance;
                inverseStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(sums);
        }
        Normalize(input, output, normalized, gamma, beta, batchMean, inverseStd, rows, channels);
    }

    /// <summary>
    /// <see cref="TrainingForward(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>
    /// for one part of a batch that several threads share (<paramref name="share"/>; null or alone:
    /// this part is the batch). Each part computes its rows' count, mean and sum of squared
    /// deviations, the parts exchange them at a barrier, and every part merges all of them in part
    /// order (Chan et al.'s pairwise update): the statistics of the whole batch, the same in every
    /// part, which each part then normalises its own rows with. <paramref name="batchMean"/> and
    /// <paramref name="batchVariance"/> receive the whole batch's statistics.
    /// </summary>
    public static void TrainingForward(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> batchMean, Span<float> batchVariance, Span<float> inverseStd, Parallel.BatchShare? share)
    {
        if (share?.Chunks is { IsChunked: true } chunks)
        {
            ChunkedTrainingForward(input, output, normalized, gamma, beta, epsilon, batchMean, batchVariance, inverseStd, share, chunks);
            return;
        }
        if (share is null || !share.IsShared)
        {
            TrainingForward(input, output, normalized, gamma, beta, epsilon, batchMean, batchVariance, inverseStd);
            return;
        }
        int channels = gamma.Length;
        int rows = Rows(input.Length, output.Length, channels);
        CheckChannels(channels, beta.Length, batchMean.Length, batchVariance.Length, inverseStd.Length, channels);
        if (normalized.Length < input.Length)
        {
            throw new ArgumentException($"BatchNorm: the normalised buffer holds {normalized.Length} floats but the input has {input.Length}.", nameof(normalized));
        }
        double[] moments = System.Buffers.ArrayPool<double>.Shared.Rent(4 * channels);
        try
        {
            Span<double> local = moments.AsSpan(0, 2 * channels); // [mean, M2] of this part's rows
            Span<double> whole = moments.AsSpan(2 * channels, 2 * channels); // [mean, M2] of the batch
            PartMoments(input, rows, channels, local);
            whole.Clear();
            double count = 0;
            foreach (double[] part in share.Exchange(rows, local))
            {
                MergeMoments(whole, ref count, part.AsSpan(1, 2 * channels), part[0]);
            }
            if (share.Group.Communicator is { } processes)
            {
                count = MomentsOverProcesses(share, processes, whole, count);
            }
            for (int c = 0; c < channels; c++)
            {
                double variance = whole[channels + c] / count;
                batchMean[c] = (float)whole[c];
                batchVariance[c] = (float)variance;
                inverseStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(moments);
        }
        Normalize(input, output, normalized, gamma, beta, batchMean, inverseStd, rows, channels);
    }

    /// <summary>
    /// The moments of the global batch from each process's (<paramref name="moments"/>, <paramref name="count"/>
    /// rows), into <paramref name="moments"/>; returns the global row count. Part 0 alone calls the
    /// communicator: the global mean from the summed counts and sums, then the summed squared
    /// deviations about it (each process's M2 plus its rows' offset from the global mean, so no
    /// difference of large sums cancels); the other parts receive the result from it.
    /// </summary>
    private static double MomentsOverProcesses(Parallel.BatchShare share, Distributed.ICommunicator processes, Span<double> moments, double count)
    {
        int channels = moments.Length / 2;
        double[] buffer = System.Buffers.ArrayPool<double>.Shared.Rent(1 + 2 * channels);
        try
        {
            Span<double> result = buffer.AsSpan(0, 1 + 2 * channels);
            if (share.Part == 0)
            {
                Span<double> sums = result.Slice(0, 1 + channels);
                sums[0] = count;
                for (int c = 0; c < channels; c++) sums[1 + c] = count * moments[c];
                processes.AllReduceSum(sums);
                double total = sums[0];
                for (int c = 0; c < channels; c++) sums[1 + c] /= total;
                Span<double> deviations = result.Slice(1 + channels, channels);
                for (int c = 0; c < channels; c++)
                {
                    double offset = moments[c] - sums[1 + c];
                    deviations[c] = moments[channels + c] + count * offset * offset;
                }
                processes.AllReduceSum(deviations);
            }
            var global = share.FromFirstPart(result);
            global.Slice(1).CopyTo(moments);
            return global[0];
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Mean and sum of squared deviations per channel of <paramref name="rows"/> rows, in two passes (see <see cref="TrainingForward(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>).</summary>
    internal static void PartMoments(ReadOnlySpan<float> input, int rows, int channels, Span<double> moments)
    {
        Span<double> mean = moments.Slice(0, channels);
        Span<double> m2 = moments.Slice(channels, channels);
        mean.Clear();
        m2.Clear();
        Simd.BatchNormRows.ColumnSums(input, rows, channels, mean);
        for (int c = 0; c < channels; c++) mean[c] /= rows;
        Simd.BatchNormRows.SquaredDeviations(input, rows, channels, mean, m2);
    }

    /// <summary>Chan et al.'s pairwise update of <c>[mean, M2]</c> over <paramref name="count"/> rows with a part's <c>[mean, M2]</c> over <paramref name="partCount"/> rows.</summary>
    private static void MergeMoments(Span<double> accumulator, ref double count, ReadOnlySpan<double> part, double partCount)
    {
        if (partCount <= 0)
        {
            return;
        }
        int channels = accumulator.Length / 2;
        double total = count + partCount;
        for (int c = 0; c < channels; c++)
        {
            double delta = part[c] - accumulator[c];
            accumulator[c] += delta * partCount / total;
            accumulator[channels + c] += part[channels + c] + delta * delta * count * partCount / total;
        }
        count = total;
    }

    /// <summary>
    /// The running-statistics form of <see cref="TrainingForward(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/> for a trainable layer outside
    /// training (an evaluation pass): same output as <see cref="Inference"/>, and keeps x̂ and
    /// σ⁻¹ so that a backward pass can still compute γ and β gradients.
    /// </summary>
    public static void FixedStatisticsForward(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance,
        float epsilon, Span<float> inverseStd)
    {
        int channels = gamma.Length;
        int rows = Rows(input.Length, output.Length, channels);
        CheckChannels(channels, beta.Length, runningMean.Length, runningVariance.Length, inverseStd.Length);
        for (int c = 0; c < channels; c++)
        {
            inverseStd[c] = (float)(1.0 / Math.Sqrt((double)runningVariance[c] + epsilon));
        }
        Normalize(input, output, normalized, gamma, beta, runningMean, inverseStd, rows, channels);
    }

    private static void Normalize(ReadOnlySpan<float> input, Span<float> output, Span<float> normalized, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, int rows, int channels) =>
        Simd.BatchNormRows.Normalize(input, output, normalized, gamma, beta, mean, inverseStd, rows, channels);

    /// <summary>
    /// Backward of <see cref="TrainingForward(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>, through the batch mean and variance:
    /// <c>dβ = Σ dy</c>, <c>dγ = Σ dy·x̂</c> (added into the gradient buffers unless they are
    /// empty, for a frozen layer) and, unless <paramref name="inputGradient"/> is empty,
    /// <c>dx = γ·σ⁻¹/N · (N·dy − dβ − x̂·dγ)</c> when the forward pass used the batch's own
    /// statistics, or <c>dx = γ·σ⁻¹·dy</c> when it used fixed ones
    /// (<paramref name="throughBatchStatistics"/> false, see <see cref="FixedStatisticsForward"/>).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> inverseStd, Span<float> gammaGradient, Span<float> betaGradient, Span<float> inputGradient, bool throughBatchStatistics) =>
        Backward(outputGradient, normalized, gamma, inverseStd, gammaGradient, betaGradient, inputGradient, throughBatchStatistics, null);

    /// <summary>
    /// <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, bool)"/>
    /// for one part of a shared batch: the input gradient goes through the statistics of the whole
    /// batch, so it needs <c>Σ dy</c> and <c>Σ dy·x̂</c> over every part's rows, exchanged like
    /// the forward statistics and added in part order. γ and β gradients get this part's sums
    /// (the gradient reduction adds the parts).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> inverseStd, Span<float> gammaGradient, Span<float> betaGradient, Span<float> inputGradient, bool throughBatchStatistics,
        Parallel.BatchShare? share)
    {
        int channels = gamma.Length;
        int rows = Rows(outputGradient.Length, normalized.Length < outputGradient.Length ? -1 : outputGradient.Length, channels);
        bool shared = throughBatchStatistics && share is { IsShared: true };
        double[] sums = System.Buffers.ArrayPool<double>.Shared.Rent(4 * channels + 1);
        try
        {
            Array.Clear(sums, 0, 2 * channels);
            Simd.BatchNormRows.Sums(outputGradient, normalized, rows, channels, sums.AsSpan(0, channels), sums.AsSpan(channels, channels));
            if (!gammaGradient.IsEmpty)
            {
                for (int c = 0; c < channels; c++)
                {
                    betaGradient[c] += (float)sums[c];
                    gammaGradient[c] += (float)sums[channels + c];
                }
            }
            // Every part of a shared batch exchanges its sums, even one that needs no input
            // gradient, so that all parts meet at the same barriers.
            double batchRows = rows;
            if (shared)
            {
                var parts = share!.Exchange(rows, sums.AsSpan(0, 2 * channels));
                Span<double> total = sums.AsSpan(2 * channels, 2 * channels);
                total.Clear();
                batchRows = 0;
                foreach (double[] part in parts)
                {
                    batchRows += part[0];
                    for (int i = 0; i < 2 * channels; i++) total[i] += part[1 + i];
                }
                total.CopyTo(sums.AsSpan(0, 2 * channels));
                if (share.Group.Communicator is { } processes)
                {
                    // [rows, Σdy, Σdy·x̂] summed over the processes by part 0, read by the others.
                    Span<double> global = sums.AsSpan(2 * channels, 1 + 2 * channels);
                    if (share.Part == 0)
                    {
                        global[0] = batchRows;
                        sums.AsSpan(0, 2 * channels).CopyTo(global.Slice(1));
                        processes.AllReduceSum(global);
                    }
                    var received = share.FromFirstPart(global);
                    batchRows = received[0];
                    received.Slice(1).CopyTo(sums.AsSpan(0, 2 * channels));
                }
            }
            if (inputGradient.IsEmpty)
            {
                return;
            }
            if (inputGradient.Length < outputGradient.Length)
            {
                throw new ArgumentException($"BatchNorm: the input gradient holds {inputGradient.Length} floats but {outputGradient.Length} are needed.", nameof(inputGradient));
            }
            // k / batchRows * (...) is (k / batchRows) * (...): the per-channel factor once, the same double arithmetic per value.
            Span<double> scale = sums.AsSpan(2 * channels, channels);
            for (int c = 0; c < channels; c++)
            {
                double k = gamma[c] * (double)inverseStd[c];
                scale[c] = throughBatchStatistics ? k / batchRows : k;
            }
            Simd.BatchNormRows.InputGradient(outputGradient, normalized, inputGradient, rows, channels, scale,
                sums.AsSpan(0, channels), sums.AsSpan(channels, channels), batchRows, throughBatchStatistics);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(sums);
        }
    }

    /// <summary>Input gradient of <see cref="Inference"/> (a frozen layer): <c>dx = dy · γ / sqrt(running variance + ε)</c>.</summary>
    public static void FrozenInputGradient(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningVariance,
        float epsilon, Span<float> inputGradient)
    {
        int channels = gamma.Length;
        int rows = Rows(outputGradient.Length, inputGradient.Length < outputGradient.Length ? -1 : outputGradient.Length, channels);
        Span<float> scale = channels <= StackChannels ? stackalloc float[channels] : new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)(gamma[c] / Math.Sqrt((double)runningVariance[c] + epsilon));
        }
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Multiply(outputGradient.Slice(r * channels, channels), scale, inputGradient.Slice(r * channels, channels));
        }
    }

    /// <summary>
    /// Merges one part's batch statistics (<paramref name="partCount"/> rows) into an accumulator
    /// <c>[mean[C], M2[C]]</c> with Chan et al.'s pairwise update, so per-thread statistics combine
    /// into exactly the statistics of the whole batch.
    /// </summary>
    public static void MergeStatistics(Span<double> accumulator, ref long count, ReadOnlySpan<float> partMean, ReadOnlySpan<float> partVariance, long partCount)
    {
        int channels = partMean.Length;
        if (accumulator.Length != 2 * channels || partVariance.Length != channels)
        {
            throw new ArgumentException($"BatchNorm: statistics of {channels} channels need an accumulator of {2 * channels} values, not {accumulator.Length}.", nameof(accumulator));
        }
        if (partCount <= 0)
        {
            return;
        }
        long total = count + partCount;
        for (int c = 0; c < channels; c++)
        {
            double delta = partMean[c] - accumulator[c];
            accumulator[c] += delta * partCount / total;
            accumulator[channels + c] += (double)partVariance[c] * partCount + delta * delta * count * partCount / total;
        }
        count = total;
    }

    /// <summary>
    /// <c>running = momentum · running + (1 − momentum) · batch</c> (Keras / ONNX), with the batch
    /// statistics from <see cref="MergeStatistics"/>; then clears the accumulator.
    /// </summary>
    public static void UpdateRunningStatistics(Span<float> runningMean, Span<float> runningVariance, float momentum, Span<double> accumulator, ref long count)
    {
        int channels = runningMean.Length;
        if (count > 0)
        {
            for (int c = 0; c < channels; c++)
            {
                runningMean[c] = (float)(momentum * (double)runningMean[c] + (1.0 - momentum) * accumulator[c]);
                runningVariance[c] = (float)(momentum * (double)runningVariance[c] + (1.0 - momentum) * (accumulator[channels + c] / count));
            }
        }
        accumulator.Clear();
        count = 0;
    }

    private static int Rows(int inputLength, int outputLength, int channels)
    {
        if (channels <= 0 || inputLength % channels != 0 || outputLength < inputLength)
        {
            throw new ArgumentException($"BatchNorm: {inputLength} input floats are not whole rows of {channels} channels, or the output ({outputLength}) is shorter.");
        }
        return inputLength / channels;
    }

    private static void CheckChannels(int channels, params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
        {
            if (length != channels)
            {
                throw new ArgumentException($"BatchNorm: every per-channel vector must hold {channels} values; one holds {length}.");
            }
        }
    }
}
