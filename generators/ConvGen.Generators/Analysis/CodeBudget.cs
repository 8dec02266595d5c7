using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// CG0306: generated code grows with the number of layers (each gets shape-specialised forward,
/// backward and gradient kernels), and the compiler needs many times the file's size in memory.
/// A 10,000-line text form would write about 180 MB of C# and take the compiler past 14 GB, so
/// the size is estimated from the inferred layers and checked against the limits
/// (<see cref="SizeBudget.MaxLayers"/>, <see cref="SizeBudget.MaxGeneratedCodeBytes"/>) before
/// anything is emitted: a network over them gets this error and no code.
/// </summary>
internal static class CodeBudget
{
    public static bool Allows(NetworkSizes? sizes, SizeBudget budget) => Check(sizes, budget) is null;

    public static DiagnosticInfo? Check(NetworkSizes? sizes, SizeBudget budget)
    {
        if (sizes is null || sizes.Layers.Count <= budget.MaxLayers && sizes.CodeBytes <= budget.MaxGeneratedCodeBytes)
        {
            return null;
        }
        return DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedCodeTooLarge, sizes.Location,
            sizes.ClassName, SizeBudgetCheck.Bytes(sizes.CodeBytes), sizes.Layers.Count.ToString("N0", CultureInfo.InvariantCulture),
            SizeBudgetCheck.Bytes(budget.MaxGeneratedCodeBytes), budget.MaxLayers.ToString("N0", CultureInfo.InvariantCulture),
            "split it into several networks (the output of one is the input of the next) or use fewer layers");
    }

    /// <summary>Characters of generated C#: a fixed part plus each layer's estimate (its descriptor's, calibrated against its emitter).</summary>
    public static long Estimate(IReadOnlyList<LayerPlan> plans, LayerTable<ILayerRules> rules) => FixedBytes + plans.Sum(p => rules[p.Kind].EstimateCodeBytes(p));

    // Calibrated against the emitter's output for an empty network (HostileDeclarationTests keeps
    // whole networks within a small factor). Nothing grows without bound, so the layer count bounds the file.
    private const long FixedBytes = 11_000;
}
