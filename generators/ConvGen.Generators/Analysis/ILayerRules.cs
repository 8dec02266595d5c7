using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// What analysis needs to know about one layer kind: its rules, its shape inference, where its
/// parameters go and how they are named. Implemented by the kind's descriptor in Layers/, handed
/// in as a <see cref="LayerTable{T}"/> by NetworkGenerator; analysis never names a kind's folder.
/// </summary>
internal interface ILayerRules : ILayerKindPart, ILayerDescriber
{
    /// <summary>Keras's default name stem (<c>conv2d</c>, then <c>conv2d_1</c>, ...).</summary>
    string DefaultName { get; }

    ActivationRole ActivationRole { get; }

    /// <summary>How many earlier layers it names in its own arguments (Add: 2); 0 for a layer that reads the previous one or its <c>Input</c>.</summary>
    int NamedSources { get; }

    /// <summary>Whether <see cref="NamedSources"/> is the fewest it names rather than the exact count (Concatenate: two or more).</summary>
    bool NamesMoreSources { get; }

    /// <summary>Does nothing at inference: its output aliases its input (Flatten, Dropout).</summary>
    bool IsIdentityAtInference { get; }

    /// <summary>A BatchNorm right after it (and read only by that BatchNorm) folds into it at inference, when it has no activation.</summary>
    bool AbsorbsFollowingBatchNorm { get; }

    /// <summary>Its inference entry can store a residual Add's sum from its register tile (Emit/ResidualFolding); the plan has its folded BatchNorm, if any.</summary>
    bool StoresResidualSum(LayerPlan plan);

    /// <summary>Its floating-point options besides Alpha, checked to be finite as float32 (CG0020) before anything else.</summary>
    IEnumerable<FloatOption> FloatOptions(LayerSpec layer);

    /// <summary>
    /// Checks the arguments against the inputs (one per source; two for Add) and returns the plan,
    /// with its parameters taken from <paramref name="parameters"/>; or null after reporting an error.
    /// Sources, names, activation and counts are filled in by the caller.
    /// </summary>
    LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics);

    /// <summary>Its parameters as size messages name them, e.g. <c>weights [5184,64] + bias [64]</c>; empty without parameters.</summary>
    string ParameterText(LayerPlan plan);

    /// <summary>CG0302's advice when this layer holds the most parameters.</summary>
    string FewerParametersAdvice { get; }

    /// <summary>Its named tensors; <paramref name="stem"/> is the unique Pascal-case prefix of their view properties.</summary>
    IEnumerable<ParameterTensor> ParameterTensors(LayerPlan plan, string stem);

    /// <summary>Estimated characters of generated C# for this layer (forward, backward and gradient kernels), for CG0306.</summary>
    long EstimateCodeBytes(LayerPlan plan);
}

/// <summary>A floating-point option as the attribute (<c>Epsilon</c>) and the text form (<c>eps</c>) write it, with advice for a bad value.</summary>
internal sealed record FloatOption(string Option, string TextOption, double Value, string Advice);

/// <summary>Hands out places in the network's single parameter buffer, in layer order.</summary>
internal sealed class ParameterAllocator
{
    /// <summary>Values allocated so far; may pass int's range, which the caller reports (CG0301) before the plan is used.</summary>
    public long Next { get; private set; }

    /// <summary>The offset of <paramref name="count"/> new values.</summary>
    public int Take(long count)
    {
        int at = unchecked((int)Next);
        Next += count;
        return at;
    }
}
