using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Training.Tests;

public class OptimizerTests
{
    // 19 parameters: two full Vector256 blocks plus a scalar tail, so both code paths are checked.
    private const int N = 19;
    private static readonly ParameterRange[] All = { new(0, N, IsBias: false) };

    private static float[] InitialWeights() => Enumerable.Range(0, N).Select(i => (float)((i - 9) * 0.25 + 0.1)).ToArray();

    // A fixed gradient sequence, independent of the weights, so the reference needs no model.
    private static float[] Gradient(int step) =>
        Enumerable.Range(0, N).Select(i => (float)(Math.Sin(i + 1.3 * step) * (1 + 0.1 * i))).ToArray();

    // ---- single-parameter values worked out by hand --------------------------------------------

    [Fact]
    public void Sgd_plain_step_by_hand()
    {
        float[] w = { 1f };
        new Sgd(0.1f).Step(w, new[] { 0.5f }, new[] { new ParameterRange(0, 1, false) });
        Assert.Equal(0.95f, w[0], 6); // 1 - 0.1 * 0.5
    }

    [Fact]
    public void Sgd_momentum_and_nesterov_two_steps_by_hand()
    {
        // Momentum 0.9, lr 0.1, gradient 0.5 twice. Heavy ball: b = 0.5, w = 0.95; b = 0.95, w = 0.855.
        float[] w = { 1f };
        var ranges = new[] { new ParameterRange(0, 1, false) };
        var heavyBall = new Sgd(0.1f, momentum: 0.9f);
        heavyBall.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.95f, w[0], 6);
        heavyBall.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.855f, w[0], 6);

        // Nesterov: step d + mu*b: 0.5 + 0.45 = 0.95 -> 0.905; then b = 0.95, 0.5 + 0.855 = 1.355 -> 0.7695.
        float[] v = { 1f };
        var nesterov = new Sgd(0.1f, momentum: 0.9f, nesterov: true);
        nesterov.Step(v, new[] { 0.5f }, ranges);
        Assert.Equal(0.905f, v[0], 6);
        nesterov.Step(v, new[] { 0.5f }, ranges);
        Assert.Equal(0.7695f, v[0], 6);
    }

    [Fact]
    public void Adam_two_steps_by_hand()
    {
        // lr 0.1, gradient 0.5 twice. Step 1: m = 0.05, v = 0.00025, alpha = 0.1 sqrt(0.001) / 0.1,
        // w = 1 - alpha m / (sqrt v + 1e-7) = 0.900000632...; step 2 likewise: 0.800001079...
        float[] w = { 1f };
        var ranges = new[] { new ParameterRange(0, 1, false) };
        var adam = new Adam(0.1f);
        adam.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.900000632451532, w[0], 6);
        adam.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.8000010797749725, w[0], 6);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void RmsProp_two_steps_by_hand()
    {
        // lr 0.01, rho 0.9, gradient 0.5: v = 0.025, w = 1 - 0.005 / sqrt(0.025 + 1e-7) = 0.968377...;
        // v = 0.0475, w = 0.945435...; with momentum 0.5 the second step adds half the first: 0.929624...
        var ranges = new[] { new ParameterRange(0, 1, false) };
        float[] w = { 1f };
        var plain = new RmsProp(0.01f);
        plain.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.9683772866436797, w[0], 6);
        plain.Step(w, new[] { 0.5f }, ranges);
        Assert.Equal(0.94543573740561, w[0], 6);

        float[] u = { 1f };
        var withMomentum = new RmsProp(0.01f, momentum: 0.5f);
        withMomentum.Step(u, new[] { 0.5f }, ranges);
        withMomentum.Step(u, new[] { 0.5f }, ranges);
        Assert.Equal(0.9296243807274499, u[0], 6);
    }

    // ---- three steps on 19 parameters against references written from the published equations --

    public static IEnumerable<object[]> Cases()
    {
        yield return new object[] { "sgd", 0f };
        yield return new object[] { "sgd", 0.05f };
        yield return new object[] { "sgd-momentum", 0f };
        yield return new object[] { "sgd-momentum", 0.05f };
        yield return new object[] { "sgd-nesterov", 0.05f };
        yield return new object[] { "adam", 0f };
        yield return new object[] { "adam", 0.05f };
        yield return new object[] { "adamw", 0.05f };
        yield return new object[] { "rmsprop", 0f };
        yield return new object[] { "rmsprop-momentum", 0.05f };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_steps_match_the_published_update_equations(string kind, float weightDecay)
    {
        Optimizer optimizer = Create(kind, weightDecay);
        float[] weights = InitialWeights();
        double[] expected = weights.Select(w => (double)w).ToArray();
        var reference = new Reference(kind, weightDecay);
        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = Gradient(step);
            optimizer.Step(weights, gradient, All);
            reference.Step(expected, gradient.Select(g => (double)g).ToArray(), step);
        }
        for (int i = 0; i < N; i++)
        {
            Assert.True(Math.Abs(expected[i] - weights[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])),
                $"{kind}: parameter {i}: expected {expected[i]}, got {weights[i]}");
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    private static Optimizer Create(string kind, float weightDecay)
    {
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(0.1f),
            "sgd-momentum" => new Sgd(0.1f, momentum: 0.9f),
            "sgd-nesterov" => new Sgd(0.1f, momentum: 0.9f, nesterov: true),
            "adam" => new Adam(0.01f, beta1: 0.8f, beta2: 0.95f, epsilon: 1e-3f),
            "adamw" => new AdamW(0.01f, weightDecay: weightDecay, beta1: 0.8f, beta2: 0.95f, epsilon: 1e-3f),
            "rmsprop" => new RmsProp(0.01f, rho: 0.8f, epsilon: 1e-3f),
            "rmsprop-momentum" => new RmsProp(0.01f, rho: 0.8f, momentum: 0.7f, epsilon: 1e-3f),
            _ => throw new ArgumentException(kind),
        };
        optimizer.WeightDecay = weightDecay;
        return optimizer;
    }

    /// <summary>Per-element double loops, each written from the algorithm's own statement.</summary>
    private sealed class Reference(string kind, double weightDecay)
    {
        private readonly double[] _a = new double[N];
        private readonly double[] _b = new double[N];

        public void Step(double[] w, double[] g, int t)
        {
            for (int i = 0; i < N; i++)
            {
                switch (kind)
                {
                    case "sgd":
                    case "sgd-momentum":
                    case "sgd-nesterov":
                    {
                        // torch.optim.SGD: g += wd w; b = g (t = 1) else mu b + g; step = nesterov ? g + mu b : b.
                        double mu = kind == "sgd" ? 0 : 0.9;
                        double d = g[i] + weightDecay * w[i];
                        if (mu != 0)
                        {
                            _a[i] = t == 1 ? d : mu * _a[i] + d;
                            d = kind == "sgd-nesterov" ? d + mu * _a[i] : _a[i];
                        }
                        w[i] -= 0.1 * d;
                        break;
                    }
                    case "adam":
                    case "adamw":
                    {
                        // Kingma & Ba, Algorithm 1 with the Section 2 efficient form (epsilon hat).
                        // AdamW (Loshchilov & Hutter): w -= lr wd w before the Adam step; Adam: L2 in g.
                        const double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-3;
                        double d = g[i];
                        if (kind == "adamw")
                        {
                            w[i] -= lr * weightDecay * w[i];
                        }
                        else
                        {
                            d += weightDecay * w[i];
                        }
                        _a[i] = b1 * _a[i] + (1 - b1) * d;
                        _b[i] = b2 * _b[i] + (1 - b2) * d * d;
                        double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
                        w[i] -= alpha * _a[i] / (Math.Sqrt(_b[i]) + eps);
                        break;
                    }
                    case "rmsprop":
                    case "rmsprop-momentum":
                    {
                        // tf.keras RMSprop: ms = rho ms + (1 - rho) g^2; mom = mu mom + lr g / sqrt(ms + eps); w -= mom.
                        const double lr = 0.01, rho = 0.8, eps = 1e-3;
                        double mu = kind == "rmsprop" ? 0 : 0.7;
                        double d = g[i] + weightDecay * w[i];
                        _a[i] = rho * _a[i] + (1 - rho) * d * d;
                        _b[i] = mu * _b[i] + lr * d / Math.Sqrt(_a[i] + eps);
                        w[i] -= _b[i];
                        break;
                    }
                }
            }
        }
    }

    // ---- weight decay ----------------------------------------------------------------------------

    [Fact]
    public void AdamW_decay_is_decoupled_from_the_gradient_scale()
    {
        // With a zero gradient the moments stay 0, so only the decoupled decay acts:
        // w *= 1 - lr * wd each step (2 -> 1.998 -> 1.996002).
        float[] w = { 2f, -4f };
        var adamW = new AdamW(0.1f, weightDecay: 0.01f);
        adamW.Step(w, new float[2], new[] { new ParameterRange(0, 2, false) });
        Assert.Equal(1.998f, w[0], 6);
        Assert.Equal(-3.996f, w[1], 6);
        adamW.Step(w, new float[2], new[] { new ParameterRange(0, 2, false) });
        Assert.Equal(1.996002f, w[0], 6);

        // Adam's L2 term goes through the moments instead: the first step moves by about lr.
        float[] v = { 2f };
        var adam = new Adam(0.1f) { WeightDecay = 0.01f };
        adam.Step(v, new float[1], new[] { new ParameterRange(0, 1, false) });
        Assert.Equal(1.9f, v[0], 4);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    public void Biases_are_decayed_only_when_DecayBiases_is_set(string kind)
    {
        var ranges = new[] { new ParameterRange(0, 3, IsBias: false), new ParameterRange(3, 2, IsBias: true) };
        float[] zeroGradient = new float[5];

        Optimizer optimizer = Create(kind, 0.1f);
        float[] w = { 1f, 2f, 3f, 4f, 5f };
        optimizer.Step(w, zeroGradient, ranges);
        Assert.All(w.Take(3).Zip(new[] { 1f, 2f, 3f }), pair => Assert.True(Math.Abs(pair.First) < Math.Abs(pair.Second)));
        Assert.Equal(new[] { 4f, 5f }, w.Skip(3)); // a zero gradient and no decay: biases unchanged

        Optimizer decaying = Create(kind, 0.1f);
        decaying.DecayBiases = true;
        float[] u = { 1f, 2f, 3f, 4f, 5f };
        decaying.Step(u, zeroGradient, ranges);
        Assert.True(u[3] < 4f && u[4] < 5f);
    }

    // ---- frozen ranges -------------------------------------------------------------------------

    [Theory]
    [InlineData("sgd-momentum")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop-momentum")]
    public void Frozen_ranges_are_neither_read_nor_written(string kind)
    {
        Optimizer optimizer = Create(kind, 0.05f);
        float[] weights = InitialWeights();
        float[] before = (float[])weights.Clone();
        // Trainable: [2, 7) and [11, 19); frozen: [0, 2) and [7, 11). Frozen gradients are NaN:
        // reading them anywhere would poison the result.
        var ranges = new[] { new ParameterRange(11, 8, false), new ParameterRange(2, 5, true) };
        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = Gradient(step);
            foreach (int i in new[] { 0, 1, 7, 8, 9, 10 })
            {
                gradient[i] = float.NaN;
            }
            optimizer.Step(weights, gradient, ranges);
        }
        foreach (int i in new[] { 0, 1, 7, 8, 9, 10 })
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(weights[i]));
            Assert.All(optimizer.State.Values, state => Assert.Equal(0, BitConverter.SingleToInt32Bits(state[i])));
        }
        foreach (int i in Enumerable.Range(2, 5).Concat(Enumerable.Range(11, 8)))
        {
            Assert.True(float.IsFinite(weights[i]) && weights[i] != before[i], $"parameter {i} should have moved");
        }
    }

    [Theory]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop-momentum")]
    public void Vector_and_scalar_paths_give_bit_identical_updates(string kind)
    {
        // The same parameters as one range (Vector256 body) and as 19 one-element ranges (scalar tail).
        Optimizer vectorised = Create(kind, 0.05f);
        Optimizer scalar = Create(kind, 0.05f);
        float[] a = InitialWeights();
        float[] b = InitialWeights();
        ParameterRange[] singles = Enumerable.Range(0, N).Select(i => new ParameterRange(i, 1, false)).ToArray();
        for (int step = 1; step <= 3; step++)
        {
            vectorised.Step(a, Gradient(step), All);
            scalar.Step(b, Gradient(step), singles);
        }
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
    }

    // The shared update of Adam and AdamW against a plain float loop of each one's published
    // form, in the kernel's operation order (no FMA): the results must agree bit for bit, with
    // weight decay on a weight range and left off a bias range.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_and_AdamW_match_a_plain_float_loop_bit_for_bit(bool decoupled)
    {
        const float lr = 0.02f, beta1 = 0.85f, beta2 = 0.99f, epsilon = 1e-4f, decay = 0.03f;
        Optimizer optimizer = decoupled
            ? new AdamW(lr, weightDecay: decay, beta1: beta1, beta2: beta2, epsilon: epsilon)
            : new Adam(lr, beta1, beta2, epsilon) { WeightDecay = decay };
        ParameterRange[] ranges = { new(0, 13, IsBias: false), new(13, N - 13, IsBias: true) };
        float[] weights = InitialWeights();
        float[] expected = InitialWeights();
        var m = new float[N];
        var v = new float[N];
        for (int step = 1; step <= 4; step++)
        {
            float[] g = Gradient(step);
            optimizer.Step(weights, g, ranges);
            float alpha = (float)(lr * Math.Sqrt(1.0 - Math.Pow(beta2, step)) / (1.0 - Math.Pow(beta1, step)));
            for (int i = 0; i < N; i++)
            {
                float wd = i < 13 ? decay : 0f;
                float d = decoupled ? g[i] : g[i] + wd * expected[i];
                m[i] += (d - m[i]) * (1f - beta1);
                v[i] += (d * d - v[i]) * (1f - beta2);
                float keep = decoupled ? 1f - lr * wd : 1f;
                expected[i] = expected[i] * keep - m[i] * alpha / (MathF.Sqrt(v[i]) + epsilon);
            }
        }
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), weights.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(m.Select(BitConverter.SingleToInt32Bits), optimizer.State["momentum"].Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(v.Select(BitConverter.SingleToInt32Bits), optimizer.State["velocity"].Select(BitConverter.SingleToInt32Bits));
    }

    // ---- state and checkpoints -------------------------------------------------------------------

    [Theory]
    [InlineData("sgd", new string[0])]
    [InlineData("sgd-momentum", new[] { "momentum" })]
    [InlineData("adam", new[] { "momentum", "velocity" })]
    [InlineData("adamw", new[] { "momentum", "velocity" })]
    [InlineData("rmsprop", new[] { "velocity" })]
    [InlineData("rmsprop-momentum", new[] { "velocity", "momentum" })]
    public void State_is_allocated_on_the_first_step_with_the_parameter_length(string kind, string[] names)
    {
        Optimizer optimizer = Create(kind, 0f);
        Assert.Empty(optimizer.State);
        float[] weights = InitialWeights();
        optimizer.Step(weights, Gradient(1), new[] { new ParameterRange(0, 4, false) });
        Assert.Equal(names.OrderBy(n => n), optimizer.State.Keys.OrderBy(n => n));
        Assert.All(optimizer.State.Values, state => Assert.Equal(N, state.Length));
        var buffers = optimizer.State.Values.ToArray();
        optimizer.Step(weights, Gradient(2), All);
        Assert.Equal(buffers, optimizer.State.Values.ToArray()); // same arrays: nothing reallocated per step
    }

    [Theory]
    [InlineData("sgd-momentum")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop-momentum")]
    public void LoadState_resumes_exactly_where_the_saved_optimizer_was(string kind)
    {
        Optimizer original = Create(kind, 0.05f);
        float[] weights = InitialWeights();
        original.Step(weights, Gradient(1), All);
        original.Step(weights, Gradient(2), All);
        var saved = original.State.ToDictionary(pair => pair.Key, pair => (float[])pair.Value.Clone());

        Optimizer resumed = Create(kind, 0.05f);
        resumed.LoadState(saved, original.StepCount);
        float[] copy = (float[])weights.Clone();
        original.Step(weights, Gradient(3), All);
        resumed.Step(copy, Gradient(3), All);

        Assert.Equal(3, resumed.StepCount);
        Assert.Equal(weights.Select(BitConverter.SingleToInt32Bits), copy.Select(BitConverter.SingleToInt32Bits));
        Assert.NotSame(saved.Values.First(), resumed.State.Values.First()); // copied, not aliased
    }

    [Fact]
    public void LoadState_refuses_state_of_another_optimizer_or_size()
    {
        var adam = new Adam(0.01f);
        var e = Assert.Throws<ArgumentException>(() => adam.LoadState(new Dictionary<string, float[]> { ["momentum"] = new float[3] }, 1));
        Assert.Contains("missing state tensor(s) 'velocity'", e.Message);
        e = Assert.Throws<ArgumentException>(() => adam.LoadState(
            new Dictionary<string, float[]> { ["momentum"] = new float[3], ["velocity"] = new float[3], ["exp_avg"] = new float[3] }, 1));
        Assert.Contains("unexpected state tensor(s) 'exp_avg'", e.Message);
        e = Assert.Throws<ArgumentException>(() => adam.LoadState(
            new Dictionary<string, float[]> { ["momentum"] = new float[3], ["velocity"] = new float[4] }, 1));
        Assert.Contains("'velocity' holds 4 floats but 'momentum' holds 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Sgd(0.1f).LoadState(new Dictionary<string, float[]> { ["momentum"] = new float[3] }, 1));
        Assert.Contains("Sgd keeps no state", e.Message);

        adam.LoadState(new Dictionary<string, float[]> { ["momentum"] = new float[3], ["velocity"] = new float[3] }, 5);
        long before = adam.StepCount;
        e = Assert.Throws<ArgumentException>(() => adam.Step(new float[4], new float[4], new[] { new ParameterRange(0, 4, false) }));
        Assert.Contains("state holds 3 floats per tensor", e.Message);
        Assert.Equal(before, adam.StepCount); // a refused step is not counted
    }

    // ---- argument validation ---------------------------------------------------------------------

    [Fact]
    public void Step_validates_lengths_and_ranges()
    {
        var sgd = new Sgd(0.1f);
        var e = Assert.Throws<ArgumentException>(() => sgd.Step(new float[4], new float[3], Array.Empty<ParameterRange>()));
        Assert.Contains("gradients holds 3 floats but parameters holds 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => sgd.Step(new float[4], new float[4], new[] { new ParameterRange(2, 3, false) }));
        Assert.Contains("trainable[0] (offset 2, length 3) must lie inside the 4 parameters", e.Message);
        e = Assert.Throws<ArgumentException>(() => sgd.Step(new float[4], new float[4], new[] { new ParameterRange(-1, 1, false) }));
        Assert.Contains("trainable[0]", e.Message);
        e = Assert.Throws<ArgumentException>(() => sgd.Step(new float[8], new float[8],
            new[] { new ParameterRange(0, 4, false), new ParameterRange(3, 2, true) }));
        Assert.Contains("overlaps", e.Message);
        e = Assert.Throws<ArgumentException>(() => sgd.Step(new float[8], new float[8],
            new[] { new ParameterRange(5, 2, false), new ParameterRange(0, 2, false), new ParameterRange(1, 2, true) }));
        Assert.Contains("trainable[1] (offset 0, length 2) overlaps trainable[2] (offset 1, length 2)", e.Message);
        Assert.Equal(0, sgd.StepCount);
    }

    [Fact]
    public void Hyper_parameters_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, momentum: 1f));
        var nesterov = Assert.Throws<ArgumentException>(() => new Sgd(0.1f, nesterov: true));
        Assert.Contains("nesterov requires a momentum", nesterov.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1f, beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1f, epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(0.1f, weightDecay: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(0.1f, rho: -0.1f));
        var optimizer = new Adam(0.1f);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1f);
        Assert.Contains("LearningRate", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.WeightDecay = float.PositiveInfinity);
        Assert.Equal(0.01f, new AdamW(0.1f).WeightDecay);
        Assert.False(optimizer.DecayBiases);
    }
}
