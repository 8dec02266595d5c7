using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Shapes;

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

    /// <summary>Characters of generated C#: a fixed part plus each layer's estimate.</summary>
    public static long Estimate(IReadOnlyList<LayerPlan> plans) => FixedBytes + plans.Sum(LayerBytes);

    // Calibrated against the emitter's output for single layers of each kind (HostileDeclarationTests
    // keeps whole networks within a small factor). What grows is the unrolled work: taps (loops
    // beyond the unroll budget), up to 8 input channels (more are a loop), and
    // one register block of output channels (further blocks are loops), scalar channels costing
    // more than vector lanes. Nothing grows without bound, so the layer count bounds the file.
    private const long FixedBytes = 11_000;

    private static long LayerBytes(LayerPlan layer)
    {
        long taps = layer.KernelHeight * (long)layer.KernelWidth <= WindowLoops.UnrollTapBudget ? layer.KernelHeight * (long)layer.KernelWidth : 1;
        int channels = layer.Output.Channels;
        long vectorLanes = Math.Min(channels / ChannelBlock.Lanes, ChannelBlock.MaxVectors) * (long)ChannelBlock.Lanes;
        long scalars = channels % ChannelBlock.Lanes;
        return layer.Kind switch
        {
            LayerKind.Conv2D => 12_000 + taps * (layer.Input.Channels <= 8 ? layer.Input.Channels : 1) * (vectorLanes * 60 + scalars * 240),
            LayerKind.MaxPool2D or LayerKind.AvgPool2D => 3_000 + taps * (vectorLanes / ChannelBlock.Lanes + scalars) * 130,
            LayerKind.BatchNorm => layer.Input.IsSpatial ? 27_000 : 9_000,
            LayerKind.Dense => 3_500,
            LayerKind.Add => 2_000,
            LayerKind.Activation or LayerKind.GlobalAvgPool2D or LayerKind.GlobalMaxPool2D => 2_000,
            _ => 1_000,
        };
    }
}
