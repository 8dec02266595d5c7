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
internal static class ResamplingAxis
{
    /// <summary>For each output index <c>o</c> of an axis of <paramref name="length"/> inputs, the inputs it reads.</summary>
    public static ResamplingTap[][] Forward(int length, int factor, bool bilinear)
    {
        var taps = new ResamplingTap[length * factor][];
        for (int o = 0; o < taps.Length; o++)
        {
            if (!bilinear)
            {
                taps[o] = new[] { new ResamplingTap(o / factor, 1) };
                continue;
            }
            // As the runtime reference: the fraction as float32, the two weights 1 - f and f.
            double source = (o + 0.5) / factor - 0.5;
            double floor = Math.Floor(source);
            float fraction = (float)(source - floor);
            int lower = Math.Min(Math.Max((int)floor, 0), length - 1);
            int upper = Math.Min(Math.Max((int)floor + 1, 0), length - 1);
            taps[o] = Merge(new[] { new ResamplingTap(lower, 1f - fraction), new ResamplingTap(upper, fraction) });
        }
        return taps;
    }

    /// <summary>The transpose of <paramref name="forward"/>: for each input index, the output indices that read it and their weights.</summary>
    public static ResamplingTap[][] Backward(ResamplingTap[][] forward, int length)
    {
        var gathered = Enumerable.Range(0, length).Select(_ => new List<ResamplingTap>()).ToArray();
        for (int o = 0; o < forward.Length; o++)
        {
            foreach (var tap in forward[o])
            {
                gathered[tap.Source].Add(new ResamplingTap(o, tap.Weight));
            }
        }
        return gathered.Select(list => list.ToArray()).ToArray();
    }

    /// <summary>
    /// Groups <paramref name="taps"/> (per target index) by input index <c>k</c>: target
    /// <c>k * targetStep + phase</c> reads sources <c>k * sourceStep + offset</c>. Forward: targetStep is
    /// the factor, sourceStep 1; backward the other way round.
    /// </summary>
    public static List<ResamplingGroup> Groups(ResamplingTap[][] taps, int targetStep, int sourceStep)
    {
        var groups = new List<ResamplingGroup>();
        int count = taps.Length / targetStep;
        for (int k = 0; k < count; k++)
        {
            var phases = new List<IReadOnlyList<ResamplingTap>>();
            for (int phase = 0; phase < targetStep; phase++)
            {
                phases.Add(taps[k * targetStep + phase].Select(t => new ResamplingTap(t.Source - k * sourceStep, t.Weight)).ToArray());
            }
            if (groups.Count > 0 && SamePhases(groups[groups.Count - 1].Phases, phases))
            {
                groups[groups.Count - 1] = groups[groups.Count - 1] with { To = k + 1 };
            }
            else
            {
                groups.Add(new ResamplingGroup(k, k + 1, phases));
            }
        }
        return groups;
    }

    /// <summary>Whether a target is one source as it is (nearest, or bilinear at a clamped edge).</summary>
    public static bool IsCopy(IReadOnlyList<ResamplingTap> taps) => taps.Count == 1 && taps[0].Weight == 1;

    private static bool SamePhases(IReadOnlyList<IReadOnlyList<ResamplingTap>> a, IReadOnlyList<IReadOnlyList<ResamplingTap>> b) =>
        a.Count == b.Count && a.Zip(b, (x, y) => x.SequenceEqual(y)).All(same => same);

    /// <summary>Taps of the same source added (the clamped edge reads one input twice), zero weights dropped.</summary>
    private static ResamplingTap[] Merge(IEnumerable<ResamplingTap> taps) =>
        taps.GroupBy(t => t.Source).Select(g => new ResamplingTap(g.Key, (float)g.Sum(t => t.Weight))).Where(t => t.Weight != 0).ToArray();
}
