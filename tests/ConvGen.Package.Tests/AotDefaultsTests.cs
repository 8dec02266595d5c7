using System.Collections.Generic;

namespace ConvGen.Package.Tests;

/// <summary>
/// A user's NativeAOT project that references only the ConvGen package gets the package's
/// build/ConvGen.targets: IlcInstructionSet x86-64-v3 unless the project chose one. Only restore
/// and the package's target run; tests/ConvGen.Aot.Tests publishes and runs a native executable.
/// </summary>
[Collection(PackedConvGenCollection.Name)]
public sealed class AotDefaultsTests(PackedConvGen packed)
{
    [Theory]
    [InlineData("", "x86-64-v3")]
    [InlineData("<IlcInstructionSet>x86-64-v4</IlcInstructionSet>", "x86-64-v4")]
    public void Aot_project_with_only_the_package_reference_gets_the_instruction_set(string choice, string expected)
    {
        string name = expected == "x86-64-v3" ? "AotDefault" : "AotChosen";
        string project = packed.CreateProject(name, new Dictionary<string, string>
        {
            [name + ".csproj"] = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                    <PublishAot>true</PublishAot>
                    {choice}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="ConvGen" Version="{packed.Version}" />
                  </ItemGroup>
                </Project>
                """,
            ["Program.cs"] = "System.Console.WriteLine(\"hello\");\n",
        });

        var restore = packed.Dotnet(project, new[] { "restore" }.With(DotnetCli.NoServers));
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var property = packed.Dotnet(project, new[] { "msbuild", "-t:ConvGenDefaultInstructionSet", "-getProperty:IlcInstructionSet" }.With(DotnetCli.NoServers));
        Assert.True(property.ExitCode == 0, property.ToString());
        Assert.Equal(expected, property.Output.Trim());
    }
}
