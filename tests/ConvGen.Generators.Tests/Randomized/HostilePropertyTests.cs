using System.Globalization;
using System.Linq;
using ConvGen.Generators.Tests.Infrastructure;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>
/// Property: for any declaration built from hostile strings and numbers (edges of int and
/// float32, NaN, line breaks, quotes, comment closers, unicode, verbatim identifiers) the
/// generator never throws, and either its code compiles without warnings or an error says why
/// (ConvGen's, or the compiler's when the C# itself is broken). CsCheck shrinks a failure to a
/// small declaration and prints it with its seed.
/// </summary>
public sealed class HostilePropertyTests
{
    private static readonly string[] s_classNames = { "Net", "@class", "@event", "Réseau", "Ω_1", "_", "Re\u0301seau" };

    private static readonly string?[] s_strings =
    {
        null, "", " ", "a", "conv2d", "dense_1", "block1/conv", "x\ny", "x\r\ny", "*/", "/*", "// c", "\"", "\\", "\\n",
        "\u2028", "\u2029", "\u0085", "\u0000", "\t", "\u202E", "\uD800", "😀", "層", "<a>&amp;", "4x4x1", "99999999x99999999x3",
        "2147483647x1x1", "1x1x0", "-1x4x1", "4x4", new string('w', 5_000),
    };

    private static readonly int[] s_ints = { int.MinValue, -1, 0, 1, 2, 3, 8, 64, 65, 1 << 30, int.MaxValue };

    private static readonly double[] s_doubles =
    {
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 1e-50, 0.5, 0.99999999999, 1, 1.5, -1,
        float.MaxValue, 3.5e38, 1e300, double.MaxValue, double.Epsilon,
    };

    private static readonly Gen<string?> s_string = Gen.OneOf(s_strings);
    private static readonly Gen<int> s_int = Gen.OneOf(Gen.OneOf(s_ints), Gen.Int[1, 16]);
    private static readonly Gen<double> s_double = Gen.OneOf(s_doubles);

    private static readonly Gen<string> s_layer = Gen.OneOf(
        Gen.Select(s_int, s_int, s_int, (f, k, s) => $"[Conv2D({f}, {k}, Stride = {s}, Padding = Padding.Same)]"),
        Gen.Select(s_int, s_double, s_string, (f, a, n) => $"[Conv2D({f}, 3, Activation = Activation.LeakyRelu, Alpha = {D(a)}{Named(n)})]"),
        Gen.Select(s_int, s_int, (k, p) => $"[MaxPool2D({k}, PadTop = {p})]"),
        Gen.Select(s_int, s_string, (u, n) => $"[Dense({u}{Named(n)})]"),
        Gen.Select(s_double, s_string, (r, n) => $"[Dropout({D(r)}{Named(n)})]"),
        Gen.Select(s_double, s_double, (e, m) => $"[BatchNorm(Epsilon = {D(e)}, Momentum = {D(m)})]"),
        Gen.Select(s_string, s_string, (a, b) => $"[Add({S(a)}, {S(b)})]"),
        Gen.Select(s_string, s => $"[Flatten(Input = {S(s)})]"),
        Gen.Const("[Flatten]"),
        Gen.Const("[GlobalAvgPool2D]"),
        Gen.Select(s_double, a => $"[Activation(Activation.Elu, Alpha = {D(a)})]"));

    private static readonly Gen<string> s_attributeForm =
        Gen.Select(Gen.OneOf(s_classNames), s_string, s_layer.Array[0, 6],
            (name, input, layers) => $"[Network(Input = {S(input)})] {string.Join(" ", layers)} public partial class {name};");

    private static readonly Gen<string> s_textLine = Gen.OneOf(
        Gen.Select(s_int, s_int, s_string, (f, k, n) => $"conv2d {f} {k} same name={n}"),
        Gen.Select(s_double, d => "dropout " + D(d, text: true)),
        Gen.Select(s_double, d => "dense 2 elu alpha=" + D(d, text: true)),
        Gen.Select(s_string, n => "flatten input=" + n),
        Gen.Select(s_string, s_string, (a, b) => $"add {a} {b}"),
        Gen.Const("flatten"),
        Gen.Const("dense 2"));

    private static readonly Gen<string> s_textForm =
        Gen.Select(Gen.OneOf(s_classNames), s_string, s_textLine.Array[0, 6],
            (name, input, lines) => $"[Network({S("input " + input + "\n" + string.Join("\n", lines))})] public partial class {name};");

    [Fact]
    public void Any_hostile_declaration_gives_clean_code_or_an_error() =>
        Gen.OneOf(s_attributeForm, s_textForm).Sample(Check, iter: 60, threads: 1);

    private static void Check(string declaration)
    {
        var run = GeneratorHarness.Run("using ConvGen;\nnamespace Samples;\n" + declaration);

        run.ShouldNotHaveThrown();
        bool userCodeHasErrors = run.InputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        bool reported = run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        bool generated = run.Result.GeneratedSources.Length > 0;
        (generated || reported || userCodeHasErrors).ShouldBeTrue("no code, no ConvGen error and no compiler error");
        (generated && reported).ShouldBeFalse("code generated despite a ConvGen error");
        if (generated && !userCodeHasErrors)
        {
            run.CompilationProblems.Where(d => d.Id is not ("CS1591" or "CS8981")).ShouldBeEmpty();
        }
    }

    private static string Named(string? name) => name is null ? "" : ", Name = " + S(name);

    /// <summary>A C# string literal (null as <c>null!</c>), escaped by Roslyn itself.</summary>
    private static string S(string? value) => value is null ? "null!" : SymbolDisplay.FormatLiteral(value, quote: true);

    private static string D(double value, bool text = false) =>
        double.IsNaN(value) ? (text ? "NaN" : "double.NaN")
        : double.IsPositiveInfinity(value) ? (text ? "Infinity" : "double.PositiveInfinity")
        : double.IsNegativeInfinity(value) ? (text ? "-Infinity" : "double.NegativeInfinity")
        : value.ToString("R", CultureInfo.InvariantCulture);
}
