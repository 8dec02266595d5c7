using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Shapes;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The constructor call of a layer's <c>ConvGen.LayerConfig</c> record (the layer table's
/// <c>Config</c>), with the plan's resolved values as literals: tools read these instead of
/// parsing the description.
/// </summary>
internal static class LayerConfigExpression
{
    private const string Ns = "global::ConvGen.";

    public static string Of(LayerPlan l) => l.Kind switch
    {
        LayerKind.Conv2D => $"new {Ns}ConvolutionConfig({I(l.Output.Channels)}, {Window(l)}, {I(l.DilationHeight)}, {I(l.DilationWidth)}, {Pads(l)}, "
            + $"{RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, {Bool(l.UseBias)})",
        LayerKind.MaxPool2D or LayerKind.AvgPool2D => $"new {Ns}PoolConfig({Window(l)}, {Pads(l)})",
        LayerKind.GlobalMaxPool2D or LayerKind.GlobalAvgPool2D => $"new {Ns}GlobalPoolConfig()",
        LayerKind.Flatten => $"new {Ns}FlattenConfig()",
        LayerKind.Dense => $"new {Ns}DenseConfig({I(l.Output.Channels)}, {RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}, {Bool(l.UseBias)})",
        LayerKind.Dropout => $"new {Ns}DropoutConfig({Literal.Double(l.Rate)})",
        LayerKind.Activation => $"new {Ns}ActivationConfig({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)})",
        LayerKind.Add => $"new {Ns}AddConfig({RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)})",
        LayerKind.BatchNorm => $"new {Ns}BatchNormConfig({Literal.Double(l.Epsilon)}, {Literal.Double(l.Momentum)})",
        _ => "null",
    };

    private static string Window(LayerPlan l) => $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}";

    private static string Pads(LayerPlan l) =>
        $"{I(l.PadTop)}, {I(l.PadBottom)}, {I(l.PadLeft)}, {I(l.PadRight)}, {Ns}Padding.{l.Padding}, {Bool(l.HasExplicitPadding)}";

    private static string Bool(bool value) => value ? "true" : "false";
}
