using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Catalog;

/// <summary>
/// What a convolution body does around its register tile, as a struct type argument: whether
/// the accumulators start from the bias, and which fused activation runs before the store. The
/// JIT compiles a generic method once per struct type argument, so in each instantiation
/// <c>TEpilogue.HasBias</c> is a constant (the untaken load disappears) and <c>Apply</c> is
/// inlined (Relu is one max instruction, Linear nothing): the tile and its inner loop are the
/// same instructions as a body written out for that epilogue, while the C# is written once.
/// <para>
/// A <see cref="Scale"/> epilogue is a BatchNorm folded in at inference (see <see cref="BatchNormFolding"/>):
/// it also implements <see cref="ScaledEpilogueContract"/>, whose <c>Apply(value, scale, shift)</c>
/// stores <c>activation(scale * sum + shift)</c> from the tile in registers. Only the scaled bodies
/// call it, so the other bodies and epilogues read as before.
/// </para>
/// </summary>
internal sealed record Epilogue(bool Bias, ActivationKind Activation, double Alpha, bool Scale = false, bool Residual = false) : KernelKey
{
    public override bool IsHelperType => true;

    public override string NameFor(string user) =>
        (Scale ? "Scaled" : "") + (Bias ? "Bias" : "") + (Residual ? "Residual" : "") + (Activation == ActivationKind.Linear && (Bias || Scale || Residual) ? "" : Activation.ToString())
        + (Activation == ActivationKind.LeakyRelu ? new string(Literal.Float(Alpha).Where(char.IsDigit).ToArray()) : "");

    public override string Describe() => $"epilogue {NameFor("")}";

    public override void Write(IndentedTextWriter w, string name) => WriteHelper(w, name, vector128: false);

    public override void WriteHelper(IndentedTextWriter w, string name, bool vector128)
    {
        const string Inline = "[MethodImpl(AggressiveInlining)] ";
        string contract = Residual ? ResidualEpilogueContract.NameOf(Scale) : Scale ? ScaledEpilogueContract.Name : EpilogueContract.Name;
        using (w.WriteBlock($"private readonly struct {name} : {contract}"))
        {
            w.WriteLine($"public static bool HasBias => {(Bias ? "true" : "false")};");
            foreach (var width in EpilogueContract.Widths(vector128))
            {
                string t = width.Type;
                w.WriteLine($"{Inline}public static {t} Apply({t} value) => {VectorActivation(Activation, Alpha, "value", width.Name)};");
                if (Residual)
                {
                    // The value the convolution stored, plus the skip: the Add's sum, in the same order and rounding.
                    string sum = Scale ? $"{width.Name}.MultiplyAddEstimate(value, scale, shift)" : "value";
                    w.WriteLine($"{Inline}public static {t} Apply({t} value, {(Scale ? $"{t} scale, {t} shift, " : "")}ref float skip, nuint at) => Apply({sum} + {width.Name}.LoadUnsafe(ref skip, at));");
                }
                else if (Scale)
                {
                    w.WriteLine($"{Inline}public static {t} Apply({t} value, {t} scale, {t} shift) => Apply({width.Name}.MultiplyAddEstimate(value, scale, shift));");
                }
            }
            w.WriteLine($"{Inline}public static float Apply(float value) => {ScalarActivation(Activation, Alpha, "value")};");
            if (Residual)
            {
                w.WriteLine($"{Inline}public static float Apply(float value, {(Scale ? "float scale, float shift, " : "")}ref float skip, nuint at) => Apply({(Scale ? "value * scale + shift" : "value")} + Unsafe.Add(ref skip, at));");
            }
            else if (Scale)
            {
                w.WriteLine($"{Inline}public static float Apply(float value, float scale, float shift) => Apply(value * scale + shift);");
            }
        }
    }
}

/// <summary>The interface every <see cref="Epilogue"/> implements with static members (resolved per instantiation, never a virtual call).</summary>
internal sealed record EpilogueContract : KernelKey
{
    public const string Name = "IEpilogue";

    public static readonly EpilogueContract Instance = new();

    public override bool IsHelperType => true;

    public override string NameFor(string user) => Name;

    public override string Describe() => Name;

