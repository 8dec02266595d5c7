using System;
using System.Collections.Generic;
using ConvGen.Package.Tests;

namespace ConvGen.Aot.Tests;

/// <summary>
/// The package's build/ConvGen.targets (imported by samples/AotClassifier as the package imports
/// it into a user's project): which IlcInstructionSet a NativeAOT publish gets. Only the target
/// runs, so nothing is compiled.
/// </summary>
public sealed class InstructionSetDefaultTests
{
    private static readonly TimeSpan Backstop = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData("", "x86-64-v3")]                                              // nothing chosen: AVX2 + FMA
    [InlineData("-p:IlcInstructionSet=native", "native")]                      // the user's choice wins
    [InlineData("-p:IlcInstructionSet=x86-64-v4", "x86-64-v4")]
    [InlineData("-p:ConvGenDefaultInstructionSet=false", "")]                  // opted out: the .NET default
    [InlineData("-p:RuntimeIdentifier=linux-arm64", "")]                       // not x64: nothing to fix
    [InlineData("-p:PublishAot=false", "")]                                    // not a NativeAOT publish
    public void Aot_publish_gets_the_instruction_set(string property, string expected)
    {
        var arguments = new List<string>
        {
            "msbuild", PublishedClassifier.SampleProject, "-t:ConvGenDefaultInstructionSet", "-getProperty:IlcInstructionSet",
            "-p:Configuration=" + PublishedClassifier.Configuration,
        };
        if (property.Length > 0)
        {
            arguments.Add(property);
        }
        var result = DotnetCli.Run(DotnetCli.RepositoryRoot(), new Dictionary<string, string>(), Backstop, arguments.ToArray().With(DotnetCli.NoServers));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.Output.Trim());
    }
}
