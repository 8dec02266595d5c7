using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Training;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Every loss end to end through a network, as the trainer runs it: the loss reads the logits
/// (softmax / sigmoid fused, <c>gradientIsForLogits</c>) when <see cref="LossCompatibility.UsesLogits"/>
/// says so and the outputs otherwise, writes its gradient scaled by 1 / batch, and Backward turns
/// that into parameter gradients. They are compared with finite differences of the batch-mean
/// loss, each loss written out independently in double precision. Covered: softmax + categorical
/// (one-hot and soft targets) and sparse categorical cross-entropy, also with the softmax as a
/// standalone last layer; sigmoid + binary cross-entropy (0/1 and soft targets, flat and per
/// pixel); MSE and MAE on linear outputs (flat and spatial); MSE through a softmax and through a
/// sigmoid (the activation's derivative is then part of backward); cross-entropy losses on a
/// linear output, which the trainer treats as logits.
/// </summary>
public sealed class LossGradientTests(LossGradientTests.Networks networks)
    : IClassFixture<LossGradientTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(LossGradientTests), Cases.Select(c => c.Network));

    /// <summary>A network and the losses (by <see cref="Targets"/> kind) it is trained with.</summary>
    internal sealed record LossCase(ForwardCase Network, params string[] Losses);

    internal static readonly IReadOnlyList<LossCase> Cases = new LossCase[]
    {
        new(new ForwardCase("LossSoftmaxDense", 3, 3, 2,
                new Conv2DLayer(4, 2, 2, Activation: Activation.Tanh), new FlattenLayer(), new DenseLayer(5, Activation.Softmax)),
            "cce", "cce_soft", "scce", "mse", "mae"),
        new(new ForwardCase("LossSoftmaxLayer", 2, 2, 3,
                new FlattenLayer(), new DenseLayer(6, Activation.Relu), new DenseLayer(7), new ActivationLayer(Activation.Softmax)),
            "cce", "scce"),
        new(new ForwardCase("LossSigmoidDense", 3, 2, 2,
                new Conv2DLayer(3, 1, 2, Activation: Activation.Elu), new FlattenLayer(), new DenseLayer(4, Activation.Sigmoid)),
            "bce", "bce_soft", "mse"),
        new(new ForwardCase("LossSigmoidPerPixel", 3, 4, 2,
                new Conv2DLayer(5, 3, 3, Same: true, Activation: Activation.Tanh), new Conv2DLayer(3, 1, 1, Activation: Activation.Sigmoid)),
            "bce"),
        new(new ForwardCase("LossLinearDense", 3, 3, 2,
                new Conv2DLayer(4, 2, 2, Activation: Activation.Gelu), new FlattenLayer(), new DenseLayer(3)),
            "mse", "mae", "cce", "scce", "bce"),
        new(new ForwardCase("LossLinearSpatial", 4, 3, 2,
                new Conv2DLayer(4, 3, 3, Same: true, Activation: Activation.Sigmoid), new Conv2DLayer(2, 2, 2)),
            "mse", "mae"),
        // Dropout after the output activation: the logits are taken before both.
        new(new ForwardCase("LossSoftmaxThenDropout", 2, 2, 3,
                new FlattenLayer(), new DenseLayer(8, Activation.Tanh), new DenseLayer(5, Activation.Softmax), new DropoutLayer(0.4)),
            "cce", "mse"),
    };

    public static TheoryData<string, string, int> Rows
    {
        get
        {
            var rows = new TheoryData<string, string, int>();
            foreach (var c in Cases)
            foreach (string loss in c.Losses)
            foreach (int batch in ForwardCase.DefaultBatches)
            {
                rows.Add(c.Network.Name, loss, batch);
            }
            return rows;
        }
    }

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Backward_of_the_loss_matches_finite_differences(string network, string loss, int batch)
    {
        var testCase = networks.Case(network);
        var trainable = (ITrainableNetwork)networks.Create(network);
        var (instance, targets) = Targets(loss, batch, trainable.OutputShape.Length, SeededData.Seed(network + loss, batch));
        bool usesLogits = LossCompatibility.UsesLogits(trainable, instance);
        GradientCheck.Run(trainable, testCase, batch, new LossObjective(instance, targets, usesLogits));
    }

    /// <summary>The loss for a kind and seeded targets for it.</summary>
    private static (Loss Loss, float[] Targets) Targets(string kind, int batch, int classes, ulong seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        switch (kind)
        {
            case "cce":
            case "cce_soft":
            {
                var targets = new float[batch * classes];
                for (int r = 0; r < batch; r++)
                {
                    var row = targets.AsSpan(r * classes, classes);
                    if (kind == "cce")
                    {
                        row[random.Next(classes)] = 1f;
                        continue;
                    }
                    float sum = 0;
                    for (int j = 0; j < classes; j++)
                    {
                        row[j] = (float)random.NextDouble() + 0.05f;
                        sum += row[j];
                    }
                    for (int j = 0; j < classes; j++)
                    {
                        row[j] /= sum;
                    }
                }
                return (new SoftmaxCrossEntropy(), targets);
            }
            case "scce":
                return (new SparseSoftmaxCrossEntropy(), Enumerable.Range(0, batch).Select(_ => (float)random.Next(classes)).ToArray());
            case "bce":
                return (new SigmoidBinaryCrossEntropy(), Enumerable.Range(0, batch * classes).Select(_ => (float)random.Next(2)).ToArray());
            case "bce_soft":
                return (new SigmoidBinaryCrossEntropy(), Enumerable.Range(0, batch * classes).Select(_ => (float)random.NextDouble()).ToArray());
            case "mse":
                return (new MeanSquaredError(), SeededData.Uniform(batch * classes, seed));
            case "mae":
                return (new MeanAbsoluteError(), SeededData.Uniform(batch * classes, seed));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss kind");
        }
    }
}
