using System;
using System.Linq;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// The training step's threads each update a slice of the parameters (Optimizer.BeginSplitStep,
/// then StepPart per slice): whatever the cuts, the weights and the optimizer state must be the
/// bits one Step gives, for every built-in optimizer and its options.
/// </summary>
public sealed class SplitUpdateTests
{
    public static TheoryData<string> Kinds => new() { "sgd", "sgd-decay", "momentum", "nesterov", "adam", "adam-decay-biases", "adamw", "rmsprop", "rmsprop-momentum" };

    private static Optimizer Create(string kind) => kind switch
    {
        "sgd" => new Sgd(0.1f),
        "sgd-decay" => new Sgd(0.1f) { WeightDecay = 0.01f },
        "momentum" => new Sgd(0.05f, 0.9f) { WeightDecay = 0.001f },
        "nesterov" => new Sgd(0.05f, 0.9f, nesterov: true) { WeightDecay = 0.001f, DecayBiases = true },
        "adam" => new Adam(0.01f),
        "adam-decay-biases" => new Adam(0.01f) { WeightDecay = 0.01f, DecayBiases = true },
        "adamw" => new AdamW(0.01f) { WeightDecay = 0.05f },
        "rmsprop" => new RmsProp(0.01f) { WeightDecay = 0.01f },
        "rmsprop-momentum" => new RmsProp(0.01f, momentum: 0.5f),
        _ => throw new ArgumentException(kind),
    };

    // Ranges that leave gaps (frozen tensors) and have odd lengths (vector tails inside a slice).
    private static readonly ParameterRange[] Ranges = [new(0, 37, false), new(37, 5, true), new(50, 403, false), new(460, 11, true), new(480, 523, false)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Updates_split_at_any_cuts_give_the_bits_of_one_step(string kind)
    {
        const int length = 1003;
        var random = new SeededRandom(5);
        var whole = new float[length];
        for (int i = 0; i < length; i++) whole[i] = random.NextSingle() - 0.5f;
        var split = (float[])whole.Clone();
        var gradients = new float[length];
        var one = Create(kind);
        var parts = Create(kind);
        int[][] cutsPerStep = [[0, 1, 37, 38, 500, 1003], [0, 16, 1003], [0, 1003], [0, 480, 481, 999, 1003]];
        foreach (int[] cuts in cutsPerStep)
        {
            for (int i = 0; i < length; i++) gradients[i] = random.NextSingle() - 0.5f;
            one.Step(whole, gradients, Ranges);
            parts.BeginSplitStep(split, gradients, Ranges);
            // The parts in reverse order: none may depend on another having run first.
            for (int c = cuts.Length - 2; c >= 0; c--)
            {
                parts.StepPart(split, gradients, Ranges, cuts[c], cuts[c + 1]);
            }
            Assert.True(parts.Splits);
            Assert.Equal(one.StepCount, parts.StepCount);
            Assert.True(whole.AsSpan().SequenceEqual(split), $"{kind}: the split update wrote other weights than one step.");
            foreach (var (name, values) in one.State)
            {
                Assert.True(values.AsSpan().SequenceEqual(parts.State[name]), $"{kind}: the split update left another '{name}' than one step.");
            }
        }
        Assert.NotEqual(0, whole.Count(w => w != 0f));
    }

    [Fact]
    public void A_split_step_validates_and_counts_before_any_part_runs()
    {
        var optimizer = new Adam(0.01f);
        var error = Assert.Throws<ArgumentException>(() => optimizer.BeginSplitStep(new float[10], new float[9], Ranges.Take(1).ToArray()));
        Assert.Contains("gradients holds 9 floats but parameters holds 10", error.Message);
        Assert.Equal(0, optimizer.StepCount);
        Assert.Empty(optimizer.State);
    }
}
