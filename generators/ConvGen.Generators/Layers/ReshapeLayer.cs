using System.Collections.Generic;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using static ConvGen.Generators.Analysis.LayerChecks;
using static ConvGen.Generators.Emit.KernelNames;
using static ConvGen.Generators.Emit.LayerConfigExpression;

namespace ConvGen.Generators.Layers;

/// <summary>
/// <c>[Reshape(1, 1, C)]</c> / <c>reshape 1x1xC</c> (or one number for a vector): the same values
/// under another shape with as many elements (Keras Reshape, channels last). Like Flatten it
/// costs nothing: the output aliases the input in every pass.
/// </summary>
internal sealed class ReshapeLayer : LayerDescriptor
{
    public ReshapeLayer()
        : base(LayerKind.Reshape)
    {
    }

    /// <summary>The target shape as written (rank 1 or 3).</summary>
    internal sealed record Target(int Height, int Width, int Channels, int Rank) : KindData;

    // ---- Parsing ----

    public override IReadOnlyList<string> TextNames { get; } = new[] { "reshape" };

    public override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count switch
    {
        1 => blank with { KindOptions = new Target(1, 1, (int)arguments[0], 1) },
        3 => blank with { KindOptions = new Target((int)arguments[0], (int)arguments[1], (int)arguments[2], 3) },
        _ => null,
    };

    public override string? ArgumentName(int position) => "target shape";

    public override int TextNumberCount => 1;

    public override string TextUsage(string head) => "reshape N or HxWxC, e.g. 'reshape 1x1x64'";

    public override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        if (!numbers.TryShape(0, "target shape", out int[] d))
        {
            return false;
        }
        spec = spec with { KindOptions = d.Length == 1 ? new Target(1, 1, d[0], 1) : new Target(d[0], d[1], d[2], 3) };
        return true;
    }

    // ---- Analysis ----

    public override string DefaultName => "reshape";

    public override ActivationRole ActivationRole => ActivationRole.Transparent;

    public override bool IsIdentityAtInference => true;

    public override bool AliasesInputWhenTraining => true;

    public override LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics)
    {
        var input = inputs[0];
        var t = (Target)context.Layer.KindOptions!;
        bool positive = t.Rank == 1
            ? RequirePositive(context, "target length", t.Channels, diagnostics)
            : RequirePositive(context, "target height", t.Height, diagnostics)
              & RequirePositive(context, "target width", t.Width, diagnostics)
              & RequirePositive(context, "target channels", t.Channels, diagnostics);
        if (!positive)
        {
            return null;
        }
        var output = t.Rank == 1 ? Shape.Vector(t.Channels) : Shape.Spatial(t.Height, t.Width, t.Channels);
        if (output.Length != input.Length)
        {
            string example = context.IsTextForm
                ? $"'reshape 1x1x{input.Length}' or 'reshape {input.Length}'"
                : $"Reshape(1, 1, {input.Length}) or Reshape({input.Length})";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReshapeCountMismatch, context.Layer.Location,
                context.Index, context.Name, input.ToText(), input.Length, output.ToText(), output.Length, example));
            return null;
        }
        return context.Plan(input, output);
    }

    public override string Describe(LayerPlan l) => l.Output.ToText();

    // ---- Emit ----

    public override string ConfigExpression(LayerPlan l) =>
        New("ReshapeConfig", $"{I(l.Output.Height)}, {I(l.Output.Width)}, {I(l.Output.Channels)}, {I(l.Output.Rank)}");

    public override void WriteForwardTraining(TrainingStep step) =>
        step.Writer.WriteLine($"// Reshape '{step.Layer.Name}': same buffer {step.Shapes}");

    public override void WriteBackward(TrainingStep step) => step.Writer.WriteLine("// same values, new shape: nothing to do");
}
