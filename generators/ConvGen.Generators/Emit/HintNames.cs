using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The file name each network's source is added under: <c>{Namespace}.{Class}.g.cs</c> as the
/// docs promise, made safe for Roslyn, which refuses a hint name with characters such as
/// <c>@</c> (a verbatim <c>@class</c>) or combining marks, and compares hint names ignoring case.
/// A name that had to be changed, or that would collide with another network's (<c>Net</c> and
/// <c>net</c>), gets a hash of its exact full name appended, so every network keeps its file.
/// </summary>
internal static class HintNames
{
    public static string For(string fullName, IEnumerable<string> allFullNames)
    {
        string safe = Sanitise(fullName);
        bool collides = allFullNames.Any(other => other != fullName && string.Equals(Sanitise(other), safe, System.StringComparison.OrdinalIgnoreCase));
        return (safe == fullName && !collides ? safe : safe + "." + Hash(fullName)) + ".g.cs";
    }

    /// <summary>Letters, digits, '.', '_' and '-' stay; a verbatim '@' is dropped; anything else (<c>&lt;</c>, combining marks, ...) becomes '_'.</summary>
    internal static string Sanitise(string fullName)
    {
        var text = new StringBuilder(fullName.Length);
        foreach (char c in fullName)
        {
            if (c == '@')
            {
                continue; // a verbatim identifier's prefix: @class is the class named "class"
            }
            text.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }
        return text.ToString();
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across runs and platforms (string.GetHashCode is not).</summary>
    private static string Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
