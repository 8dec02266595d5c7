using System.Globalization;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Parsing;

/// <summary>Parses <c>HxWxC</c> (also accepting <c>X</c> and <c>*</c> as separators and surrounding spaces).</summary>
internal static class InputShapeParser
{
    public static InputSpec? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split('x', 'X', '*');
        if (parts.Length != 3)
        {
            return null;
        }
        var dims = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] <= 0)
            {
                return null;
            }
        }
        return new InputSpec(dims[0], dims[1], dims[2]);
    }
}
