using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generators.Emit;

/// <summary>One source index and its weight in a target index's sum.</summary>
internal readonly record struct ResamplingTap(int Source, double Weight);

/// <summary>
/// A run of consecutive input indices <c>[From, To)</c> that read their sources alike: for each
/// of the <see cref="Phases"/> targets of index <c>k</c>, the same taps relative to <c>k</c>. The
/// interior of an axis is one group (a loop); the edges, where bilinear clamps, are groups of their own.
/// </summary>
internal sealed record ResamplingGroup(int From, int To, IReadOnlyList<IReadOnlyList<ResamplingTap>> Phases)
{
    public bool IsLoop => To - From > 1;
}

/// <summary>
/// One axis of UpSampling2D, worked out at compile time: which input indices each output index
/// blends and with which weights (nearest: one with weight 1; bilinear with half-pixel centres,
/// as Keras's <c>tf.image.resize</c> and ONNX Resize <c>half_pixel</c>: two, clamped to the edge), and
/// the transpose of that for the backward pass, where each input index gathers the output indices that read it.
/// </summary>
/// <remarks>
/// Only the edges clamp: an output of input index <c>k</c> reads <c>k - 1</c> to <c>k + 1</c>, and an
/// input index gathers from the outputs of its neighbours, so every index more than
/// <see cref="Edge"/> from either end reads alike relative to itself. The groups are built from the
/// edge indices and one interior index, in time and memory independent of the axis length.
/// </remarks>
internal sealed class ResamplingAxis
{
    /// <summary>Indices at each end that may read differently from the interior (two suffice; one more for margin).</summary>
    private const int Edge = 3;

    private readonly int _length;
    private readonly int _factor;
    private readonly bool _bilinear;

    public ResamplingAxis(int length, int factor, bool bilinear)
    {
        _length = length;
        _factor = factor;
        _bilinear = bilinear;
    }

    /// <summary>The inputs output index <paramref name="o"/> reads.</summary>
    public ResamplingTap[] Forward(int o)
    {
        if (!_bilinear)
        {
            return new[] { new ResamplingTap(o / _factor, 1) };
        }
        // As the runtime reference: the fraction as float32, the two weights 1 - f and f.
        double source = (o + 0.5) / _factor - 0.5;
        double floor = Math.Floor(source);
        float fraction = (float)(source - floor);
        int lower = Math.Min(Math.Max((int)floor, 0), _length - 1);
        int upper = Math.Min(Math.Max((int)floor + 1, 0), _length - 1);
        return Merge(new[] { new ResamplingTap(lower, 1f - fraction), new ResamplingTap(upper, fraction) });
    }

    /// <summary>The outputs that read input index <paramref name="i"/>, with their weights: those of input indices <c>i - 1</c> to <c>i + 1</c>.</summary>
    public ResamplingTap[] Backward(int i)
    {
        var gathered = new List<ResamplingTap>();
        for (long o = Math.Max(0, (long)(i - 1) * _factor); o < Math.Min((long)_length * _factor, (long)(i + 2) * _factor); o++)
        {
            foreach (var tap in Forward((int)o))
            {
                if (tap.Source == i)
                {
                    gathered.Add(new ResamplingTap((int)o, tap.Weight));
                }
            }
        }
        return gathered.ToArray();
    }

    /// <summary>
    /// The groups of input indices <c>k</c>. Forward, target <c>k * factor + phase</c> reads sources
    /// <c>k + offset</c>; backward, target <c>k</c> gathers sources <c>k * factor + offset</c>.
    /// </summary>
    public List<ResamplingGroup> Groups(bool backward)
    {
        var groups = new List<ResamplingGroup>();
        void Add(int from, int to)
        {
            var phases = Phases(from, backward);
            if (groups.Count > 0 && SamePhases(groups[groups.Count - 1].Phases, phases))
            {
                groups[groups.Count - 1] = groups[groups.Count - 1] with { To = to };
            }
            else
            {
                groups.Add(new ResamplingGroup(from, to, phases));
            }
        }
        for (int k = 0; k < _length; k++)
        {
            if (k >= Edge && k < _length - Edge)
            {
                // The interior: one representative for all of it.
                Add(k, _length - Edge);
                k = _length - Edge - 1;
                continue;
            }
            Add(k, k + 1);
        }
        return groups;
    }

    /// <summary>The taps of each target of input index <paramref name="k"/>, relative to its first source.</summary>
    private IReadOnlyList<IReadOnlyList<ResamplingTap>> Phases(int k, bool backward)
    {
        if (backward)
        {
            return new[] { Backward(k).Select(t => new ResamplingTap(t.Source - k * _factor, t.Weight)).ToArray() };
        }
        return Enumerable.Range(0, _factor).Select(phase => Forward(k * _factor + phase).Select(t => new ResamplingTap(t.Source - k, t.Weight)).ToArray()).ToArray();
    }

    /// <summary>Whether a target is one source as it is (nearest, or bilinear at a clamped edge).</summary>
    public static bool IsCopy(IReadOnlyList<ResamplingTap> taps) => taps.Count == 1 && taps[0].Weight == 1;

    private static bool SamePhases(IReadOnlyList<IReadOnlyList<ResamplingTap>> a, IReadOnlyList<IReadOnlyList<ResamplingTap>> b) =>
        a.Count == b.Count && a.Zip(b, (x, y) => x.SequenceEqual(y)).All(same => same);

    /// <summary>Taps of the same source added (the clamped edge reads one input twice), zero weights dropped.</summary>
    private static ResamplingTap[] Merge(IEnumerable<ResamplingTap> taps) =>
        taps.GroupBy(t => t.Source).Select(g => new ResamplingTap(g.Key, (float)g.Sum(t => t.Weight))).Where(t => t.Weight != 0).ToArray();
}
