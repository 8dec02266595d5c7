using System.Collections.Generic;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;

namespace ConvGen.Generators.Layers;

/// <summary>
/// A layer that adds or removes rows and columns at the border (ZeroPadding2D, Cropping2D). Both
/// take their sides as Keras does, in the attribute and in the text form alike: one number for
/// every side, two (rows above and below, columns left and right) or four (top, bottom, left,
/// right).
/// </summary>
internal abstract class BorderLayer : LayerDescriptor
{
    protected BorderLayer(LayerKind kind)
        : base(kind)
    {
    }

    /// <summary>The kind's record of the four sides, kept in <see cref="LayerSpec.KindOptions"/>.</summary>
    protected abstract KindData Border(int top, int bottom, int left, int right);

    /// <summary>What one number is, for the text form's error (<c>'x' is not a valid padding</c>).</summary>
    protected abstract string NumberMeaning { get; }

    public sealed override LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments)
    {
        if (!TakesTextNumbers(arguments.Count))
        {
            return null;
        }
        var sides = new int[arguments.Count];
        for (int i = 0; i < sides.Length; i++)
        {
            sides[i] = (int)arguments[i];
        }
        return With(blank, sides);
    }

    public sealed override string? ArgumentName(int position) => position switch { 0 => "top", 1 => "bottom", 2 => "left", 3 => "right", _ => null };

    /// <summary>The most it takes: four numbers; see <see cref="TakesTextNumbers"/> for the other counts.</summary>
    public sealed override int TextNumberCount => 4;

    /// <summary>One number (all sides), two (rows, columns) or four (top, bottom, left, right), as the attribute's constructors.</summary>
    public sealed override bool TakesTextNumbers(int count) => count is 1 or 2 or 4;

    public sealed override bool FromText(TextNumbers numbers, ref LayerSpec spec)
    {
        var sides = new int[numbers.Count];
        for (int i = 0; i < sides.Length; i++)
        {
            if (!numbers.TryInt(i, NumberMeaning, out sides[i]))
            {
                return false;
            }
        }
        spec = With(spec, sides);
        return true;
    }

    private LayerSpec With(LayerSpec spec, int[] sides) => spec with
    {
        KindOptions = sides.Length switch
        {
            1 => Border(sides[0], sides[0], sides[0], sides[0]),
            2 => Border(sides[0], sides[0], sides[1], sides[1]),
            _ => Border(sides[0], sides[1], sides[2], sides[3]),
        },
    };
}
