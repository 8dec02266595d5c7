using System.Linq;
using ConvGen.Generators.Model;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Tests;

/// <summary>
/// CG0014 relies on <see cref="GeneratedMembers"/> knowing every member the emitter writes into
/// the network class. This compiles generated networks and compares the members actually declared
/// in the .g.cs with the list, both ways: a member the list lacks would be a clash nobody reports;
/// one the code lacks would be a clash reported for nothing.
/// </summary>
public sealed class GeneratedMembersTests
{
    public static TheoryData<string> Networks => new()
    {
        NetworkSources.LectureNet,
        // Every layer kind, and a class without a parameterless constructor (no Create).
        """
        using ConvGen;
        [Network(Input = "8x8x2")]
        [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "stem")]
        [AvgPool2D(2)]
        [Activation(Activation.Tanh)]
        [MaxPool2D(2, Padding = Padding.Same)]
        [GlobalMaxPool2D]
        [Dense(6, UseBias = false)]
        [Dropout(0.1)]
        [Dense(3, Activation = Activation.Sigmoid)]
        public partial class EveryLayerNet { public EveryLayerNet(int seed) { } }
        """,
        // No parameters at all: no parameter views.
        """
        using ConvGen;
        [Network(Input = "4x4x1")]
        [GlobalAvgPool2D]
        public partial class PoolNet;
        """,
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void List_matches_the_generated_class(string source)
    {
        var run = GeneratorHarness.Run(source);
        run.ShouldNotHaveThrown();
        var model = (NetworkModel)run.Result.TrackedSteps[NetworkGenerator.Steps.Model].ShouldHaveSingleItem().Outputs.ShouldHaveSingleItem().Value;
        var tree = run.OutputCompilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(".g.cs"));
        var semanticModel = run.OutputCompilation.GetSemanticModel(tree);
        var networkClass = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.Text == model.ClassName);

        var declared = networkClass.Members
            .SelectMany(member => member is BaseFieldDeclarationSyntax field
                ? field.Declaration.Variables.Select(v => semanticModel.GetDeclaredSymbol(v)!)
                : new[] { semanticModel.GetDeclaredSymbol(member)! })
            .Select(Describe)
            .OrderBy(x => x)
            .ToList();
        var listed = GeneratedMembers.For(model).Select(m => m.IsMethod ? $"{m.Name}({m.Parameters})" : m.Name).OrderBy(x => x).ToList();

        declared.ShouldBe(listed);
    }

    private static string Describe(ISymbol symbol) => symbol is IMethodSymbol method
        ? $"{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "")))})"
        : symbol.Name;
}
