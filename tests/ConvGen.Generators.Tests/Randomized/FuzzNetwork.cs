using System.Collections.Generic;

namespace ConvGen.Generators.Tests.Randomized;

/// <summary>One random layer, as declared (values may be invalid, extreme or missing).</summary>
/// <param name="Size">Filters (Conv2D) or units (Dense).</param>
/// <param name="TwoKernelArguments">The window is written as height and width (<c>Conv2D(8, 3, 5)</c>, <c>3x5</c>).</param>
/// <param name="Broken">A C# mistake the compiler reports: "missing" (no arguments) or "wrong type".</param>
internal sealed record FuzzLayer(
    string Kind,
    int Size = 0,
    int KernelHeight = 0,
    int KernelWidth = 0,
    bool TwoKernelArguments = false,
    int? Stride = null,
    int? Padding = null,
    int? Dilation = null,
    int? Activation = null,
    bool? UseBias = null,
    string? Name = null,
    double Rate = 0,
    string? Broken = null);

/// <summary>
/// One random network: its input text (null: none given), its layers, how the class is
/// declared ("ok" or a mistake) and whether it is written in the text form.
/// </summary>
internal sealed record FuzzNetwork(int Id, string? Input, List<FuzzLayer> Layers, string ClassVariant, bool TextForm, bool InputInTextLine)
{
    public string ClassName => $"Net{Id}";

    public string FileName => $"Case{Id}.cs";

    public string GeneratedFileName => $"Fuzz.{ClassName}.g.cs";
}
