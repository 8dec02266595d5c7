using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic ConvGen reports. ID ranges: CG0001–CG0099 usage and parsing, CG0100–CG0199
/// shapes, CG0200–CG0299 training configuration, CG0300–CG0399 limits. Each ID has a page at
/// docs/diagnostics/CGxxxx.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string UsageCategory = "ConvGen.Usage";
    private const string ShapeCategory = "ConvGen.Shapes";
    private const string LimitCategory = "ConvGen.Limits";
    // Relative to the repository root, where one page per ID explains the rule with an example.
    private const string HelpRoot = "docs/diagnostics/";

    public const string ClassNotPartialId = "CG0001";
    public const string MissingInputId = "CG0002";
    public const string MalformedInputId = "CG0003";
    public const string NonPositiveArgumentId = "CG0004";
    public const string DropoutRateOutOfRangeId = "CG0005";
    public const string NoLayersId = "CG0006";
    public const string TextSyntaxErrorId = "CG0007";
    public const string DuplicateLayerNameId = "CG0008";
    public const string UnsupportedClassShapeId = "CG0009";
    public const string LayersInBothFormsId = "CG0010";
    public const string UndefinedOptionValueId = "CG0011";
    public const string WindowLargerThanInputId = "CG0101";
    public const string DenseNeedsFlatInputId = "CG0102";
    public const string SpatialLayerOnFlatInputId = "CG0103";
    public const string SizeLimitExceededId = "CG0301";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(ClassNotPartialId, UsageCategory,
        "Network class must be partial",
        "Network class '{0}' must be declared partial so ConvGen can add the generated members");

    public static readonly DiagnosticDescriptor MissingInput = Error(MissingInputId, UsageCategory,
        "Network input shape is missing",
        "Network '{0}' declares no input shape: set [Network(Input = \"HxWxC\")], e.g. Input = \"28x28x1\", or start the text form with 'input HxWxC'");

    public static readonly DiagnosticDescriptor MalformedInput = Error(MalformedInputId, UsageCategory,
        "Network input shape is malformed",
        "Input shape '{0}' is not of the form HxWxC with three positive integers (height x width x channels), e.g. \"80x80x3\"");

    public static readonly DiagnosticDescriptor NonPositiveArgument = Error(NonPositiveArgumentId, UsageCategory,
        "Layer size must be positive",
        "layer {0} {1} '{2}': {3} is {4}, but it must be a positive integer");

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(DropoutRateOutOfRangeId, UsageCategory,
        "Dropout rate must be in [0, 1)",
        "layer {0} Dropout '{1}': rate {2} is outside [0, 1); it is the probability of dropping a value, e.g. 0.5");

    public static readonly DiagnosticDescriptor NoLayers = Error(NoLayersId, UsageCategory,
        "Network has no layers",
        "Network '{0}' has no layers: add layer attributes such as [Conv2D(8, 3)] after [Network], or lines to the text form");

    public static readonly DiagnosticDescriptor TextSyntaxError = Error(TextSyntaxErrorId, UsageCategory,
        "Text-form syntax error",
        "Network text line {0}, column {1}: {2}");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(DuplicateLayerNameId, UsageCategory,
        "Duplicate layer name",
        "layer {0} {1} '{2}': the name is already used by layer {3} {4}; layer names must be unique because parameters are named after them");

    public static readonly DiagnosticDescriptor UnsupportedClassShape = Error(UnsupportedClassShapeId, UsageCategory,
        "Network class cannot be generated",
        "Network class '{0}' {1}");

    public static readonly DiagnosticDescriptor LayersInBothForms = Error(LayersInBothFormsId, UsageCategory,
        "Layers declared twice",
        "Network '{0}' declares layers both as attributes and in the text form; use one of them");

    public static readonly DiagnosticDescriptor UndefinedOptionValue = Error(UndefinedOptionValueId, UsageCategory,
        "Option value is not defined",
        "layer {0} {1} '{2}': {3} = {4} is not a defined value; use one of {5}");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(WindowLargerThanInputId, ShapeCategory,
        "Window does not fit its input",
        "layer {0} {1} '{2}' ({3}) cannot slide over its {4} input: the output would be {5}; {6}");

    public static readonly DiagnosticDescriptor DenseNeedsFlatInput = Error(DenseNeedsFlatInputId, ShapeCategory,
        "Dense layer needs a flat input",
        "layer {0} Dense '{1}' receives a {2} tensor, but Dense takes a flat vector; insert [Flatten] (giving [{3}]) or a global pooling layer before it");

    public static readonly DiagnosticDescriptor SpatialLayerOnFlatInput = Error(SpatialLayerOnFlatInputId, ShapeCategory,
        "Spatial layer on a flat input",
        "layer {0} {1} '{2}' needs an HxWxC input, but receives the flat vector {3} produced by layer {4} {5}; move it before the Flatten / Dense / global pooling layer");

    public static readonly DiagnosticDescriptor SizeLimitExceeded = Error(SizeLimitExceededId, LimitCategory,
        "Network exceeds a size limit",
        "{0} {1}: {2} {3}, more than the {4} a .NET array can hold; {5}");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = new[]
    {
        ClassNotPartial, MissingInput, MalformedInput, NonPositiveArgument, DropoutRateOutOfRange, NoLayers,
        TextSyntaxError, DuplicateLayerName, UnsupportedClassShape, LayersInBothForms, UndefinedOptionValue,
        WindowLargerThanInput, DenseNeedsFlatInput, SpatialLayerOnFlatInput, SizeLimitExceeded,
    }.ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
