using System;

namespace ConvGen.Kernels;

/// <summary>
/// Per-sample normalisation (Keras 3 <c>GroupNormalization</c> and, with one group per pixel,
/// <c>LayerNormalization</c> over the channel axis): each sample's channels are split into
/// <c>groups</c> runs of <c>channels / groups</c>; a group's mean and (population) variance are
/// taken over every position and its channels, then <c>y = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c]</c>.
/// Sums run in double, two passes, so a large mean does not swamp the variance. An empty gamma
/// is 1 (<c>Scale = false</c>), an empty beta 0 (<c>Center = false</c>).
/// </summary>
public static class GroupNormKernels
{
    /// <summary>
    /// Normalises <paramref name="batch"/> samples of <paramref name="positions"/> x <paramref name="channels"/>.
    /// Training passes <paramref name="normalized"/> (x-hat, the input's length) and
    /// <paramref name="inverseStd"/> (<c>batch * groups</c>) for backward; inference passes them empty.
    /// </summary>
    /// <exception cref="ArgumentException">The groups do not divide the channels, or a span is too short.</exception>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> output,
        int batch, int positions, int channels, int groups, float epsilon, Span<float> normalized, Span<float> inverseStd)
    {
        int length = Check(input.Length, output.Length, gamma.Length, beta.Length, batch, positions, channels, groups);
        if (!normalized.IsEmpty && normalized.Length < length || !inverseStd.IsEmpty && inverseStd.Length < batch * groups)
        {
            throw new ArgumentException($"GroupNorm: the training buffers hold {normalized.Length} and {inverseStd.Length} floats, but need {length} and {batch * groups}.");
        }
        int perGroup = channels / groups;
        int sample = positions * channels;
        double count = (double)positions * perGroup;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * sample, sample);
            Span<float> y = output.Slice(n * sample, sample);
            for (int g = 0; g < groups; g++)
            {
                int first = g * perGroup;
                double sum = 0;
                for (int p = 0; p < sample; p += channels)
                {
                    for (int c = first; c < first + perGroup; c++) sum += x[p + c];
                }
                double mean = sum / count;
                double squares = 0;
                for (int p = 0; p < sample; p += channels)
                {
                    for (int c = first; c < first + perGroup; c++)
                    {
                        double d = x[p + c] - mean;
                        squares += d * d;
                    }
                }
                float inverse = (float)(1.0 / Math.Sqrt(squares / count + epsilon));
                float center = (float)mean;
                if (!inverseStd.IsEmpty) inverseStd[n * groups + g] = inverse;
                for (int p = 0; p < sample; p += channels)
                {
                    for (int c = first; c < first + perGroup; c++)
                    {
                        float hat = (x[p + c] - center) * inverse;
                        if (!normalized.IsEmpty) normalized[n * sample + p + c] = hat;
                        y[p + c] = (gamma.IsEmpty ? hat : gamma[c] * hat) + (beta.IsEmpty ? 0f : beta[c]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// From dLoss/dy: adds gamma's and beta's gradients (empty spans skip them: frozen, or no
    /// Scale / Center) and, unless <paramref name="inputGradient"/> is empty, writes dLoss/dx =
    /// <c>inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))</c> per group, dxhat = dy * gamma.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> normalized, ReadOnlySpan<float> inverseStd, ReadOnlySpan<float> gamma,
        Span<float> gammaGradient, Span<float> betaGradient, Span<float> inputGradient, int batch, int positions, int channels, int groups)
    {
        int length = Check(outputGradient.Length, normalized.Length, gamma.Length, 0, batch, positions, channels, groups);
        if (inverseStd.Length < batch * groups || !inputGradient.IsEmpty && inputGradient.Length < length
            || !gammaGradient.IsEmpty && gammaGradient.Length != channels || !betaGradient.IsEmpty && betaGradient.Length != channels)
        {
            throw new ArgumentException($"GroupNorm backward: inverseStd holds {inverseStd.Length} floats (needs {batch * groups}), the input gradient {inputGradient.Length} (needs {length}), "
                + $"the gamma and beta gradients {gammaGradient.Length} and {betaGradient.Length} (need {channels} or none).");
        }
        int perGroup = channels / groups;
        int sample = positions * channels;
        double count = (double)positions * perGroup;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> dy = outputGradient.Slice(n * sample, sample);
            ReadOnlySpan<float> hat = normalized.Slice(n * sample, sample);
            for (int p = 0; p < sample; p += channels)
            {
                for (int c = 0; c < channels; c++)
                {
                    if (!gammaGradient.IsEmpty) gammaGradient[c] += dy[p + c] * hat[p + c];
                    if (!betaGradient.IsEmpty) betaGradient[c] += dy[p + c];
                }
            }
            if (inputGradient.IsEmpty)
            {
                continue;
            }
            Span<float> dx = inputGradient.Slice(n * sample, sample);
            for (int g = 0; g < groups; g++)
            {
                int first = g * perGroup;
                double sum = 0, dot = 0;
                for (int p = 0; p < sample; p += channels)
                {
                    for (int c = first; c < first + perGroup; c++)
                    {
                        double d = gamma.IsEmpty ? dy[p + c] : (double)dy[p + c] * gamma[c];
                        sum += d;
                        dot += d * hat[p + c];
                    }
                }
                float meanGradient = (float)(sum / count);
                float meanDot = (float)(dot / count);
                float inverse = inverseStd[n * groups + g];
                for (int p = 0; p < sample; p += channels)
                {
                    for (int c = first; c < first + perGroup; c++)
                    {
                        float d = gamma.IsEmpty ? dy[p + c] : dy[p + c] * gamma[c];
                        dx[p + c] = inverse * (d - meanGradient - hat[p + c] * meanDot);
                    }
                }
            }
        }
    }

    private static int Check(int inputLength, int outputLength, int gammaLength, int betaLength, int batch, int positions, int channels, int groups)
    {
        if (groups <= 0 || channels <= 0 || positions <= 0 || batch < 0 || channels % groups != 0)
        {
            throw new ArgumentException($"GroupNorm: {channels} channels in {groups} groups over {positions} positions is not a valid split; the groups must divide the channels.");
        }
        int length = batch * positions * channels;
        if (inputLength < length || outputLength < length || gammaLength is not 0 && gammaLength != channels || betaLength is not 0 && betaLength != channels)
        {
            throw new ArgumentException(
                $"GroupNorm: a batch of {batch} x {positions} x {channels} needs {length} floats in and out and gamma / beta of {channels} (or none), but got {inputLength}, {outputLength}, {gammaLength} and {betaLength}.");
        }
        return length;
    }
}
