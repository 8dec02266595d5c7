using System;
using System.IO;

namespace ConvGen.Tool.Tests;

/// <summary>The ONNX files of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (PackageDownload).</summary>
internal static class PretrainedModels
{
    private static string PackageRoot => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels");

    /// <summary>The headless ResNet-18 (CNTK export), 224x224x3 to 512 features.</summary>
    public static string ResNet18 => Existing(Path.Combine(PackageRoot, "ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>The preprocessing graph (Split, Concat, Sub: nothing ConvGen maps).</summary>
    public static string ResNetPreprocess => Existing(Path.Combine(PackageRoot, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing; run 'dotnet restore' on the test project (PackageDownload Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1).", path);
}
