using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators.Parsing;

/// <summary>Reads one layer attribute's constructor and named arguments into a <see cref="LayerSpec"/>.</summary>
internal static class AttributeLayerReader
{
    /// <summary>
    /// Returns null when the attribute has errors the compiler already reports, or when a text
    /// argument is null or empty (CG0019, added to <paramref name="diagnostics"/>).
    /// </summary>
    /// <param name="index">The layer's index, for messages.</param>
    public static LayerSpec? Read(AttributeData data, AttributeSyntax syntax, int index, List<DiagnosticInfo> diagnostics, LayerTable<ILayerSyntax> kinds)
    {
        var location = LocationInfo.From(syntax);
        string kindName = data.AttributeClass!.Name.Substring(0, data.AttributeClass.Name.Length - "Attribute".Length);
        bool missingText = false;
        // A params array (Concatenate's further names) counts as that many arguments; a null array is a missing name.
        var args = new List<TypedConstant>();
        foreach (var a in data.ConstructorArguments)
        {
            if (a.Kind != TypedConstantKind.Array)
            {
                args.Add(a);
            }
            else if (!a.IsNull)
            {
                args.AddRange(a.Values);
            }
            else
            {
                diagnostics.Add(MissingText(index, kindName, $"layer name {args.Count + 1}", null, LocationInfo.From(Positional(syntax, args.Count)) ?? location,
                    $"name an earlier layer, e.g. {kindName}(\"conv2d\", \"conv2d_1\")"));
                missingText = true;
            }
        }
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Kind == TypedConstantKind.Error)
            {
                return null;
            }
            // Add's two layer names are the only text constructor arguments.
            if (arg.Type?.SpecialType == SpecialType.System_String && string.IsNullOrEmpty(arg.Value as string))
            {
                diagnostics.Add(MissingText(index, kindName, i switch { 0 => "the first layer name", 1 => "the second layer name", _ => $"layer name {i + 1}" }, arg.Value,
                    LocationInfo.From(Positional(syntax, i)) ?? location, $"name an earlier layer, e.g. {kindName}(\"conv2d\", \"conv2d_1\")"));
                missingText = true;
            }
            else if (arg.Value is null)
            {
                return null;
            }
        }
        var kind = kinds.ByAttributeClass(data.AttributeClass!.Name);
        // Add's layer names may be missing (reported above); its descriptor never sees them then.
        var spec = kind is null || missingText ? null : kind.FromAttribute(LayerSpec.Of(kind.Kind, location), args.Select(a => a.Value!).ToList());
        if (kind is null || (spec is null && !missingText))
        {
            return null;
        }
        spec ??= LayerSpec.Of(kind.Kind, location);

        var optionLocations = new List<OptionLocation>();
        for (int i = 0; i < args.Count; i++)
        {
            optionLocations.Add(new OptionLocation(kind.ArgumentName(i) ?? "argument " + i, LocationInfo.From(Positional(syntax, i)) ?? location));
        }
        foreach (var named in data.NamedArguments)
        {
            var value = named.Value;
            var argumentSyntax = syntax.ArgumentList?.Arguments.LastOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
            var argumentLocation = LocationInfo.From(argumentSyntax) ?? location;
            optionLocations.Add(new OptionLocation(named.Key, argumentLocation));
            if (value.Kind == TypedConstantKind.Error)
            {
                return null;
            }
            if (named.Key is "Name" or "Input" && string.IsNullOrEmpty(value.Value as string))
            {
                diagnostics.Add(MissingText(index, kindName, named.Key, value.Value, argumentLocation, named.Key == "Name"
                    ? "give the layer a name, or leave Name out for the Keras default (conv2d, conv2d_1, ...)"
                    : "name an earlier layer, or leave Input out to read the previous layer"));
                missingText = true;
                continue;
            }
            if (value.Value is null)
            {
                return null;
            }
            if (named.Key.StartsWith("Pad", System.StringComparison.Ordinal) && named.Key != "Padding")
            {
                var pads = spec.Pads ?? new ExplicitPadding(0, 0, 0, 0);
                int side = (int)value.Value!;
                spec = spec with
                {
                    Pads = named.Key switch
                    {
                        "PadTop" => pads with { Top = side },
                        "PadBottom" => pads with { Bottom = side },
                        "PadLeft" => pads with { Left = side },
                        _ => pads with { Right = side },
                    },
                };
                continue;
            }
            spec = named.Key switch
            {
                "Name" => spec with { Name = value.Value as string },
                "Stride" => spec with { Stride = (int)value.Value! },
                "Dilation" => spec with { Dilation = (int)value.Value! },
                "Padding" => spec with { Padding = (PaddingKind)(int)value.Value! },
                "Activation" => spec with { Activation = (ActivationKind)(int)value.Value! },
                "Alpha" => spec with { Alpha = (double)value.Value!, HasAlpha = true },
                "UseBias" => spec with { UseBias = (bool)value.Value! },
                // Add names its two summands itself: an Input on it is kept as a third source, which the graph check refuses.
                "Input" when value.Value is string source && (kind.Options & LayerOptions.ManySources) != 0 => kind.ReadNamedArgument(spec, named.Key, source) ?? spec,
                "Input" when value.Value is string source => spec with
                {
                    Sources = new EquatableArray<string>((kind.Options & LayerOptions.NamedSources) != 0 ? spec.Sources.Concat(new[] { source }).ToArray() : new[] { source }),
                },
                "Epsilon" => spec with { Epsilon = (double)value.Value! },
                "Momentum" => spec with { Momentum = (double)value.Value! },
                // Named arguments only this kind has are its descriptor's to read.
                _ => kind.ReadNamedArgument(spec, named.Key, value.Value!) ?? spec,
            };
        }
        return missingText ? null : spec with { OptionLocations = optionLocations.ToEquatableArray() };
    }

    private static ExpressionSyntax? Positional(AttributeSyntax syntax, int position) =>
        syntax.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ElementAtOrDefault(position)?.Expression;

    private static DiagnosticInfo MissingText(int index, string kind, string what, object? value, LocationInfo? location, string advice) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.MissingTextArgument, location, $"layer {index} {kind}", what, value is null ? "null" : "empty", advice);
}
