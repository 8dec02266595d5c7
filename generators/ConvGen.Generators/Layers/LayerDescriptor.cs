using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Analysis;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Emit;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Generators.Parsing;

namespace ConvGen.Generators.Layers;

/// <summary>
/// Everything ConvGen knows about one layer kind, in one place: how it is written
/// (<see cref="ILayerSyntax"/>), its rules, shape inference and parameters
/// (<see cref="ILayerRules"/>), and its kernels and training code (<see cref="ILayerEmitter"/>).
/// Each stage defines the interface it needs and sees a descriptor only through it, handed in by
/// NetworkGenerator from <see cref="LayerCatalog"/>; so Layers/ may use every stage, and no stage
/// names Layers/. The defaults here are those of a kind without options, parameters or
/// training kernels; docs/contributing/adding-a-layer.md walks through adding a kind.
/// Descriptors are stateless singletons: they never enter the incremental pipeline's cached values.
/// </summary>
internal abstract class LayerDescriptor : ILayerSyntax, ILayerRules, ILayerEmitter
{
    protected LayerDescriptor(LayerKind kind)
    {
        Kind = kind;
    }

    public LayerKind Kind { get; }

    // ---- Parsing: how the kind is written ----

    /// <summary>The attribute class is named after the kind: <c>Conv2D</c> is <c>[Conv2D(...)]</c>.</summary>
    public string AttributeClass => Kind + "Attribute";

    public abstract IReadOnlyList<string> TextNames { get; }

    public virtual LayerOptions Options => LayerOptions.None;

    /// <summary>A kind without constructor arguments.</summary>
    public virtual LayerSpec? FromAttribute(LayerSpec blank, IReadOnlyList<object> arguments) => arguments.Count == 0 ? blank : null;

    public virtual string? ArgumentName(int position) => null;

    public virtual int TextNumberCount => 0;

    public virtual bool TakesTextNumbers(int count) => count == TextNumberCount;

    public virtual string TextUsage(string head) => head + " (no sizes)";

    public virtual bool FromText(TextNumbers numbers, ref LayerSpec spec) => true;

    public virtual LayerSpec? ReadNamedArgument(LayerSpec spec, string name, object value) => null;

    public virtual bool? ReadTextOption(string key, TextNumbers value, ref LayerSpec spec) => null;

    // ---- Analysis: rules, shapes, parameters ----

    public abstract string DefaultName { get; }

    public virtual ActivationRole ActivationRole => ActivationRole.None;

    public virtual int NamedSources => 0;

    public virtual bool NamesMoreSources => false;

    public virtual bool IsIdentityAtInference => false;

    public virtual bool AbsorbsFollowingBatchNorm => false;

    public virtual bool StoresResidualSum(LayerPlan plan) => false;

    public virtual IEnumerable<FloatOption> FloatOptions(LayerSpec layer) => Enumerable.Empty<FloatOption>();

    public abstract LayerPlan? Infer(LayerContext context, IReadOnlyList<Shape> inputs, ParameterAllocator parameters, List<DiagnosticInfo> diagnostics);

    public virtual string Describe(LayerPlan plan) => "";

    public virtual string ParameterText(LayerPlan plan) => "";

    public virtual string FewerParametersAdvice => "use fewer filters or a smaller kernel";

    public virtual IEnumerable<ParameterTensor> ParameterTensors(LayerPlan plan, string stem) => Enumerable.Empty<ParameterTensor>();

    /// <summary>A layer without a kernel of its own: a comment or two in each pass.</summary>
    public virtual long EstimateCodeBytes(LayerPlan plan) => 1_000;

    // ---- Emit: kernels and training code ----

    public virtual bool ReadsParameters => false;

    public virtual bool FoldedKernelReadsParameters => false;

    public virtual bool SplitsRows => false;

    public abstract string ConfigExpression(LayerPlan layer);

    /// <summary>Nothing for kinds that are the identity at inference (never called for them).</summary>
    public virtual void WriteKernel(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog)
    {
    }

    public virtual void WriteTrainingKernels(IndentedTextWriter w, LayerPlan layer, KernelCatalog catalog)
    {
    }

    public virtual bool AliasesInputWhenTraining => false;

    public virtual bool RoutesSourceGradients => false;

    public virtual void AddTrainingBuffers(LayerPlan layer, TrainingBufferPlan buffers)
    {
    }

    public abstract void WriteForwardTraining(TrainingStep step);

    public abstract void WriteBackward(TrainingStep step);

    public virtual string? OperandGradient(LayerPlan layer, int operand) => null;

    // ---- Shared phrases ----

    /// <summary><c> relu</c> after the configuration, nothing for linear.</summary>
    protected static string ActivationSuffix(LayerPlan l) => l.Activation == ActivationKind.Linear ? "" : " " + LayerPlan.ActivationName(l.Activation);

    protected static string BiasSuffix(LayerPlan l) => l.UseBias ? "" : " no-bias";

    /// <summary>A tensor of <paramref name="l"/> named <c>{layer}.{suffix}</c>, viewed as <c>{stem}{property}</c>.</summary>
    protected static ParameterTensor Tensor(LayerPlan l, string stem, string suffix, string property, int[] shape, string layout, int offset, int length,
        string init, int fanIn = 1, int fanOut = 1) =>
        new(l.Name + "." + suffix, stem + property, l.Index, l.Name, shape.ToEquatableArray(), layout, offset, length, init, fanIn, fanOut);

    /// <summary>A blank line, then the kernel: training kernels follow the inference ones.</summary>
    protected static void Separate(IndentedTextWriter w) => w.WriteLine();

    /// <summary><c>(gradient, spare) = (spare, gradient);</c>: the input gradient just written to spare becomes the running gradient.</summary>
    protected const string SwapGradients = "(gradient, spare) = (spare, gradient);";
}
