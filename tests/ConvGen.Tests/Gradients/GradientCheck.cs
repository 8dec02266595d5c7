using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Checks a generated network's backward pass against central finite differences. The analytic
/// side is the generated float code (ForwardTraining, then Backward into zeroed gradients); the
/// numeric side differences the double-precision <see cref="ReferenceNetwork"/> with a step far
/// below float resolution, so it carries neither float rounding nor a visible truncation error,
/// and the remaining disagreement is the float arithmetic of the code under test.
/// </summary>
/// <remarks>
/// Input gradients are not exposed by <see cref="ITrainableNetwork"/>, so test networks put a
/// trainable layer below the layer under test: that layer's parameter gradients are computed
/// from the input gradient the tested layer passes down, and are checked here like any other.
/// </remarks>
internal static class GradientCheck
{
    /// <summary>Parameters sampled per tensor (all of them when the tensor is smaller).</summary>
    public const int SamplesPerTensor = 60;

    /// <summary>Central-difference step in double; perturbations this small rarely cross a kink, and those that do are detected and skipped.</summary>
    public const double Step = 1e-6;

    /// <summary>
    /// Relative part of the tolerance. The float arithmetic of the generated forward and backward
    /// passes stays at least 20 times below this tolerance over the whole grid (measured on
    /// AVX2), so a derivative that is only approximately right still fails.
    /// </summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>Absolute part, as a fraction of the largest compared gradient in the tensor: covers values that cancel to near zero in float.</summary>
    public const double ScaleTolerance = 1e-5;

    /// <summary>A layer check: the random projection objective (gradientIsForLogits = false).</summary>
    public static void Run(NetworkFixture fixture, string caseName, int batch)
    {
        var testCase = fixture.Case(caseName);
        var network = (ITrainableNetwork)fixture.Create(caseName);
        var weights = SeededData.Uniform(batch * network.OutputShape.Length, SeededData.Seed(caseName, 7000 + batch));
        Run(network, testCase, batch, new ProjectionObjective(weights));
    }

    public static void Run(ITrainableNetwork network, ForwardCase testCase, int batch, GradientObjective objective)
    {
        string context = $"{testCase.Name} batch {batch}, {objective.Description}";
        var setup = Prepare(network, testCase, batch);
        var workspace = setup.Workspace;
        int outputs = batch * network.OutputShape.Length;

        // The reference must describe the network being differentiated, dropout masks included.
        var reference = new ReferenceNetwork(testCase, network, batch, setup.Dropout);
        var baseline = reference.Run(setup.Parameters, setup.Input);
        NumericAssert.Close(baseline.Output, workspace.Outputs[..outputs], $"{context}: training forward output");
        NumericAssert.Close(baseline.Logits, workspace.Logits[..outputs], $"{context}: training forward logits");

        objective.WriteOutputGradient(workspace, batch, network.OutputShape.Length);
        workspace.Gradients.Clear();
        network.Backward(setup.Inputs, workspace, batch, objective.GradientIsForLogits);
        float[] analytic = workspace.Gradients.ToArray();

        var baseKinks = new KinkSignature();
        objective.Value(baseline, baseKinks);
        var theta = setup.Parameters;
        var failures = new StringBuilder();
        int failed = 0;
        int compared = 0;
        foreach (var tensor in network.ParameterTensors)
        {
            var samples = Sample(tensor, SeededData.Seed(testCase.Name, tensor.Offset + batch));
            var numeric = new List<(int Index, double Value)>();
            int skipped = 0;
            foreach (int k in samples)
            {
                int p = tensor.Offset + k;
                double saved = theta[p];
                theta[p] = saved + Step;
                var plusKinks = new KinkSignature();
                var plusRun = reference.Run(theta, setup.Input, baseline, tensor.LayerIndex);
                double plus = objective.Value(plusRun, plusKinks);
                theta[p] = saved - Step;
                var minusKinks = new KinkSignature();
                var minusRun = reference.Run(theta, setup.Input, baseline, tensor.LayerIndex);
                double minus = objective.Value(minusRun, minusKinks);
                theta[p] = saved;
                if (!plusRun.SameDecisions(baseline, tensor.LayerIndex) || !minusRun.SameDecisions(baseline, tensor.LayerIndex)
                    || plusKinks.Value != baseKinks.Value || minusKinks.Value != baseKinks.Value)
                {
                    skipped++; // a ReLU input, max-pool winner or MAE sign changed inside the step
                    continue;
                }
                numeric.Add((p, (plus - minus) / (2 * Step)));
            }
            Assert.True(skipped <= samples.Count / 5,
                $"{context}: {tensor.Name}: {skipped} of {samples.Count} sampled parameters sit on a kink; the test data needs changing");

            // Over the compared values only, so that a wrong value elsewhere cannot widen the tolerance.
            double scale = 0;
            foreach (var (p, value) in numeric)
            {
                scale = Math.Max(scale, Math.Max(Math.Abs(value), Math.Abs(analytic[p])));
            }
            foreach (var (p, expected) in numeric)
            {
                double actual = analytic[p];
                double error = Math.Abs(actual - expected);
                compared++;
                // The negated form also fails on NaN.
                if (!(error <= RelativeTolerance * Math.Abs(expected) + ScaleTolerance * scale))
                {
                    if (failed < 8)
                    {
                        failures.AppendLine($"  {tensor.Name}{Position(tensor, p - tensor.Offset)}: backward {actual:G7}, finite difference {expected:G7}, error {error:G3} (tensor scale {scale:G3})");
                    }
                    failed++;
                }
            }
        }
        Assert.True(failed == 0, $"{context}: {failed} of {compared} sampled gradients differ from finite differences:{Environment.NewLine}{failures}");
        Assert.True(compared > 0 || network.Parameters.Length == 0, $"{context}: nothing was compared");
    }

