using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Helpers;

/// <summary>
/// A symbol's name as it must be written in C#: a class declared <c>@class</c> has the symbol
/// name <c>class</c>, which only compiles back with its '@'.
/// </summary>
internal static class Identifier
{
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
