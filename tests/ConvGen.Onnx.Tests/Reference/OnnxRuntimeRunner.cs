using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.Onnx.Tests.Reference;

/// <summary>Runs an ONNX file with ONNX Runtime on one float input; the independent reference.</summary>
internal static class OnnxRuntimeRunner
{
    public static float[] Run(string modelPath, float[] input, params long[] shape)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 2 };
        using var session = new InferenceSession(modelPath, options);
        string inputName = session.InputMetadata.Keys.Single();
        string outputName = session.OutputMetadata.Keys.First();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
