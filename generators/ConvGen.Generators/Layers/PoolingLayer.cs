using System.Collections.Generic;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Layers;

/// <summary>
/// What the windowed and the global pools share in training: no parameters, the inference kernel
/// reused as is, and a backward kernel that routes the gradient to the maximum (which needs the
/// input and output) or spreads it over the window (which does not).
/// </summary>
internal abstract class PoolingLayer : LayerDescriptor
{
    protected PoolingLayer(LayerKind kind, bool max, string defaultName, params string[] textNames)
        : base(kind)
    {
        IsMax = max;
        DefaultName = defaultName;
        TextNames = textNames;
    }

    /// <summary>Max rather than average.</summary>
    protected bool IsMax { get; }

    public override IReadOnlyList<string> TextNames { get; }

    public override string DefaultName { get; }

    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        if (l.Source >= 0)
        {
            Separate(w);
            PoolBackwardEmitter.Emit(w, l);
        }
    }

    public override void WriteForwardTraining(TrainingStep step) => step.CallKernel(MethodName(step.Layer), $"{step.Input}, {step.Output}, batch");

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        if (l.Source < 0)
        {
            return;
        }
        string arguments = IsMax ? $"{step.Input}, {step.Output}, gradient, spare, batch" : "gradient, spare, batch";
        step.Writer.WriteLine($"{step.Kernels}.{TrainingMembersEmitter.BackwardName(l)}({arguments});");
        step.Writer.WriteLine(SwapGradients);
    }
}
