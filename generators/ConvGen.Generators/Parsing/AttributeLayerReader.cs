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
    public static LayerSpec? Read(AttributeData data, AttributeSyntax syntax, int index, List<DiagnosticInfo> diagnostics)
    {
        var location = LocationInfo.From(syntax);
        var args = data.ConstructorArguments;
        string kindName = data.AttributeClass!.Name.Substring(0, data.AttributeClass.Name.Length - "Attribute".Length);
        bool missingText = false;
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.Kind == TypedConstantKind.Error)
            {
                return null;
            }
            // Add's two layer names are the only text constructor arguments.
            if (arg.Type?.SpecialType == SpecialType.System_String && string.IsNullOrEmpty(arg.Value as string))
            {
                diagnostics.Add(MissingText(index, kindName, i == 0 ? "the first layer name" : "the second layer name", arg.Value,
                    LocationInfo.From(Positional(syntax, i)) ?? location, "name an earlier layer, e.g. Add(\"conv2d\", \"conv2d_1\")"));
                missingText = true;
            }
            else if (arg.Value is null)
            {
                return null;
            }
        }
        LayerSpec spec;
        switch (data.AttributeClass!.Name)
        {
            case "Conv2DAttribute":
                if (args.Length is not (2 or 3)) return null;
                spec = LayerSpec.Of(LayerKind.Conv2D, location) with
                {
                    Size = (int)args[0].Value!,
                    KernelHeight = (int)args[1].Value!,
                    KernelWidth = (int)args[args.Length - 1].Value!,
                };
                break;
            case "MaxPool2DAttribute":
            case "AvgPool2DAttribute":
                if (args.Length is not (1 or 2)) return null;
                spec = LayerSpec.Of(data.AttributeClass.Name == "MaxPool2DAttribute" ? LayerKind.MaxPool2D : LayerKind.AvgPool2D, location) with
                {
                    KernelHeight = (int)args[0].Value!,
                    KernelWidth = (int)args[args.Length - 1].Value!,
                };
                break;
            case "DenseAttribute":
                if (args.Length != 1) return null;
                spec = LayerSpec.Of(LayerKind.Dense, location) with { Size = (int)args[0].Value! };
                break;
            case "DropoutAttribute":
                if (args.Length != 1) return null;
                spec = LayerSpec.Of(LayerKind.Dropout, location) with { Rate = (double)args[0].Value! };
                break;
            case "ActivationAttribute":
                if (args.Length != 1) return null;
                spec = LayerSpec.Of(LayerKind.Activation, location) with { Activation = (ActivationKind)(int)args[0].Value! };
                break;
            case "AddAttribute":
                if (args.Length != 2) return null;
                spec = LayerSpec.Of(LayerKind.Add, location) with
                {
                    Sources = new EquatableArray<string>(new[] { (string)args[0].Value!, (string)args[1].Value! }),
                };
                break;
            case "BatchNormAttribute":
                spec = LayerSpec.Of(LayerKind.BatchNorm, location);
                break;
            case "GlobalMaxPool2DAttribute":
                spec = LayerSpec.Of(LayerKind.GlobalMaxPool2D, location);
                break;
            case "GlobalAvgPool2DAttribute":
                spec = LayerSpec.Of(LayerKind.GlobalAvgPool2D, location);
                break;
            case "FlattenAttribute":
                spec = LayerSpec.Of(LayerKind.Flatten, location);
                break;
            default:
                return null;
        }

        var optionLocations = new List<OptionLocation>();
        for (int i = 0; i < args.Length; i++)
        {
            optionLocations.Add(new OptionLocation(PositionalName(spec.Kind, i), LocationInfo.From(Positional(syntax, i)) ?? location));
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
                "Input" when value.Value is string source => spec with
                {
                    Sources = new EquatableArray<string>(spec.Kind == LayerKind.Add ? spec.Sources.Concat(new[] { source }).ToArray() : new[] { source }),
                },
                "Epsilon" => spec with { Epsilon = (double)value.Value! },
                "Momentum" => spec with { Momentum = (double)value.Value! },
                _ => spec,
            };
        }
        return missingText ? null : spec with { OptionLocations = optionLocations.ToEquatableArray() };
    }

    private static ExpressionSyntax? Positional(AttributeSyntax syntax, int position) =>
        syntax.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ElementAtOrDefault(position)?.Expression;

    /// <summary>The constructor parameter's name as messages and <see cref="LayerSpec.LocationOf"/> use it.</summary>
    private static string PositionalName(LayerKind kind, int position) => (kind, position) switch
    {
        (LayerKind.Dropout, 0) => "rate",
        (LayerKind.Dense, 0) => "units",
        (LayerKind.Conv2D, 0) => "filters",
        _ => "argument " + position,
    };

    private static DiagnosticInfo MissingText(int index, string kind, string what, object? value, LocationInfo? location, string advice) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.MissingTextArgument, location, $"layer {index} {kind}", what, value is null ? "null" : "empty", advice);
}
