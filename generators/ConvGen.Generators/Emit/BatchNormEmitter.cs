using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// BatchNorm at inference: the running statistics folded into one scale and shift per channel
/// (<c>BatchNormKernels.Inference</c>). Training uses the batch statistics (Emit/Training).
/// </summary>
internal static class BatchNormEmitter
{
    public static void Emit(IndentedTextWriter w, LayerPlan l)
    {
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {MethodName(l)}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch)"))
        {
            w.WriteLine($"BatchNormKernels.Inference(input.Slice(0, {Arithmetic.Times("batch", l.Input.Length)}), output, {Gamma(l)}, {Beta(l)}, {RunningMean(l)}, {RunningVariance(l)}, {Literal.Float(l.BatchNorm!.Epsilon)});");
        }
    }

    public static string Gamma(LayerPlan l, string parameters = "parameters") => Slice(parameters, l.BatchNorm!.GammaOffset, l.BatchNorm.Channels);

    public static string Beta(LayerPlan l, string parameters = "parameters") => Slice(parameters, l.BatchNorm!.BetaOffset, l.BatchNorm.Channels);

    public static string RunningMean(LayerPlan l, string parameters = "parameters") => Slice(parameters, l.BatchNorm!.MeanOffset, l.BatchNorm.Channels);

    public static string RunningVariance(LayerPlan l, string parameters = "parameters") => Slice(parameters, l.BatchNorm!.VarianceOffset, l.BatchNorm.Channels);

    private static string Slice(string buffer, int offset, int length) => $"{buffer}.Slice({I(offset)}, {I(length)})";
}
