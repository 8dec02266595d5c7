using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>What a program check needs to know of a network: its name, shapes, layer count and last activation.</summary>
internal sealed record NetworkFacts(string Name, Shape Input, Shape Output, int LayerCount, ActivationKind LastActivation, string LastActivationLayer)
{
    public long InputLength => Input.Length;

    public long OutputLength => Output.Length;
}

/// <summary>
/// Learns a network's facts from its <c>[Network]</c> attributes through the generator's own
/// Parsing and Analysis stages, so the analyzer and the generated code agree on every shape by
/// construction. Once per type and compilation; a network with errors has no facts (its
/// declaration already has the generator's diagnostics, and its shapes are unknown).
/// </summary>
internal sealed class NetworkFactsReader(Compilation compilation, LayerTable<ILayerSyntax> syntax, LayerTable<ILayerRules> rules)
{
    private readonly ConcurrentDictionary<ITypeSymbol, NetworkFacts?> _cache = new(SymbolEqualityComparer.Default);

    /// <summary>The facts of <paramref name="type"/> when it is a network class that compiles, else null.</summary>
    public NetworkFacts? For(ITypeSymbol? type, CancellationToken cancellationToken) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class } named ? _cache.GetOrAdd(named.OriginalDefinition, t => Read((INamedTypeSymbol)t, cancellationToken)) : null;

    private NetworkFacts? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName);
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntaxNode
            || syntaxNode.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return null;
        }
        var parsed = NetworkParser.Parse(type, declaration, attribute, compilation, syntax, cancellationToken, readUserMembers: false);
        if (ShapeInference.Analyse(parsed, rules).Model is not { } model)
        {
            return null;
        }
        int last = model.LastActivationLayer;
        return new NetworkFacts(type.Name, model.Input, model.Output, model.Layers.Count, model.LastActivation,
            last >= 0 ? model.Layers[last].Name : model.Layers[model.Layers.Count - 1].Name);
    }
}
