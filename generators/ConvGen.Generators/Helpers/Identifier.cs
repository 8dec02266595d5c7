using System.Text;
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

    /// <summary><c>conv2d_1</c> to <c>Conv2d1</c>: a C# identifier for a layer name.</summary>
    public static string Pascal(string name)
    {
        var text = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (text.Length == 0 || char.IsDigit(text[0]))
        {
            text.Insert(0, "Layer");
        }
        return text.ToString();
    }
}
