using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Parsing;

/// <summary>Reads one layer attribute's constructor and named arguments into a <see cref="LayerSpec"/>.</summary>
internal static class AttributeLayerReader
{
    /// <summary>Returns null when the attribute has errors the compiler already reports.</summary>
    public static LayerSpec? Read(AttributeData data, LocationInfo? location)
    {
        var args = data.ConstructorArguments;
        foreach (var arg in args)
        {
            if (arg.Kind == TypedConstantKind.Error || arg.Value is null)
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

        foreach (var named in data.NamedArguments)
        {
            var value = named.Value;
            if (value.Kind == TypedConstantKind.Error || value.Value is null && named.Key is not ("Name" or "Input"))
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
                "Alpha" => spec with { Alpha = (double)value.Value! },
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
        return spec;
    }
}