    /// <summary>The vector widths an epilogue applies to: Vector128 only where a body has a narrow tail block.</summary>
    public static VectorWidth[] Widths(bool vector128) =>
        vector128 ? new[] { VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 } : new[] { VectorWidth.V256, VectorWidth.V512 };

    public override void Write(IndentedTextWriter w, string name) => WriteHelper(w, name, vector128: false);

    public override void WriteHelper(IndentedTextWriter w, string name, bool vector128)
    {
        w.WriteLine("/// <summary>A convolution body's start value and store: a struct type argument, so each body is compiled per epilogue with these calls inlined.</summary>");
        using (w.WriteBlock($"private interface {name}"))
        {
            w.WriteLine("static abstract bool HasBias { get; }");
            foreach (var width in Widths(vector128))
            {
                w.WriteLine($"static abstract {width.Type} Apply({width.Type} value);");
            }
            w.WriteLine("static abstract float Apply(float value);");
        }
    }
}

/// <summary>
/// The contract of a <see cref="Epilogue.Scale"/> epilogue: <see cref="EpilogueContract"/> and the
/// store of a folded BatchNorm, <c>Apply(value, scale, shift)</c>. Written only into files whose
/// bodies scale (see <see cref="BatchNormFolding.InStore"/>).
/// </summary>
internal sealed record ScaledEpilogueContract : KernelKey
{
    public const string Name = "IScaledEpilogue";

    public static readonly ScaledEpilogueContract Instance = new();

    public override bool IsHelperType => true;

    public override string NameFor(string user) => Name;

    public override string Describe() => Name;

    public override void Write(IndentedTextWriter w, string name) => WriteHelper(w, name, vector128: false);

    public override void WriteHelper(IndentedTextWriter w, string name, bool vector128)
    {
        w.WriteLine("/// <summary>The store of a convolution with a BatchNorm folded in: activation(scale * sum + shift), per channel.</summary>");
        using (w.WriteBlock($"private interface {name} : {EpilogueContract.Name}"))
        {
            foreach (var width in EpilogueContract.Widths(vector128))
            {
                w.WriteLine($"static abstract {width.Type} Apply({width.Type} value, {width.Type} scale, {width.Type} shift);");
            }
            w.WriteLine("static abstract float Apply(float value, float scale, float shift);");
        }
    }
}

/// <summary>
/// The contract of a <see cref="Epilogue.Residual"/> epilogue: <see cref="EpilogueContract"/> and the store
/// of a convolution that also adds a residual Add's other summand (see <see cref="ResidualFolding"/>):
/// <c>Apply(value, skip, at)</c> is <c>activation(value + skip[at])</c>, and with a folded BatchNorm
/// <c>Apply(value, scale, shift, skip, at)</c> is <c>activation((scale * value + shift) + skip[at])</c>.
/// Each residual epilogue implements the form of its body (scaled or not).
/// </summary>
internal sealed record ResidualEpilogueContract(bool Scale) : KernelKey
{
    /// <summary>The contract's name: the scaled form's or the plain one's.</summary>
    public static string NameOf(bool scale) => scale ? "IScaledResidualEpilogue" : "IResidualEpilogue";

    public override bool IsHelperType => true;

    public override string NameFor(string user) => NameOf(Scale);

    public override string Describe() => NameFor("");

    public override void Write(IndentedTextWriter w, string name) => WriteHelper(w, name, vector128: false);

    public override void WriteHelper(IndentedTextWriter w, string name, bool vector128)
    {
        w.WriteLine($"/// <summary>The store of a convolution that adds a residual summand{(Scale ? " after its folded BatchNorm" : "")}: activation({(Scale ? "scale * sum + shift" : "sum")} + skip[at]).</summary>");
        using (w.WriteBlock($"private interface {name} : {EpilogueContract.Name}"))
        {
            foreach (var width in EpilogueContract.Widths(vector128))
            {
                string t = width.Type;
                w.WriteLine($"static abstract {t} Apply({t} value, {(Scale ? $"{t} scale, {t} shift, " : "")}ref float skip, nuint at);");
            }
            w.WriteLine($"static abstract float Apply(float value, {(Scale ? "float scale, float shift, " : "")}ref float skip, nuint at);");
        }
    }
}
