using System.Globalization;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit;

/// <summary>Names and small expressions shared by the emitters.</summary>
internal static class KernelNames
{
    public static string MethodName(LayerPlan layer) => $"Layer{layer.Index}{layer.Kind}";

    /// <summary>
    /// The entry points' attribute written with global names, for the network class, whose file does not
    /// import <c>System.Runtime.CompilerServices</c>: its <c>Forward</c> and the pass it runs are compiled
    /// once for the same reason (<see cref="OpenEntryPoint"/>).
    /// </summary>
    public const string OptimisedAtFirstCall =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary>
    /// Opens an entry point of the kernel class, a method the network's members call once per layer
    /// and pass, compiled fully optimised at its first call. Under tiering it would be compiled again
    /// on a background thread after 30 calls; while a picture is split over every core, that thread
    /// takes a core from the pass and the other threads wait for it at each barrier (ResNet-18, one
    /// picture on two threads: passes of 36-47 ms among passes of 18 ms while the entry points were
    /// promoted). Optimised at once, nothing is compiled again once every layer has run; and an entry
    /// point with loops of its own (a pool) never runs them in tier-0 or on-stack-replaced code.
    /// </summary>
    public static System.IDisposable OpenEntryPoint(Helpers.IndentedTextWriter w, string signature)
    {
        w.WriteLine("[MethodImpl(AggressiveOptimization)]");
        return w.WriteBlock(signature);
    }

    /// <summary>The layer's header comment: index, kind, name, configuration, shapes.</summary>
    public static string ShapeComment(LayerPlan layer)
    {
        string description = layer.Description;
        return $"// layer {layer.Index}: {layer.Kind} '{layer.Name}'{(description.Length > 0 ? " " + description : "")}  {layer.Input} -> {layer.Output}";
    }

    public static string RuntimeActivation(ActivationKind kind) => "global::ConvGen.Activation." + kind;

    /// <summary>An element offset for the Vector256 load / store overloads: literals stay literals.</summary>
    public static string NUInt(string offset) => int.TryParse(offset, out _) ? offset : $"(nuint)({offset})";

    /// <summary>The element-offset argument of a vector load or store: <c>, 8</c>, or nothing at offset 0 (the overload without one).</summary>
    public static string VectorOffset(string offset) => offset == "0" ? "" : ", " + NUInt(offset);

    /// <summary><c>Unsafe.Add(ref source, offset)</c>, or the ref itself at offset 0 (use with <c>ref</c> before it).</summary>
    public static string At(string source, string offset) => offset == "0" ? source : $"Unsafe.Add(ref {source}, {offset})";

    public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the emitter folds this activation into the register tile before the store.</summary>
    public static bool IsFused(ActivationKind kind) => LayerPlan.IsFusable(kind);

    /// <summary>
    /// Applies a fused activation to a vector expression. ReLU keeps the value where it is not at
    /// or below 0 (a compare and an and): the bits of <c>TensorPrimitives.Max(x, 0)</c>, NaN kept
    /// and -0 made +0, so training's forward may store it in the kernel (see TrainingBufferPlan).
    /// </summary>
    public static string VectorActivation(ActivationKind kind, double alpha, string value, string vector = "Vector256") => kind switch
    {
        ActivationKind.Relu => $"{vector}.AndNot({value}, {vector}.LessThanOrEqual({value}, {vector}<float>.Zero))",
        ActivationKind.LeakyRelu => $"{vector}.ConditionalSelect({vector}.GreaterThan({value}, {vector}<float>.Zero), {value}, {value} * {Helpers.Literal.Float(alpha)})",
        ActivationKind.Relu6 => VectorClamp6(value, vector),
        ActivationKind.HardSigmoid => $"{VectorClamp6($"{value} + {vector}.Create(3f)", vector)} * (1f / 6f)",
        ActivationKind.HardSwish => $"{value} * ({VectorClamp6($"{value} + {vector}.Create(3f)", vector)} * (1f / 6f))",
        _ => value,
    };

    /// <summary>Applies a fused activation to a scalar expression.</summary>
    public static string ScalarActivation(ActivationKind kind, double alpha, string value) => kind switch
    {
        ActivationKind.Relu => $"({value} <= 0f ? 0f : {value})",
        ActivationKind.LeakyRelu => $"({value} > 0f ? {value} : {Helpers.Literal.Float(alpha)} * {value})",
        ActivationKind.Relu6 => $"MathF.Min(MathF.Max({value}, 0f), 6f)",
        ActivationKind.HardSigmoid => $"(MathF.Min(MathF.Max({value} + 3f, 0f), 6f) * (1f / 6f))",
        ActivationKind.HardSwish => $"({value} * (MathF.Min(MathF.Max({value} + 3f, 0f), 6f) * (1f / 6f)))",
        _ => value,
    };

    /// <summary><c>min(max(value, 0), 6)</c> on vectors: ReLU6, and the hard sigmoid's clamp of <c>x + 3</c>.</summary>
    private static string VectorClamp6(string value, string vector) =>
        $"{vector}.MinNative({vector}.MaxNative({value}, {vector}<float>.Zero), {vector}.Create(6f))";
}
