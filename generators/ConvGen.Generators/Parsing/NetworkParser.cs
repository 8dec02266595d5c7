using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// Turns the attributes on a <c>[Network]</c> class into an equatable <see cref="NetworkSpec"/>.
/// Layer attributes are read from the syntax of the one declaration that carries
/// <c>[Network]</c>, so their source order is the layer order.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "ConvGen.NetworkAttribute";

    // The namespace as written in C#: a namespace named @event needs its '@' back.
    private static readonly SymbolDisplayFormat s_namespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static ParsedNetwork Parse(GeneratorAttributeSyntaxContext context, LayerTable<ILayerSyntax> kinds, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return new ParsedNetwork(null, EquatableArray<DiagnosticInfo>.Empty);
        }
        return Parse(type, declaration, context.Attributes[0], context.SemanticModel.Compilation, kinds, cancellationToken);
    }

    /// <summary>
    /// The same reading for a caller that found the class itself (the program analyzer, which
    /// learns a network's shapes from the very stages the generator uses). That caller sees the
    /// generated members too, so it leaves out <paramref name="readUserMembers"/>: they are only
    /// read to find clashes with generated members, which the generator reports.
    /// </summary>
    public static ParsedNetwork Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData networkAttribute, Compilation compilation,
        LayerTable<ILayerSyntax> kinds, CancellationToken cancellationToken, bool readUserMembers = true)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());
        string fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");

        if (!ClassShapeChecks.Check(type, declaration, nameLocation, diagnostics, kinds))
        {
            return new ParsedNetwork(null, diagnostics.ToEquatableArray());
        }

        string? inputText = null;
        string? layersText = null;
        bool inputWritten = false;
        bool layersWritten = false;
        foreach (var argument in networkAttribute.NamedArguments)
        {
            if (argument.Key == "Input") { inputText = argument.Value.Value as string; inputWritten = true; }
            if (argument.Key == "Layers") { layersText = argument.Value.Value as string; layersWritten = true; }
        }
        if (networkAttribute.ConstructorArguments.Length == 1)
        {
            layersText = networkAttribute.ConstructorArguments[0].Value as string;
            layersWritten = true;
        }
        var networkSyntax = networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var networkLocation = LocationInfo.From(networkSyntax) ?? nameLocation;
        var inputLocation = LocationInfo.From(FindArgument(networkSyntax, "Input")) ?? networkLocation;

        // A null or blank Input or text form is a slip (a constant not yet filled in, a null!):
        // said as such, rather than as "no input" or "no layers" that would hide what was written.
        bool missingText = false;
        if (inputWritten && string.IsNullOrWhiteSpace(inputText))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingTextArgument, inputLocation, $"Network '{type.Name}'", "Input",
                inputText is null ? "null" : "empty", "write the input shape as HxWxC, e.g. Input = \"28x28x1\""));
            missingText = true;
        }
        if (layersWritten && string.IsNullOrWhiteSpace(layersText))
        {
            var textLocation = LocationInfo.From(FindArgument(networkSyntax, "Layers") ?? networkSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression) ?? networkLocation;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingTextArgument, textLocation, $"Network '{type.Name}'", "the text form",
                layersText is null ? "null" : "empty", "write one layer per line, e.g. \"input 28x28x1\\nconv2d 8 3 relu\\nflatten\\ndense 10 softmax\", or declare the layers as attributes"));
            missingText = true;
        }

        var layers = ReadLayerAttributes(type, declaration, diagnostics, kinds, cancellationToken, out bool attributeErrors);
        if (attributeErrors || missingText)
        {
            // The compiler already reports the broken attribute; a network missing that layer
            // would only add confusing follow-up errors.
            return new ParsedNetwork(null, diagnostics.ToEquatableArray());
        }

        InputSpec? input = null;
        bool textHasErrors = false;
        bool textReportedInput = false;
        if (layersText is not null)
        {
            if (layers.Count > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersInBothForms, networkLocation, type.Name));
            }
            var textArgument = FindArgument(networkSyntax, "Layers") ?? networkSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression;
            var mapper = new TextLocationMapper(textArgument, layersText, networkLocation);
            var result = TextFormParser.Parse(layersText, kinds);
            foreach (var error in result.Errors)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TextSyntaxError, mapper.Map(error.Line, error.Column, error.Length),
                    error.Line, error.Column, error.Message));
            }
            textHasErrors = result.Errors.Count > 0;
            layers = result.Layers.Select(l => l.Layer with { Location = mapper.Map(l.Line, l.Column, l.Length) }).ToList();
            if (result.HasInputLine)
            {
                if (inputText is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TextSyntaxError, mapper.Map(result.InputLine, result.InputColumn, "input".Length),
                        result.InputLine, result.InputColumn, "the input shape is given both here and in Input; keep one"));
                }
                input = result.Input;
                inputLocation = mapper.Map(result.InputLine, result.InputColumn, "input ".Length + (result.InputText?.Length ?? 0));
                // A malformed input line already has its text error, pointing at the shape itself.
                textReportedInput = input is null;
                inputText ??= result.InputText;
            }
        }

        if (input is null && !textReportedInput)
        {
            if (inputText is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, networkLocation, type.Name));
            }
            else if ((input = InputShapeParser.Parse(inputText)) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedInput, inputLocation, inputText));
            }
        }

        if (textHasErrors)
        {
            // A line that did not parse is missing from the layer list: inferring shapes without it
            // would only add follow-up errors ("no layers", a Dense that lost its Flatten, ...).
            return new ParsedNetwork(null, diagnostics.ToEquatableArray());
        }

        var containing = new List<ContainingType>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new ContainingType(TypeKeyword(outer), outer.Name));
        }
        bool hasParameterlessConstructor = !type.IsAbstract && type.InstanceConstructors.Any(c => c.Parameters.Length == 0);
        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(s_namespaceFormat),
            type.Name,
            fullName,
            containing.ToEquatableArray(),
            hasParameterlessConstructor,
            input,
            layers.ToEquatableArray(),
            networkLocation,
            inputLocation)
        {
            IsTextForm = layersText is not null,
            ClassLocation = nameLocation,
            UserMembers = readUserMembers ? UserMemberReader.Read(type, compilation, cancellationToken) : EquatableArray<UserMember>.Empty,
        };
        return new ParsedNetwork(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>The keyword a partial declaration of <paramref name="type"/> must repeat.</summary>
    private static string TypeKeyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => type.IsRecord ? "record" : "class",
    };

    /// <summary>Whether an attribute's name, as written, names a layer attribute (before binding).</summary>
    internal static bool IsLayerAttributeName(NameSyntax name, LayerTable<ILayerSyntax> kinds)
    {
        string text = name is QualifiedNameSyntax q ? q.Right.Identifier.Text : name is IdentifierNameSyntax i ? i.Identifier.Text : name.ToString();
        return kinds.IsLayerAttribute(text);
    }

    private static List<LayerSpec> ReadLayerAttributes(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics,
        LayerTable<ILayerSyntax> kinds, CancellationToken cancellationToken, out bool errors)
    {
        errors = false;
        var bySpan = new Dictionary<TextSpanKey, AttributeData>();
        foreach (var data in type.GetAttributes())
        {
            var reference = data.ApplicationSyntaxReference;
            if (reference is not null && reference.SyntaxTree == declaration.SyntaxTree)
            {
                bySpan[new TextSpanKey(reference.Span.Start, reference.Span.Length)] = data;
            }
        }
        var layers = new List<LayerSpec>();
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var syntax in list.Attributes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!bySpan.TryGetValue(new TextSpanKey(syntax.Span.Start, syntax.Span.Length), out var data))
                {
                    continue;
                }
                var attributeClass = data.AttributeClass;
                if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != "ConvGen"
                    || kinds.ByAttributeClass(attributeClass.Name) is null)
                {
                    if (attributeClass is IErrorTypeSymbol && IsLayerAttributeName(syntax.Name, kinds))
                    {
                        errors = true;
                    }
                    continue;
                }
                var layer = AttributeLayerReader.Read(data, syntax, layers.Count, diagnostics, kinds);
                if (layer is null)
                {
                    errors = true;
                    continue;
                }
                layers.Add(layer);
            }
        }
        return layers;
    }

    private static ExpressionSyntax? FindArgument(AttributeSyntax? attribute, string name) =>
        attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == name)?.Expression;

    private readonly record struct TextSpanKey(int Start, int Length);
}
