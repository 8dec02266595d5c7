using System;
using System.IO;

namespace TransferLearning;

/// <summary>
/// The ONNX files of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, which the project
/// fetches with PackageDownload into the NuGet package folder (no assembly, no ML.NET).
/// </summary>
internal static class PretrainedPackage
{
    private static string Root
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels");
        }
    }

    public static string ResNet18 => Existing(Path.Combine(Root, "ResNet18Onnx", "ResNet18.onnx"));

    public static string Preprocess => Existing(Path.Combine(Root, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run 'dotnet restore samples/TransferLearning' (it downloads NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1).", path);
}
