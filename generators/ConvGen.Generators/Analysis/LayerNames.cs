using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>Gives every layer a unique name: the user's, or Keras's default (<c>conv2d</c>, <c>conv2d_1</c>, ...).</summary>
internal static class LayerNames
{
    public static string[] Assign(EquatableArray<LayerSpec> layers, List<DiagnosticInfo> diagnostics, LayerTable<ILayerRules> rules)
    {
        var names = new string[layers.Count];
        var owners = new Dictionary<string, int>();
        // User-given names first, so that a default never takes a name the user chose later on.
        for (int i = 0; i < layers.Count; i++)
        {
            string? name = layers[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            if (UnsafeCharacter(name!) is { } unsafeCharacter)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsafeLayerName, layers[i].LocationOf("Name"), i, layers[i].Kind,
                    Displayed(name!), unsafeCharacter));
            }
            if (owners.TryGetValue(name!, out int owner))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layers[i].Location, i, layers[i].Kind, name!, owner, layers[owner].Kind));
                continue;
            }
            owners[name!] = i;
            names[i] = name!;
        }
        var counters = new Dictionary<string, int>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (names[i] is not null)
            {
                continue;
            }
            string stem = rules[layers[i].Kind].DefaultName;
            string candidate;
            do
            {
                counters.TryGetValue(stem, out int count);
                counters[stem] = count + 1;
                candidate = count == 0 ? stem : $"{stem}_{count}";
            }
            while (owners.ContainsKey(candidate));
            owners[candidate] = i;
            names[i] = candidate;
        }
        return names;
    }

    /// <summary>
    /// Names are written into comments and string literals of the generated code. Everything is
    /// escaped in literals, but a line break would end a <c>//</c> comment, and control, format
    /// (such as the bidirectional overrides of "Trojan Source") and unpaired surrogate characters
    /// make the code read differently from what it is; those are refused. Returns how the first
    /// such character is described, or null when the name is safe.
    /// </summary>
    internal static string? UnsafeCharacter(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            string code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            if (IndentedTextWriter.IsLineBreak(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return $"a line break ({code}) at position {i}";
            }
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return $"the invisible control character {code} at position {i}";
            }
            bool pairedHigh = char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]);
            if (pairedHigh)
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return $"the unpaired surrogate {code} at position {i}";
            }
        }
        return null;
    }

    /// <summary>The name as a diagnostic shows it: one line, the refused characters as escapes.</summary>
    private static string Displayed(string name)
    {
        string literal = Literal.String(name);
        return literal.Substring(1, literal.Length - 2);
    }
}
