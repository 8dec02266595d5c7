using System.Collections.Generic;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Layers;

/// <summary>
/// What Conv2D and Dense share: a weight tensor and an optional bias, a fused activation, and the
/// same training shape (the forward entry run with activate: false, or as it is for a ReLU, a weight
/// gradient, an input gradient).
/// </summary>
internal abstract class WeightedLayer : LayerDescriptor
{
    protected WeightedLayer(LayerKind kind)
        : base(kind)
    {
    }

    public override ActivationRole ActivationRole => ActivationRole.Fused;

    public override bool ReadsParameters => true;

    /// <summary>The forward kernel under <paramref name="name"/> (its activation as in <paramref name="l"/>).</summary>
    protected abstract void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? name);

    protected abstract void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog);

    protected abstract void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog);

    /// <summary>Arguments the input-gradient kernel takes before the gradients (a scratch buffer), with a trailing comma.</summary>
    protected virtual string InputGradientScratch(LayerPlan l) => "";

    /// <summary>Arguments the input-gradient kernel takes after the batch (the buffers that gate its store), each with a leading comma.</summary>
    protected virtual string InputGradientGates(TrainingStep step) => "";

    public override void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog) => EmitForward(w, layer, catalog, null);

    public override void WriteTrainingKernels(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        // Training's forward is the inference entry (see Conv2DEmitter.ActivateParameter).
        if (HasWeightGradientKernel)
        {
            Separate(w);
            EmitWeightGradient(w, l, catalog);
        }
        if (l.Source >= 0)
        {
            Separate(w);
            EmitInputGradient(w, l, catalog);
        }
    }

    public override void WriteForwardTraining(TrainingStep step)
    {
        step.CallKernel(MethodName(step.Layer), $"_parameters, {step.Input}, {step.PreActivation}, batch{step.KeepPreActivation}");
        step.ApplyActivation();
    }

    public override void WriteBackward(TrainingStep step)
    {
        var l = step.Layer;
        var w = step.Writer;
        w.WriteLine($"if (!_frozen[{I(l.Index)}]) {WeightGradientStatement(step)}");
        w.WriteLine($"progress?.GradientsFinalFrom({I(l.WeightOffset)});");
        if (l.Source >= 0)
        {
            w.WriteLine($"if ({step.NeedsInputGradient}) {{ {step.Kernels}.{TrainingMembersEmitter.InputGradientName(l)}(_parameters, {InputGradientScratch(l)}gradient, spare, batch{InputGradientGates(step)}); {SwapGradients} }}");
        }
    }

    /// <summary>Whether the layer has a generated weight-gradient kernel (Dense's runs in the runtime through the chunks).</summary>
    protected virtual bool HasWeightGradientKernel => true;

    /// <summary>Backward's statement that makes the layer's parameter gradients, chunk by chunk.</summary>
    protected virtual string WeightGradientStatement(TrainingStep step)
    {
        var l = step.Layer;
        return step.ChunkedWeightGradient(TrainingMembersEmitter.WeightGradientName(l), step.Input, l.Input.Length, "gradient", l.Output.Length, l.WeightOffset, l.WeightCount + l.BiasCount);
    }

    /// <summary>The weight tensor, and the bias when there is one.</summary>
    protected static IEnumerable<ParameterTensor> WeightAndBias(LayerPlan l, string stem, int[] shape, string layout, int fanIn, int fanOut)
    {
        yield return Tensor(l, stem, "weight", "Weight", shape, layout, l.WeightOffset, l.WeightCount,
            Analysis.ParameterNames.WeightInit(l.Activation), fanIn, fanOut);
        if (l.BiasCount > 0)
        {
            yield return Tensor(l, stem, "bias", "Bias", new[] { l.BiasCount }, "O", l.BiasOffset, l.BiasCount, "Zeros");
        }
    }

    /// <summary><c>weights [...]</c>, then <c> + bias [N]</c> when there is one.</summary>
    protected static string WeightText(LayerPlan l, string weights) => l.BiasCount > 0 ? $"{weights} + bias [{l.BiasCount}]" : weights;

    /// <summary>Takes the weights, then the bias, from the parameter buffer.</summary>
    protected static WeightTensors TakeWeights(Analysis.ParameterAllocator parameters, int weights, int bias)
    {
        int weightOffset = parameters.Take(weights);
        return new WeightTensors(weightOffset, weights, parameters.Take(bias), bias);
    }
}
