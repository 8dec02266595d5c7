using System;
using System.Linq;

namespace ConvGen.Training.Tests;

public class LossTests
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Ln3 = 1.09861228866810969140;

    // ---- hand-computed values ----------------------------------------------------------------

    [Fact]
    public void SoftmaxCrossEntropy_matches_hand_computed_loss_and_gradient()
    {
        // Row 0: logits ln(1), ln(2), ln(5) -> p = 1/8, 2/8, 5/8; one-hot class 2 -> loss ln(8/5).
        // Row 1: logits 0,0,0 -> p = 1/3 each; soft target .2,.3,.5 -> loss ln 3.
        float[] logits = { 0f, (float)Ln2, (float)Math.Log(5), 0f, 0f, 0f };
        float[] targets = { 0f, 0f, 1f, 0.2f, 0.3f, 0.5f };
        var gradient = new float[6];

        double loss = new SoftmaxCrossEntropy().Compute(logits, targets, gradient, rows: 2, rowLength: 3, gradientScale: 0.5f);

        Assert.Equal(Math.Log(8.0 / 5.0) + Ln3, loss, 6);
        double[] expected = { 0.125, 0.25, -0.375, 1 / 3.0 - 0.2, 1 / 3.0 - 0.3, 1 / 3.0 - 0.5 };
        AssertClose(expected.Select(g => g * 0.5).ToArray(), gradient, 1e-6);
    }

    [Fact]
    public void SparseSoftmaxCrossEntropy_matches_hand_computed_loss_and_gradient()
    {
        float[] logits = { 0f, (float)Ln2, (float)Math.Log(5), 0f, 0f, 0f };
        float[] labels = { 2f, 0f };
        var gradient = new float[6];

        var loss = new SparseSoftmaxCrossEntropy();
        double value = loss.Compute(logits, labels, gradient, 2, 3, 1f);

        Assert.Equal(1, loss.TargetLength(3));
        Assert.Equal(Math.Log(8.0 / 5.0) + Ln3, value, 6);
        AssertClose(new[] { 0.125, 0.25, -0.375, 1 / 3.0 - 1, 1 / 3.0, 1 / 3.0 }, gradient, 1e-6);
    }

    [Fact]
    public void SigmoidBinaryCrossEntropy_matches_hand_computed_loss_and_gradient()
    {
        // z = 0, y = 1: -ln(1/2) = ln 2.  z = ln 3 (sigmoid 3/4), y = 0: -ln(1/4) = 2 ln 2.
        // The row's loss is the mean: 1.5 ln 2; gradient (sigmoid - y) / 2.
        float[] logits = { 0f, (float)Ln3 };
        float[] targets = { 1f, 0f };
        var gradient = new float[2];

        double loss = new SigmoidBinaryCrossEntropy().Compute(logits, targets, gradient, 1, 2, 1f);

        Assert.Equal(1.5 * Ln2, loss, 6);
        AssertClose(new[] { -0.25, 0.375 }, gradient, 1e-6);
    }

    [Fact]
    public void MeanSquaredError_matches_hand_computed_loss_and_gradient()
    {
        // Row 0: ((1-0)^2 + (2-4)^2) / 2 = 2.5; row 1: ((3-3)^2 + (0-1)^2) / 2 = 0.5.
        float[] predictions = { 1f, 2f, 3f, 0f };
        float[] targets = { 0f, 4f, 3f, 1f };
        var gradient = new float[4];

        double loss = new MeanSquaredError().Compute(predictions, targets, gradient, 2, 2, 0.5f);

        Assert.Equal(3.0, loss, 12);
        AssertClose(new[] { 0.5, -1.0, 0.0, -0.5 }, gradient, 0); // 2 (p - y) / 2 * 0.5
    }

    [Fact]
    public void MeanAbsoluteError_matches_hand_computed_loss_and_gradient()
    {
        float[] predictions = { 1f, 2f, 3f };
        float[] targets = { 0f, 4f, 3f };
        var gradient = new float[3];

        double loss = new MeanAbsoluteError().Compute(predictions, targets, gradient, 1, 3, 1f);

        Assert.Equal(1.0, loss, 12); // (1 + 2 + 0) / 3
        AssertClose(new[] { 1 / 3.0, -1 / 3.0, 0.0 }, gradient, 1e-7); // sign(0) = 0
    }

    [Fact]
    public void Fused_losses_stay_finite_for_extreme_logits()
    {
        var gradient = new float[3];
        double easy = new SparseSoftmaxCrossEntropy().Compute(new[] { 1000f, 0f, -1000f }, new[] { 0f }, gradient, 1, 3, 1f);
        Assert.Equal(0.0, easy, 12);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        double hard = new SparseSoftmaxCrossEntropy().Compute(new[] { 1000f, 0f, -1000f }, new[] { 1f }, gradient, 1, 3, 1f);
        Assert.Equal(1000.0, hard, 9);
        AssertClose(new[] { 1.0, -1.0, 0.0 }, gradient, 1e-9);

        var bceGradient = new float[2];
        double bce = new SigmoidBinaryCrossEntropy().Compute(new[] { 100f, -100f }, new[] { 0f, 1f }, bceGradient, 1, 2, 1f);
        Assert.Equal(100.0, bce, 9); // mean of 100 and 100
        AssertClose(new[] { 0.5, -0.5 }, bceGradient, 1e-9);
    }

    [Fact]
    public void Loss_properties_describe_the_fused_activation()
    {
        Assert.True(new SoftmaxCrossEntropy().TakesLogits);
        Assert.Equal(Activation.Softmax, new SoftmaxCrossEntropy().FusedActivation);
        Assert.Equal(Activation.Softmax, new SparseSoftmaxCrossEntropy().FusedActivation);
        Assert.Equal(Activation.Sigmoid, new SigmoidBinaryCrossEntropy().FusedActivation);
        Assert.False(new MeanSquaredError().TakesLogits);
        Assert.Equal(Activation.Linear, new MeanSquaredError().FusedActivation);
        Assert.Equal(Activation.Linear, new MeanAbsoluteError().FusedActivation);
        Assert.Equal(4, new MeanAbsoluteError().TargetLength(4));
    }

    // ---- finite differences ------------------------------------------------------------------

    public static TheoryData<string> LossNames => new()
    {
        "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mean_squared_error", "mean_absolute_error",
    };

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Gradient_matches_central_finite_differences(string name)
    {
        Loss loss = Losses.For(name);
        const int rows = 3, rowLength = 5;
        var random = new SeededRandom(7);
        var predictions = new float[rows * rowLength];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = (float)(random.NextDouble() * 6 - 3);
        }
        float[] targets = MakeTargets(loss, rows, rowLength, ref random);
        if (loss is MeanAbsoluteError)
        {
            // Keep away from the kink at p = y, where the derivative jumps.
            for (int i = 0; i < predictions.Length; i++)
            {
                if (Math.Abs(predictions[i] - targets[i]) < 0.1)
                {
                    predictions[i] += 0.5f;
                }
            }
        }
        const float scale = 0.25f;
        var analytic = new float[predictions.Length];
        loss.Compute(predictions, targets, analytic, rows, rowLength, scale);

        // h = 2^-10 is exact in float for these magnitudes, so p +- h is the intended point and
        // the loss itself accumulates in double: the difference quotient is accurate to ~h^2.
        const float h = 1f / 1024;
        for (int i = 0; i < predictions.Length; i++)
        {
            float original = predictions[i];
            predictions[i] = original + h;
            double plus = loss.Compute(predictions, targets, Span<float>.Empty, rows, rowLength, 1f);
            predictions[i] = original - h;
            double minus = loss.Compute(predictions, targets, Span<float>.Empty, rows, rowLength, 1f);
            predictions[i] = original;
            double numeric = (plus - minus) / (2 * h) * scale;
            Assert.True(Math.Abs(numeric - analytic[i]) < 2e-5,
                $"{name}: element {i}: analytic {analytic[i]} vs numeric {numeric}");
        }
    }

    private static float[] MakeTargets(Loss loss, int rows, int rowLength, ref SeededRandom random)
    {
        var targets = new float[rows * loss.TargetLength(rowLength)];
        for (int r = 0; r < rows; r++)
        {
            switch (loss)
            {
                case SparseSoftmaxCrossEntropy:
                    targets[r] = random.NextInt32(rowLength);
                    break;
                case SoftmaxCrossEntropy:
                    // A soft distribution (label smoothing style): exercises more than one-hot.
                    var weights = new double[rowLength];
                    for (int j = 0; j < rowLength; j++)
                    {
                        weights[j] = random.NextDouble() + 0.1;
                    }
                    double sum = weights.Sum();
                    for (int j = 0; j < rowLength; j++)
                    {
                        targets[r * rowLength + j] = (float)(weights[j] / sum);
                    }
                    break;
                case SigmoidBinaryCrossEntropy:
                    for (int j = 0; j < rowLength; j++)
                    {
                        targets[r * rowLength + j] = random.NextInt32(2);
                    }
                    break;
                default:
                    for (int j = 0; j < rowLength; j++)
                    {
                        targets[r * rowLength + j] = (float)(random.NextDouble() * 4 - 2);
                    }
                    break;
            }
        }
        return targets;
    }

    // ---- buffers and validation --------------------------------------------------------------

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Gradient_may_overwrite_the_predictions_in_place(string name)
    {
        Loss loss = Losses.For(name);
        var random = new SeededRandom(3);
        var predictions = new float[8];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = (float)(random.NextDouble() * 4 - 2);
        }
        float[] targets = MakeTargets(loss, 2, 4, ref random);
        var separate = new float[8];
        double expected = loss.Compute(predictions, targets, separate, 2, 4, 0.5f);

        double inPlace = loss.Compute(predictions, targets, predictions, 2, 4, 0.5f);

        Assert.Equal(expected, inPlace);
        Assert.Equal(separate, predictions);
    }

    [Fact]
    public void Partial_overlap_of_gradient_and_predictions_is_refused()
    {
        var buffer = new float[9];
        var e = Assert.Throws<ArgumentException>(() =>
            new MeanSquaredError().Compute(buffer.AsSpan(0, 8), new float[8], buffer.AsSpan(1, 8), 2, 4, 1f));
        Assert.Contains("partially overlaps", e.Message);
    }

    [Fact]
    public void Wrong_buffer_lengths_are_named_in_the_message()
    {
        var loss = new SoftmaxCrossEntropy();
        var e = Assert.Throws<ArgumentException>(() => loss.Compute(new float[5], new float[6], new float[6], 2, 3, 1f));
        Assert.Contains("predictions holds 5 floats but 2 rows of 3 need 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => loss.Compute(new float[6], new float[2], new float[6], 2, 3, 1f));
        Assert.Contains("targets holds 2 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => loss.Compute(new float[6], new float[6], new float[4], 2, 3, 1f));
        Assert.Contains("gradient holds 4 floats", e.Message);
        var sparse = Assert.Throws<ArgumentException>(() => new SparseSoftmaxCrossEntropy().Compute(new float[6], new float[6], default, 2, 3, 1f));
        Assert.Contains("2 rows of 1 target value(s) need 2", sparse.Message);
    }

    [Theory]
    [InlineData(3f, "target 3")]
    [InlineData(-1f, "target -1")]
    [InlineData(1.5f, "target 1.5")]
    [InlineData(float.NaN, "target NaN")]
    public void Sparse_labels_outside_the_classes_are_refused_before_any_write(float label, string expected)
    {
        var gradient = new float[6];
        gradient.AsSpan().Fill(42f);
        var e = Assert.Throws<ArgumentException>(() =>
            new SparseSoftmaxCrossEntropy().Compute(new float[6], new[] { 0f, label }, gradient, 2, 3, 1f));
        Assert.Contains("row 1 has " + expected, e.Message);
        Assert.Contains("integer from 0 to 2", e.Message);
        Assert.All(gradient, g => Assert.Equal(42f, g));
    }

    [Theory]
    [InlineData("sparse_categorical_crossentropy", typeof(SparseSoftmaxCrossEntropy))]
    [InlineData("SparseSoftmaxCrossEntropy", typeof(SparseSoftmaxCrossEntropy))]
    [InlineData("categorical-crossentropy", typeof(SoftmaxCrossEntropy))]
    [InlineData("BCE", typeof(SigmoidBinaryCrossEntropy))]
    [InlineData("mse", typeof(MeanSquaredError))]
    [InlineData("Mean_Absolute_Error", typeof(MeanAbsoluteError))]
    public void Losses_For_accepts_keras_names_aliases_and_class_names(string name, Type expected)
    {
        Loss loss = Losses.For(name);
        Assert.IsType(expected, loss);
        Assert.Same(loss.GetType(), Losses.For(loss.Name).GetType());
    }

    [Fact]
    public void Losses_For_lists_the_known_names_for_an_unknown_one()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.For("hinge"));
        Assert.Contains("unknown loss 'hinge'", e.Message);
        Assert.Contains("sparse_categorical_crossentropy", e.Message);
        Assert.Equal(6, Losses.Names.Count);
        Assert.Contains("dice", e.Message);
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
