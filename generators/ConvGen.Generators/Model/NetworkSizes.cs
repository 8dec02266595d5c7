using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model;

/// <summary>
/// What the configurable limits (<see cref="SizeBudget"/>) are checked against: per layer, its
/// parameters and output, with the location to report at. Kept apart from the emit model so
/// that changing a limit re-runs only the diagnostics.
/// </summary>
internal sealed record NetworkSizes(string ClassName, long InputLength, EquatableArray<LayerSize> Layers)
{
    /// <summary>Estimated characters of generated C# (Analysis/CodeBudget).</summary>
    public long CodeBytes { get; init; }

    /// <summary>The <c>[Network]</c> attribute, where CG0306 is reported.</summary>
    public LocationInfo? Location { get; init; }
}

/// <param name="Subject">How messages name the layer, e.g. <c>layer 5 Dense 'dense'</c>.</param>
/// <param name="ParameterText">e.g. <c>weights [5184,64] + bias [64]</c>; empty without parameters.</param>
/// <param name="OutputText">e.g. <c>37x37x16</c>.</param>
/// <param name="FewerParameters">Advice when this layer holds most of an oversized network's parameters (its kind's own).</param>
internal sealed record LayerSize(string Subject, string FewerParameters, long Parameters, string ParameterText, long OutputLength, string OutputText, LocationInfo? Location);

/// <summary>
/// The limits behind CG0302 / CG0303, read from the MSBuild properties
/// <c>ConvGenMaxParameters</c> and <c>ConvGenMaxActivationBytes</c> (see docs/diagnostics).
/// </summary>
/// <param name="SettingProblems">CG0304 for each property that was set but unreadable (its default is used instead).</param>
internal sealed record SizeBudget(long MaxParameters, long MaxActivationBytes, EquatableArray<DiagnosticInfo> SettingProblems)
{
    /// <summary>CG0306: layers per network; several times the deepest Keras application models (DenseNet-201 has 707 layers).</summary>
    public long MaxLayers { get; init; } = DefaultMaxLayers;

    /// <summary>CG0306: estimated characters of generated C# per network; the larger test networks are a few hundred KB.</summary>
    public long MaxGeneratedCodeBytes { get; init; } = DefaultMaxGeneratedCodeBytes;

    public const long DefaultMaxLayers = 2_000;
    public const long DefaultMaxGeneratedCodeBytes = 64L * 1024 * 1024;
    public const string MaxLayersProperty = "ConvGenMaxLayers";
    public const string MaxGeneratedCodeBytesProperty = "ConvGenMaxGeneratedCodeBytes";

    /// <summary>50 million float32 parameters: 200 MB of weights, about 800 MB with gradients and Adam's moments.</summary>
    public const long DefaultMaxParameters = 50_000_000;

    /// <summary>64 MiB per sample: above VGG-16's activations at 224x224; a batch of 32 then needs 2 GiB.</summary>
    public const long DefaultMaxActivationBytes = 64L * 1024 * 1024;

    public const string MaxParametersProperty = "ConvGenMaxParameters";
    public const string MaxActivationBytesProperty = "ConvGenMaxActivationBytes";

    public static SizeBudget Default { get; } = new(DefaultMaxParameters, DefaultMaxActivationBytes, EquatableArray<DiagnosticInfo>.Empty);
}
