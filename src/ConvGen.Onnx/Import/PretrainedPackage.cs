using System;
using System.IO;

namespace ConvGen.Onnx.Import;

/// <summary>
/// The ONNX files of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1: the
/// pretrained ImageNet ResNet-18 that ConvGen imports for transfer learning. A project fetches
/// them with <c>&lt;PackageDownload Include="Microsoft.ML.DnnImageFeaturizer.ResNet18" Version="[0.23.1]" /&gt;</c>
/// (the files only: a PackageReference would pull all of ML.NET), which puts them under the NuGet
/// package folder (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>).
/// </summary>
public static class PretrainedPackage
{
    private static string Root => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels");

    /// <summary>The headless ResNet-18 (CNTK export): NCHW BGR input minus the mean image, [1,3,224,224] to [1,512,1,1].</summary>
    /// <exception cref="FileNotFoundException">The package has not been downloaded; the message says how.</exception>
    public static string ResNet18 => Existing(Path.Combine(Root, "ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>The preprocessing graph: RGB to BGR, minus a per-pixel mean image (initializer <c>MeanImage</c>).</summary>
    /// <exception cref="FileNotFoundException">The package has not been downloaded; the message says how.</exception>
    public static string ResNetPreprocess => Existing(Path.Combine(Root, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException(
            $"{path} is missing: restore a project with <PackageDownload Include=\"Microsoft.ML.DnnImageFeaturizer.ResNet18\" Version=\"[0.23.1]\" /> "
            + "(the samples and tests that use it have one: 'dotnet restore' fetches it).", path);
}
