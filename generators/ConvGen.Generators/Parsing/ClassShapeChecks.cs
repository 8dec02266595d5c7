using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// Whether the class can receive generated members at all: partial, not generic, not static,
/// not a record, inside partial non-generic types, with every layer attribute on the one
/// declaration that carries [Network]. Every problem is reported, not just the first.
/// </summary>
internal static class ClassShapeChecks
{
    public static bool Check(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, List<DiagnosticInfo> diagnostics, LayerTable<ILayerSyntax> kinds)
    {
        int before = diagnostics.Count;
        if (declaration is RecordDeclarationSyntax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                "is a record; ConvGen adds its members to a partial class, so declare it 'partial class'"));
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, location, type.Name));
        }
        // Arity, not IsGenericType: the latter is also true for a class nested in a generic type,
        // which has its own message below.
        if (type.Arity > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                "is generic; a network's shapes must be fixed at compile time, so remove the type parameters"));
        }
        if (type.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                "is static; a network holds its weights, so it must be an instance class"));
        }
        // One diagnostic for all the non-partial containing types: they share one fix.
        var notPartial = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool outerPartial = outer.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!outerPartial)
            {
                notPartial.Insert(0, $"'{outer.Name}'");
            }
            if (outer.Arity > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                    $"is nested in the generic type '{outer.Name}'; move the network out of it"));
            }
        }
        if (notPartial.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, type.Name,
                string.Join(" and ", notPartial), notPartial.Count == 1 ? notPartial[0] : "each of them"));
        }
        // Attributes on other partial declarations have no defined order relative to these; one
        // diagnostic per stray attribute, so each points at exactly what to move.
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax other || other == declaration)
            {
                continue;
            }
            foreach (var attribute in other.AttributeLists.SelectMany(l => l.Attributes).Where(a => NetworkParser.IsLayerAttributeName(a.Name, kinds)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerAttributeOnOtherDeclaration, LocationInfo.From(attribute),
                    attribute.ToString(), type.Name));
            }
        }
        return diagnostics.Count == before;
    }
}
