using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// How one layer kind is written: its attribute and its constructor arguments, its text-form
/// names and numbers, and which options it takes. Implemented by the kind's descriptor in
/// Layers/, handed in as a <see cref="LayerTable{T}"/> by NetworkGenerator; the parsers never name
/// a kind's folder.
/// </summary>
internal interface ILayerSyntax : ILayerKindPart
{
    /// <summary>The attribute class in namespace ConvGen, e.g. <c>Conv2DAttribute</c>.</summary>
    string AttributeClass { get; }

    /// <summary>Names of its text-form lines, the first as error messages list it (<c>conv2d</c>, <c>conv</c>).</summary>
    IReadOnlyList<string> TextNames { get; }

    /// <summary>The options it takes besides <c>name</c> (and <c>input</c> unless it names its sources).</summary>
    LayerOptions Options { get; }

    /// <summary>
    /// The spec from the attribute's constructor argument values (already checked to be non-null),
    /// or null when their count matches none of its constructors (the compiler reports that).
    /// </summary>
    LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments);

    /// <summary>The constructor parameter at <paramref name="position"/> as messages name it (<c>filters</c>), or null for "argument N".</summary>
    string? ArgumentName(int position);

    /// <summary>How many numbers follow its name in the text form (<c>conv2d 32 3</c>: 2).</summary>
    int TextNumberCount { get; }

    /// <summary>Whether <paramref name="count"/> numbers may follow its name (<see cref="TextNumberCount"/>, or other counts for a kind with several forms).</summary>
    bool TakesTextNumbers(int count);

    /// <summary>How the error for a wrong count says what it takes: <c>2 numbers</c>, <c>1, 2 or 4 numbers</c>.</summary>
    string TextNumberCountText { get; }

    /// <summary>The usage shown when the count is wrong, e.g. <c>dense UNITS, e.g. 'dense 64 relu'</c>; <paramref name="head"/> is the name as written, lower case.</summary>
    string TextUsage(string head);

    /// <summary>Reads the numbers (exactly <see cref="TextNumberCount"/>) into the spec; false after reporting a malformed one.</summary>
    bool FromText(TextNumbers numbers, ref LayerSpec spec);

    /// <summary>
    /// A named attribute argument the shared ones (Name, Input, Stride, Padding, Pad*, Dilation,
    /// Activation, Alpha, UseBias, Epsilon, Momentum) do not cover: the spec with it (typically in
    /// <see cref="LayerSpec.KindOptions"/>), or null when the kind has no such option.
    /// </summary>
    LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value);

    /// <summary>
    /// A text option <c>key=value</c> the shared ones do not cover (<paramref name="key"/> in lower
    /// case, the value as the only number of <paramref name="value"/>): true when read, false after
    /// reporting a malformed value, null when the kind has no such option.
    /// </summary>
    bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec);
}

/// <summary>Options a layer kind takes, for the text form's checks (the attribute classes declare their own properties).</summary>
[Flags]
internal enum LayerOptions
{
    None = 0,

    /// <summary><c>stride</c>, <c>padding</c> (and the bare <c>same</c> / <c>valid</c>), <c>pads</c>.</summary>
    Window = 1,

    /// <summary><c>dilation</c>.</summary>
    Dilation = 2,

    /// <summary><c>activation</c>, <c>alpha</c>, and a bare activation name (<c>relu</c>).</summary>
    Activation = 4,

    /// <summary><c>bias</c> / <c>use_bias</c> and the bare <c>nobias</c>.</summary>
    Bias = 8,

    /// <summary><c>eps</c> / <c>epsilon</c> and <c>momentum</c>.</summary>
    Statistics = 16,

    /// <summary>Its arguments name the earlier layers it reads (Add); it takes no <c>input</c>.</summary>
    NamedSources = 32,

    /// <summary>A line that is just an activation name (<c>relu</c>) is a layer of this kind.</summary>
    ActivationLine = 64,
}

/// <summary>Finding a kind's syntax by what the user wrote.</summary>
internal static class LayerSyntaxLookup
{
    public static ILayerSyntax? ByAttributeClass(this LayerTable<ILayerSyntax> kinds, string attributeClass) =>
        kinds.All.FirstOrDefault(k => k.AttributeClass == attributeClass);

    /// <summary>An attribute name as written (<c>Conv2D</c>, <c>Conv2DAttribute</c>) that names a layer attribute.</summary>
    public static bool IsLayerAttribute(this LayerTable<ILayerSyntax> kinds, string written) =>
        kinds.All.Any(k => k.AttributeClass == written || k.AttributeClass == written + "Attribute");

    public static ILayerSyntax? ByTextName(this LayerTable<ILayerSyntax> kinds, string name) =>
        kinds.All.FirstOrDefault(k => k.TextNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)));

    public static ILayerSyntax? WithOption(this LayerTable<ILayerSyntax> kinds, LayerOptions option) =>
        kinds.All.FirstOrDefault(k => (k.Options & option) != 0);
}
