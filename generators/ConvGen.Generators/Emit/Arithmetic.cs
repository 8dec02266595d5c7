using System.Globalization;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Index arithmetic for generated code without literal identities: no <c>x * 1</c>, no
/// <c>+ 0</c>, and literal terms folded into one literal, so a reader sees only the arithmetic
/// the kernel does.
/// </summary>
internal static class Arithmetic
{
    /// <summary><paramref name="expression"/> times <paramref name="factor"/>; a sum is parenthesised.</summary>
    public static string Times(string expression, long factor)
    {
        if (factor == 0)
        {
            return "0";
        }
        if (long.TryParse(expression, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return KernelNames.I(value * factor);
        }
        if (factor == 1)
        {
            return expression;
        }
        return $"{Atom(expression)} * {KernelNames.I(factor)}";
    }

    /// <summary>The sum of the terms, literal terms folded into one trailing literal, zeros left out.</summary>
    public static string Sum(params string[] terms)
    {
        long constant = 0;
        var parts = new System.Collections.Generic.List<string>();
        foreach (string term in terms)
        {
            if (long.TryParse(term, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                constant += value;
            }
            else if (term.Length > 0)
            {
                parts.Add(term);
            }
        }
        if (constant != 0 || parts.Count == 0)
        {
            parts.Add(KernelNames.I(constant));
        }
        return string.Join(" + ", parts).Replace("+ -", "- ");
    }

    public static string Plus(string expression, long constant) => Sum(expression, KernelNames.I(constant));

    /// <summary>Parenthesises an expression that is not a single term.</summary>
    private static string Atom(string expression) => expression.Contains(" ") ? $"({expression})" : expression;
}