    /// <summary>Seeded random parameters, inputs and dropout seed, and one training forward pass.</summary>
    public static Setup Prepare(ITrainableNetwork network, ForwardCase testCase, int batch)
    {
        Assert.Equal(TensorShape.Spatial(testCase.Height, testCase.Width, testCase.Channels), network.InputShape);
        NetworkParameters.Randomize(network, SeededData.Seed(testCase.Name));
        var inputs = SeededData.Uniform(batch * network.InputShape.Length, SeededData.Seed(testCase.Name, batch), testCase.InputScale);
        var dropout = new DropoutContext(SeededData.Seed(testCase.Name, 99), FirstSample: 3);
        var workspace = network.CreateTrainingWorkspace(batch);
        network.ForwardTraining(inputs, workspace, batch, dropout);
        var parameters = new double[network.Parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = network.Parameters[i];
        }
        var input = ReferenceTensor.FromNhwc(inputs, batch, testCase.Height, testCase.Width, testCase.Channels);
        return new Setup(inputs, input, parameters, dropout, workspace);
    }

    internal sealed record Setup(float[] Inputs, ReferenceTensor Input, double[] Parameters, DropoutContext Dropout, ITrainingWorkspace Workspace);

    /// <summary>Up to <see cref="SamplesPerTensor"/> distinct random positions (a fixed stride could keep hitting the same filter).</summary>
    private static List<int> Sample(ParameterInfo tensor, ulong seed)
    {
        var all = Enumerable.Range(0, tensor.Length).ToArray();
        if (all.Length <= SamplesPerTensor)
        {
            return all.ToList();
        }
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        for (int i = 0; i < SamplesPerTensor; i++)
        {
            int j = random.Next(i, all.Length);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all.Take(SamplesPerTensor).OrderBy(i => i).ToList();
    }

    /// <summary>"[ky,kx,ci,co]" for a flat index into the tensor.</summary>
    private static string Position(ParameterInfo tensor, int index)
    {
        var position = new int[tensor.Shape.Count];
        for (int d = tensor.Shape.Count - 1; d >= 0; d--)
        {
            position[d] = index % tensor.Shape[d];
            index /= tensor.Shape[d];
        }
        return $"[{string.Join(",", position)}]";
    }
}
