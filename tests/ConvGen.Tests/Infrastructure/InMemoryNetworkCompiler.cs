using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using ConvGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Runs the ConvGen generator and the C# compiler in memory, so a test can check hundreds of
/// network shapes without declaring each one in the test project. Many networks go into one
/// compilation: the compiler's start-up cost is paid once per group, not once per case.
/// </summary>
internal static class InMemoryNetworkCompiler
{
    private static readonly CSharpParseOptions s_parseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        // Diagnose mode makes the compiler check the generated XML docs (CS1591, CS1574, ...),
        // as it would in a user project with GenerateDocumentationFile and warnings as errors.
        .WithDocumentationMode(DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location))
            .ToImmutableArray());

    /// <summary>
    /// Generates and compiles <paramref name="source"/> and loads the result into a collectible
    /// context. Never throws for compiler errors: they are in <see cref="CompiledNetworks.Errors"/>.
    /// </summary>
    /// <param name="forceScalarFallback">
    /// Rewrites the generated <c>if (!Vector256.IsHardwareAccelerated)</c> guards to always take
    /// the scalar path, which is the only path on CPUs without 256-bit vectors (e.g. ARM64).
    /// </param>
    /// <param name="forceVector256">
    /// Rewrites <c>Vector512.IsHardwareAccelerated</c> to <c>false</c>, so kernels that have a
    /// Vector512 variant run their Vector256 variant (the path of CPUs without AVX-512).
    /// </param>
    public static CompiledNetworks Compile(string assemblyName, string source, bool forceScalarFallback = false, bool forceVector256 = false)
    {
        var tree = CSharpSyntaxTree.ParseText(source, s_parseOptions, path: assemblyName + ".Networks.cs");
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            deterministic: true);
        var compilation = CSharpCompilation.Create(assemblyName, new[] { tree }, s_references.Value, options);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: s_parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);

        var generatedTrees = generated.SyntaxTrees.Where(t => t != tree).ToList();
        int forcedGuards = 0;
        if (forceVector256)
        {
            foreach (var original in generatedTrees.ToList())
            {
                var replacement = ForceVector256(original, ref forcedGuards);
                generated = generated.ReplaceSyntaxTree(original, replacement);
                generatedTrees[generatedTrees.IndexOf(original)] = replacement;
            }
        }
        if (forceScalarFallback)
        {
            var rewritten = new List<SyntaxTree>();
            foreach (var original in generatedTrees)
            {
                var replacement = ForceScalarFallback(original, ref forcedGuards);
                generated = generated.ReplaceSyntaxTree(original, replacement);
                rewritten.Add(replacement);
            }
            generatedTrees = rewritten;
        }

        using var image = new MemoryStream();
        var emit = generated.Emit(image);
        var generatedPaths = new HashSet<string>(generatedTrees.Select(t => t.FilePath));
        var diagnostics = generatorDiagnostics.Concat(emit.Diagnostics).ToList();

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
        // The grids declare edge cases on purpose (strides that skip an edge, pool-only networks,
        // repeated activations): the generator's design advice on those is expected, anything else is not.
        var generatorReports = generatorDiagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && !AdvisoryWarnings.Contains(d.Id))
            .Select(Describe)
            .ToList();
        var generatedCodeWarnings = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generatedPaths.Contains(t.FilePath))
            // The forced fallback leaves the vector path unreachable on purpose.
            .Where(d => !(forceScalarFallback && d.Id == "CS0162"))
            .Select(Describe)
            .ToList();
        var otherWarnings = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && !(d.Location.SourceTree is { } t && generatedPaths.Contains(t.FilePath)))
            .Select(Describe)
            .ToList();

        return new CompiledNetworks(
            assemblyName,
            emit.Success ? image.ToArray() : null,
            generatedTrees.Count,
            forcedGuards,
            errors,
            generatorReports,
            generatedCodeWarnings,
            otherWarnings);
    }

    /// <summary>Warnings about a network's design, not about its validity (see docs/diagnostics).</summary>
    private static readonly HashSet<string> AdvisoryWarnings = new() { "CG0104", "CG0105", "CG0106", "CG0201", "CG0202", "CG0203" };

    private static SyntaxTree ForceScalarFallback(SyntaxTree tree, ref int forcedGuards)
    {
        const string guard = "if (!Vector256.IsHardwareAccelerated)";
        string text = tree.GetText().ToString();
        int count = (text.Length - text.Replace(guard, "", StringComparison.Ordinal).Length) / guard.Length;
        if (count == 0)
        {
            return tree;
        }
        forcedGuards += count;
        return tree.WithChangedText(SourceText.From(text.Replace(guard, "if (true)", StringComparison.Ordinal), System.Text.Encoding.UTF8));
    }

    private static SyntaxTree ForceVector256(SyntaxTree tree, ref int forcedGuards)
    {
        const string guard = "Vector512.IsHardwareAccelerated";
        string text = tree.GetText().ToString();
        forcedGuards += (text.Length - text.Replace(guard, "", StringComparison.Ordinal).Length) / guard.Length;
        // Not the constant false: the compiler would report the Vector512 call as unreachable (CS0162).
        return tree.WithChangedText(SourceText.From(text.Replace(guard, "(" + guard + " && false)", StringComparison.Ordinal), System.Text.Encoding.UTF8));
    }

    private static string Describe(Diagnostic d)
    {
        // Generator diagnostics carry external-file locations (built from path and span), so
        // the line comes from the mapped span rather than from a syntax tree.
        var span = d.Location.GetLineSpan();
        string where = span.IsValid ? $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "(no location)";
        string line = d.Location.IsInSource ? " | " + d.Location.SourceTree!.GetText().Lines[span.StartLinePosition.Line].ToString().Trim() : "";
        return $"{where}: {d.Severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}{line}";
    }
}
