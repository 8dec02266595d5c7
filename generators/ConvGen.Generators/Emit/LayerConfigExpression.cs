using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Pieces of a layer's <c>ConvGen.LayerConfig</c> constructor call (the layer table's
/// <c>Config</c>), with the plan's resolved values as literals: tools read these instead of
/// parsing the description. Each kind's descriptor (<see cref="ILayerEmitter.ConfigExpression"/>)
/// puts its own call together from them.
/// </summary>
internal static class LayerConfigExpression
{
    /// <summary><c>new global::ConvGen.{type}({arguments})</c>.</summary>
    public static string New(string type, string arguments = "") => $"new global::ConvGen.{type}({arguments})";

    /// <summary>Kernel height and width, stride height and width.</summary>
    public static string Window(LayerPlan l) => $"{I(l.KernelHeight)}, {I(l.KernelWidth)}, {I(l.StrideHeight)}, {I(l.StrideWidth)}";

    /// <summary>The four pads, the padding rule and whether the pads were written.</summary>
    public static string Pads(LayerPlan l) =>
        $"{I(l.PadTop)}, {I(l.PadBottom)}, {I(l.PadLeft)}, {I(l.PadRight)}, global::ConvGen.Padding.{l.Padding}, {Bool(l.HasExplicitPadding)}";

    /// <summary>The runtime activation and its alpha.</summary>
    public static string Activation(LayerPlan l) => $"{RuntimeActivation(l.Activation)}, {Literal.Float(l.Alpha)}";

    public static string Bool(bool value) => value ? "true" : "false";
}
