using System;
using System.IO;

namespace ConvGen.Onnx.Tests.Reference;

/// <summary>
/// Paths of the ONNX files in the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1,
/// which the test project fetches with PackageDownload (no assembly reference, no ML.NET).
/// </summary>
internal static class PretrainedModels
{
    private static string PackageRoot
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels");
        }
    }

    /// <summary>The headless ResNet-18 (CNTK export): NCHW BGR input minus the mean image → [1,512,1,1].</summary>
    public static string ResNet18 => Existing(Path.Combine(PackageRoot, "ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>The preprocessing graph: RGB → BGR, minus a per-pixel mean image.</summary>
    public static string ResNetPreprocess => Existing(Path.Combine(PackageRoot, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing; run 'dotnet restore' on the test project (PackageDownload Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1).", path);
}
