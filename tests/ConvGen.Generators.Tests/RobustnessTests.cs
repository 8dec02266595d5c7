using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Odd, broken and extreme declarations. Whatever the input, the generator must not throw, and it
/// must not drop a network silently: either it generates code that compiles, or a ConvGen error
/// says why not, or the C# compiler already reports the user's mistake.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string, string> OddNetworks => new()
    {
        { "null text form", """[Network(null!)] [Flatten] public partial class Net;""" },
        { "null input", """[Network(Input = null)] [Flatten] public partial class Net;""" },
        { "text of comments only", """[Network("# nothing here\n\n  # still nothing")] public partial class Net;""" },
        { "text with CRLF lines", "[Network(\"input 4x4x1\\r\\nflatten\\r\\ndense 2\\r\\n\")] public partial class Net;" },
        { "text with commas and tabs", "[Network(\"input 4x4x1\\nconv2d\\t2,\\t3 relu\\nflatten\")] public partial class Net;" },
        { "text with an interpolated constant", """[Network($"input {Size}x{Size}x1\nflatten")] public partial class Net { const string Size = "4"; }""" },
        { "text from a constant", """[Network(NetText.Value)] public partial class Net; static class NetText { public const string Value = "input 4x4x1\nflatten"; }""" },
        { "layer argument of the wrong type", """[Network(Input = "4x4x1")] [Conv2D("8", 3)] public partial class Net;""" },
        { "layer attribute without arguments", """[Network(Input = "4x4x1")] [Conv2D] public partial class Net;""" },
        { "unknown attribute named like a layer", """[Network(Input = "4x4x1")] [Conv3D(8, 3)] [Flatten] public partial class Net;""" },
        { "layer attribute from another namespace", """[Network(Input = "4x4x1")] [Other.Dense(3)] [Flatten] public partial class Net; namespace Other { class DenseAttribute : System.Attribute { public DenseAttribute(int units) { } } }""" },
        { "enum value out of range", """[Network(Input = "4x4x1")] [Flatten] [Dense(2, Activation = (Activation)99)] public partial class Net;""" },
        { "huge input", """[Network(Input = "100000x100000x100000")] [GlobalAvgPool2D] public partial class Net;""" },
        { "input larger than int", """[Network(Input = "99999999999x1x1")] [Flatten] public partial class Net;""" },
        { "flatten beyond int", """[Network(Input = "50000x50000x4")] [Flatten] [Dense(2)] public partial class Net;""" },
        { "dense weights beyond int", """[Network(Input = "1x1x100000")] [Flatten] [Dense(100000)] public partial class Net;""" },
        { "conv weights beyond int", """[Network(Input = "8x8x50000")] [Conv2D(50000, 1)] public partial class Net;""" },
        { "huge stride", """[Network(Input = "8x8x1")] [Conv2D(2, 3, Stride = int.MaxValue, Padding = Padding.Same)] public partial class Net;""" },
        { "huge dilation", """[Network(Input = "8x8x1")] [Conv2D(2, 3, Dilation = int.MaxValue)] public partial class Net;""" },
        { "huge kernel", """[Network(Input = "8x8x1")] [Conv2D(2, int.MaxValue, Padding = Padding.Same)] public partial class Net;""" },
        { "huge pool window", """[Network(Input = "8x8x1")] [MaxPool2D(65536, Padding = Padding.Same)] public partial class Net;""" },
        { "huge same-padded dilation", """[Network(Input = "8x8x1")] [Conv2D(2, 3, Dilation = int.MaxValue, Padding = Padding.Same)] public partial class Net;""" },
        { "parameters beyond int in total", """[Network(Input = "1x1x40000")] [Flatten] [Dense(40000)] [Dense(40000)] public partial class Net;""" },
        { "output beyond int", """[Network(Input = "40000x40000x1")] [Conv2D(2, 1)] public partial class Net;""" },
        { "NaN dropout", """[Network(Input = "8x8x1")] [Dropout(double.NaN)] public partial class Net;""" },
        { "only identity layers", """[Network(Input = "2x2x1")] [Dropout(0.1)] public partial class Net;""" },
        { "abstract class", """[Network(Input = "4x4x1")] [Flatten] public abstract partial class Net;""" },
        { "class without a parameterless constructor", """[Network(Input = "4x4x1")] [Flatten] public partial class Net { public Net(int seed) { } }""" },
        { "record class", """[Network(Input = "4x4x1")] [Flatten] public partial record Net;""" },
        { "nested in a static class", """public static partial class Outer { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
        { "nested in a record", """public partial record Outer { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
        { "nested in a struct", """public partial struct Outer { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
        { "nested in a record struct", """public partial record struct Outer { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
        { "nested in an interface", """public partial interface IOuter { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
        { "layer named like a keyword", """[Network(Input = "4x4x1")] [Flatten] [Dense(2, Name = "class")] [Dense(2, Name = "my layer")] [Dense(2, Name = "\"quoted\"")] public partial class Net;""" },
        { "layer names that differ only in case", """[Network(Input = "4x4x1")] [Flatten] [Dense(2, Name = "head")] [Dense(2, Name = "Head")] public partial class Net;""" },
        { "empty layer name", """[Network(Input = "4x4x1")] [Flatten] [Dense(2, Name = "")] public partial class Net;""" },
        { "namespace ending in ConvGen", """namespace Samples.ConvGen { [Network(Input = "4x4x1")] [Conv2D(2, 3)] [Flatten] public partial class Net; }""" },
        { "user types named like those the kernels use", """[Network(Input = "4x4x1")] [Conv2D(2, 3)] [Flatten] public partial class Net; public class Unsafe { } public class Vector256 { } public class MemoryMarshal { } public class Span<T> { }""" },
        { "network class named like its kernels", """[Network(Input = "4x4x1")] [Conv2D(2, 3)] [Flatten] public partial class NetKernels; public partial class Net { }""" },
        { "filters int.MaxValue", """[Network(Input = "4x4x1")] [Conv2D(int.MaxValue, 1)] [Flatten] public partial class Net;""" },
        { "units int.MaxValue", """[Network(Input = "4x4x1")] [Flatten] [Dense(int.MaxValue)] public partial class Net;""" },
        { "kernel 2^30", """[Network(Input = "4x4x1")] [Conv2D(2, 1 << 30)] [Flatten] public partial class Net;""" },
        { "kernel 2^30 by 2^30", """[Network(Input = "4x4x1")] [Conv2D(2, 1 << 30, 1 << 30, Padding = Padding.Same)] [Flatten] public partial class Net;""" },
        { "input 99999999x99999999x3", """[Network(Input = "99999999x99999999x3")] [Flatten] public partial class Net;""" },
        { "text input 99999999x99999999x3", """[Network("input 99999999x99999999x3\nflatten")] public partial class Net;""" },
        { "input int.MaxValue wide", """[Network(Input = "1x2147483647x1")] [MaxPool2D(2)] [Flatten] public partial class Net;""" },
        { "pads int.MaxValue", """[Network(Input = "4x4x1")] [Conv2D(2, 3, PadTop = int.MaxValue, PadBottom = int.MaxValue)] [Flatten] public partial class Net;""" },
        { "pads int.MinValue", """[Network(Input = "4x4x1")] [MaxPool2D(2, PadLeft = int.MinValue)] [Flatten] public partial class Net;""" },
        { "pool stride int.MaxValue", """[Network(Input = "4x4x1")] [MaxPool2D(2, Stride = int.MaxValue, Padding = Padding.Same)] [Flatten] public partial class Net;""" },
        { "stride and dilation int.MaxValue with same padding", """[Network(Input = "4x4x1")] [Conv2D(2, 3, Stride = int.MaxValue, Dilation = int.MaxValue, Padding = Padding.Same)] [Flatten] public partial class Net;""" },
        { "text kernel beyond int", """[Network("input 4x4x1\nconv2d 2 99999999999\nflatten")] public partial class Net;""" },
        { "text very long line", "[Network(\"input 4x4x1\\nflatten " + new string('x', 100_000) + "\")] public partial class Net;" },
        { "text very long name", "[Network(\"input 4x4x1\\nflatten name=" + new string('n', 100_000) + "\\ndense 2\")] public partial class Net;" },
        { "text unicode everywhere", """[Network("input 4×4×1\nконв 2 3\nflatten")] public partial class Net;""" },
        { "text unicode name", """[Network("input 4x4x1\nflatten name=平坦\ndense 2 name=ü/ß")] public partial class Net;""" },
        { "text NaN and infinity", """[Network("input 4x4x1\nflatten\ndropout NaN\ndense 2 elu alpha=-Infinity")] public partial class Net;""" },
        { "alpha beyond float", """[Network(Input = "4x4x1")] [Flatten] [Dense(2, Activation = Activation.LeakyRelu, Alpha = -1e39)] public partial class Net;""" },
        { "epsilon NaN", """[Network(Input = "4x4x3")] [Conv2D(2, 1, UseBias = false)] [BatchNorm(Epsilon = double.NaN)] [Flatten] public partial class Net;""" },
        { "add of empty names", """[Network(Input = "4x4x1")] [Flatten] [Add("", "")] public partial class Net;""" },
        { "add of null names", """[Network(Input = "4x4x1")] [Flatten] [Add(null!, null!)] public partial class Net;""" },
        { "network input empty", """[Network(Input = "")] [Flatten] public partial class Net;""" },
        { "layer name null", """[Network(Input = "4x4x1")] [Flatten(Name = null!)] public partial class Net;""" },
        { "input reading a later layer", """[Network(Input = "4x4x1")] [Flatten(Input = "later")] [Dense(2, Name = "later")] public partial class Net;""" },
        { "add reading itself", """[Network(Input = "4x4x1")] [Flatten(Name = "f")] [Add("f", "self", Name = "self")] public partial class Net;""" },
        { "duplicate names across forms of default", """[Network(Input = "4x4x1")] [Flatten(Name = "dense")] [Dense(2)] [Dense(2, Name = "dense")] public partial class Net;""" },
        { "verbatim class name", """[Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class @class;""" },
        { "layer stems that collide after the index", """[Network(Input = "4x4x1")] [Flatten] [Dense(4, Name = "x3")] [Dense(4, Name = "x")] [Dense(2, Name = "x_")] public partial class Net;""" },
        { "two networks with one name", """namespace A { [Network(Input = "4x4x1")] [Flatten] public partial class Net; } namespace B { [Network(Input = "4x4x1")] [Flatten] public partial class Net; }""" },
    };

    [Theory]
    [MemberData(nameof(OddNetworks))]
    public void Never_throws_and_never_drops_a_network_silently(string description, string declaration)
    {
        var run = GeneratorHarness.Run("using ConvGen;\n" + declaration);

        run.ShouldNotHaveThrown();
        bool userCodeHasErrors = run.InputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        bool reported = run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        bool generated = run.Result.GeneratedSources.Length > 0;
        (generated || reported || userCodeHasErrors).ShouldBeTrue($"{description}: no code, no ConvGen error and no compiler error");

        if (generated && !userCodeHasErrors)
        {
            // CS1591: these one-line networks carry no XML docs; the snapshots cover generated docs.
            run.CompilationProblems.Where(d => d.Id != "CS1591").ShouldBeEmpty(description);
        }
    }

    // A user member named like a generated one is reported (CG0014) instead of generating code
    // that does not compile (CS0102 / CS0542 / CS0108 in the .g.cs).
    [Theory]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] public partial class Net { public int InputLength => 0; }""")]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] public partial class Workspace;""")]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] public partial class TrainingWorkspace;""")]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] public partial class Net { public class Workspace { } }""")]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] [Dense(2)] public partial class Net { public float[] DenseWeight = new float[0]; }""")]
    [InlineData("""[Network(Input = "4x4x1")] [Flatten] public partial class Net : Base; public class Base { public void Predict(System.ReadOnlySpan<float> a, System.Span<float> b) { } }""")]
    public void Generated_member_names_do_not_clash_with_the_users(string declaration)
    {
        var run = GeneratorHarness.Run("using ConvGen;\n" + declaration);

        run.ShouldNotHaveThrown();
        run.GeneratorDiagnostics.ShouldContain(d => d.Id == DiagnosticDescriptors.GeneratedMemberClashId);
        run.Result.GeneratedSources.ShouldBeEmpty();
        run.CompilationProblems.Where(d => d.Id != "CS1591").ShouldBeEmpty();
    }
}
