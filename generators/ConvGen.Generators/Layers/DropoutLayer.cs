using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Dropout(rate)]</c> / <c>dropout 0.5</c>: when training, zeroes each value with probability
/// rate and scales the kept ones by 1/(1-rate) (a mask kept for backward); the identity at inference.
/// </summary>
internal sealed class DropoutLayer : LayerDescriptor
{
    public DropoutLayer()
        : base(LayerKind.Dropout)
    {
    }

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "dropout" };

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) =>
        arguments.Count == 1 ? blank with { Rate = (double)arguments[0] } : null;

    public override string? ArgumentName(int position) => position == 0 ? "rate" : null;

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => "dropout RATE, e.g. 'dropout 0.5'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryDouble(0, "dropout rate", out double rate))
        {
            return false;
        }
        spec = spec with { Rate = rate };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "dropout";

    public override ActivationRole ActivationRole => ActivationRole.Transparent;

    public override bool IsIdentityAtInference => true;

    public override IEnumerable<FloatOption> FloatOptions(LayerSpec layer)
    {
        yield return new FloatOption("rate", "rate", layer.Rate, "it is the probability of dropping a value, in [0, 1), e.g. 0.5");
    }

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var layer = context.Layer;
        // As float32, the type of the generated code: 0.99999999 rounds to 1, which would scale the kept values by 1/0.
        if (!(layer.Rate >= 0 && (float)layer.Rate < 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateOutOfRange, layer.LocationOf("rate"),
                context.Index, context.Name, Analysis.FloatOptions.Text(layer.Rate)));
            return null;
        }
        return context.Plan(inputs[0], inputs[0]) with { Rate = layer.Rate };
    }

    public override string Describe(LayerPlan l) => $"rate {Rate(l)}";

    private static string Rate(LayerPlan l) => l.Rate.ToString(CultureInfo.InvariantCulture);

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) => New("DropoutConfig", Literal.Double(l.Rate));

    public override void AddTrainingBuffers(LayerPlan l, TrainingBufferPlan buffers) =>
        buffers.Fields.Add(new TrainingBufferPlan.Field($"Layer{l.Index}Mask", l.Output.Length, $"{l.Name} keep mask (0 or 1/(1-rate)) {l.Output}"));

    public override void WriteForwardTraining(TrainingStep step)
    {
        var l = step.Layer;
        step.Writer.WriteLine($"global::ConvGen.Kernels.TrainingKernels.DropoutForward({step.Input}, {step.Output}, workspace.Layer{l.Index}Mask, batch, {I(l.Output.Length)}, "
            + $"{Literal.Float(l.Rate)}, dropout, {I(l.Index)}); // Dropout '{l.Name}' rate {Rate(l)} {step.Shapes}");
    }

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        if (l.GradientInReader)
        {
            step.Writer.WriteLine($"// the mask is applied by the input gradient of '{step.Model.Layers[l.Index + 1].Name}', as it stores it");
            return;
        }
        string call = $"global::ConvGen.Kernels.TrainingKernels.DropoutBackward(workspace.Layer{l.Index}Mask, {step.OutputGradient});";
        if (step.LastActivationLayer >= 0 && l.Index > step.LastActivationLayer)
        {
            step.Writer.WriteLine("// a loss on the logits (taken below this layer) never saw the mask");
            step.Writer.WriteLine($"if (!gradientIsForLogits) {call}");
        }
        else
        {
            step.Writer.WriteLine(call);
        }
    }
}
