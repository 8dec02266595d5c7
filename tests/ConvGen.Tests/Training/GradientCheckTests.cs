using System;
using ConvGen;

namespace ConvGen.Tests.Training;

/// <summary>
/// Backward pass against central finite differences of the forward pass. The loss is
/// <c>L = sum(outputs * r)</c> for fixed random <c>r</c>, so dL/doutputs = r.
/// </summary>
public class GradientCheckTests
{
    [Fact]
    public void Mixed_network_gradients_match_finite_differences() => Check(new MixedGradientNet(), batch: 3);

    [Fact]
    public void Dilated_network_gradients_match_finite_differences() => Check(new DilatedGradientNet(), batch: 2);

    [Fact]
    public void Global_max_and_dropout_gradients_match_finite_differences() =>
        // A small step: with squashed activations the runner-up of a global maximum is close,
        // and a larger step moves the maximum (measured: the difference converges to the
        // backward value only below ~1e-3).
        Check(new GlobalMaxGradientNet(), batch: 4, step: 2e-4f);

    [Fact]
    public void Winograd_5x5_weight_gradients_match_finite_differences() => Check(new Winograd5x5WeightGradientNet(), batch: 2);

    [Fact]
    public void Padded_Winograd_5x5_weight_gradients_match_finite_differences() => Check(new PaddedWinograd5x5WeightGradientNet(), batch: 3);

    // The 1x1 layer's parameters (every one of them checked) take the 5x5 layer's input gradient.
    [Fact]
    public void Winograd_5x5_input_gradients_match_finite_differences() => Check(new Winograd5x5InputGradientNet(), batch: 2, everyBelow: 3 * 32 + 32);

    [Fact]
    public void Unpadded_Winograd_5x5_input_gradients_match_finite_differences() => Check(new UnpaddedWinograd5x5InputGradientNet(), batch: 2, everyBelow: 2 * 32 + 32);

    /// <param name="everyBelow">Parameters below this index are all checked; past it, about 200 of the rest.</param>
    private static void Check(ITrainableNetwork network, int batch, float step = 1e-2f, int everyBelow = 0)
    {
        var random = new SeededRandom(11);
        var parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)(random.NextDouble() - 0.5);
        }
        var inputs = new float[batch * network.InputShape.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }
        int outputs = batch * network.OutputShape.Length;
        var weights = new double[outputs];
        for (int i = 0; i < outputs; i++)
        {
            weights[i] = random.NextDouble() * 2 - 1;
        }
        var dropout = new DropoutContext(5, 0);
        var workspace = network.CreateTrainingWorkspace(batch);

        double Loss()
        {
            network.ForwardTraining(inputs, workspace, batch, dropout);
            double sum = 0;
            var y = workspace.Outputs;
            for (int i = 0; i < outputs; i++)
            {
                sum += y[i] * weights[i];
            }
            return sum;
        }

        Loss();
        for (int i = 0; i < outputs; i++)
        {
            workspace.OutputGradient[i] = (float)weights[i];
        }
        workspace.Gradients.Clear();
        network.Backward(inputs, workspace, batch, gradientIsForLogits: false);
        var analytic = workspace.Gradients.ToArray();

        int checkedCount = 0;
        int stride = Math.Max(1, parameters.Length / 200);
        for (int p = 0; p < parameters.Length; p += p < everyBelow ? 1 : stride)
        {
            float saved = parameters[p];
            float h = step;
            parameters[p] = saved + h;
            double plus = Loss();
            parameters[p] = saved - h;
            double minus = Loss();
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 2e-3 + 2e-2 * Math.Abs(numeric);
            Assert.True(Math.Abs(numeric - analytic[p]) <= tolerance,
                $"{network.GetType().Name} parameter {p} ({Owner(network, p)}): backward {analytic[p]:G6}, finite difference {numeric:G6}");
            checkedCount++;
        }
        Assert.True(checkedCount > 20);
    }

    private static string Owner(INetwork network, int index)
    {
        foreach (var t in network.ParameterTensors)
        {
            if (index >= t.Offset && index < t.Offset + t.Length) return $"{t.Name}[{index - t.Offset}]";
        }
        return "?";
    }
}
