using System;
using System.Linq;
using System.Reflection;

namespace ConvGen.Aot.Tests;

/// <summary>
/// Every runtime library is built with IsAotCompatible (so the trim, AOT and single-file analyzers
/// run on it, and with TreatWarningsAsErrors any finding fails its build); the SDK then marks the
/// assembly IsTrimmable, which is what a trimmed or NativeAOT publish reads.
/// </summary>
public sealed class LibraryTrimmabilityTests
{
    [Theory]
    [InlineData(typeof(ConvGen.Serialization.WeightsFile))]
    [InlineData(typeof(ConvGen.Onnx.Import.OnnxImporter))]
    [InlineData(typeof(ConvGen.Data.SyntheticShapes))]
    [InlineData(typeof(ConvGen.Plots.TrainingPlots))]
    public void Library_assembly_is_marked_trimmable(Type publicType)
    {
        var assembly = publicType.Assembly;
        string? trimmable = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "IsTrimmable")?.Value;
        Assert.True(trimmable == "True", $"{assembly.GetName().Name} has no [AssemblyMetadata(\"IsTrimmable\", \"True\")]: set IsAotCompatible in its project.");
    }
}
