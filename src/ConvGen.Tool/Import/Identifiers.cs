using System.Linq;
using System.Text;

namespace ConvGen.Tool.Import;

/// <summary>C# names made from file names.</summary>
internal static class Identifiers
{
    /// <summary><c>resnet-18_v2</c> becomes <c>Resnet18V2</c>; a leading digit gets a <c>Net</c> prefix.</summary>
    public static string PascalCase(string fileName)
    {
        var name = new StringBuilder();
        bool upper = true;
        foreach (char c in fileName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            name.Insert(0, "Net");
        }
        return name.ToString();
    }

    public static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
