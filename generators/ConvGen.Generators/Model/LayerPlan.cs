using System.Globalization;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model;

/// <summary>
/// A layer with every size resolved: its shapes, where it reads from, and the kind-specific data
/// its descriptor worked out (a window for Conv2D and the pools, weight tensors for Conv2D and
/// Dense, the BatchNorm tensors, Dropout's rate). Only the fields of the layer's own kind are
/// set; the rest keep their defaults, so two plans are equal exactly when they emit the same code.
/// </summary>
internal sealed record LayerPlan(int Index, string Name, LayerKind Kind, Shape Input, Shape Output)
{
    /// <summary>
    /// Indices of the layers whose outputs this layer reads (-1 is the network input): one for
    /// most layers, the two summands for Add. Declaration order is a topological order, so every
    /// source is smaller than <see cref="Index"/>.
    /// </summary>
    public EquatableArray<int> Sources { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Names of <see cref="Sources"/> ("input" for the network input), for comments and the summary's "connected to".</summary>
    public EquatableArray<string> SourceNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The source of a single-input layer.</summary>
    public int Source => Sources.Count == 0 ? Index - 1 : Sources[0];

    /// <summary>
    /// Writes <see cref="Description"/>: the kind's descriptor, a stateless singleton, so plans
    /// still compare by value. Kept as a writer rather than a string because emitters derive
    /// variants (<c>with { Activation = Linear }</c>) whose comments must describe the variant.
    /// </summary>
    public ILayerDescriber? Describer { get; init; }

    /// <summary>Short configuration as used in comments and the summary, e.g. <c>16@3x3 s1 valid relu</c>.</summary>
    public string Description => Describer?.Describe(this) ?? "";

    /// <summary>How the layer relates to activations (from its kind's descriptor).</summary>
    public ActivationRole ActivationRole { get; init; }

    public ActivationKind Activation { get; init; }

    /// <summary>The activation's parameter with its default filled in (0 when it has none).</summary>
    public double Alpha { get; init; }

    /// <summary>Whether the layer applies a non-linear activation of its own (and so keeps the value before it when training).</summary>
    public bool HasActivation => Activation != ActivationKind.Linear && ActivationRole is ActivationRole.Fused or ActivationRole.Standalone;

    /// <summary>Layers that do nothing at inference (their output aliases their input buffer): their kind's choice, or a BatchNorm folded away.</summary>
    public bool IsIdentityAtInference => KindIsIdentityAtInference || FoldedInto >= 0;

    /// <summary>The kind itself does nothing at inference (Flatten, Dropout).</summary>
    public bool KindIsIdentityAtInference { get; init; }

    /// <summary>Conv2D and the pools: the sliding window (<see cref="Window.None"/> otherwise).</summary>
    public Window Window { get; init; } = Window.None;

    public PaddingKind Padding { get; init; }

    /// <summary>Whether the padding came from PadTop / PadBottom / PadLeft / PadRight.</summary>
    public bool HasExplicitPadding { get; init; }

    /// <summary>Conv2D and Dense: the weight and bias tensors (null otherwise).</summary>
    public WeightTensors? Weights { get; init; }

    /// <summary>BatchNorm: its four tensors and options (null otherwise).</summary>
    public BatchNormTensors? BatchNorm { get; init; }

    /// <summary>Data of a kind that has its own record in its descriptor's file (null for the kinds so far).</summary>
    public KindData? Data { get; init; }

    /// <summary>Dropout: the probability of dropping a value.</summary>
    public double Rate { get; init; }

    /// <summary>All values the layer keeps in the parameter buffer, trainable or not (Keras counts both too).</summary>
    public int ParameterCount { get; init; }

    /// <summary>Of <see cref="ParameterCount"/>, the values saved with the weights but not trained (BatchNorm's running statistics).</summary>
    public int StateCount { get; init; }

    /// <summary>
    /// BatchNorm folded into the convolution before it at inference (Analysis/LayerGraph.FoldBatchNorms),
    /// or the Activation after such a BatchNorm, fused into the folded kernel, or an Add whose sum a
    /// convolution stores (<see cref="ResidualAdd"/>): that convolution's index; -1 otherwise.
    /// </summary>
    public int FoldedInto { get; init; } = -1;

    /// <summary>
    /// MaxPool2D that alone reads the ReLU output of the layer before it: its backward applies
    /// that ReLU's derivative as it routes the gradient (Analysis/LayerGraph.MaskReluInMaxPoolBackward),
    /// and the source's backward has no pass of its own over the gradient.
    /// </summary>
    public bool MasksSourceRelu { get; init; }

    /// <summary>
    /// Dense whose input gradient, as it is stored, also goes back through the Dropout right below
    /// it (this layer index: its mask) and the ReLU below that or right below the Dense (this
    /// layer index: its output gates the gradient); -1 when there is none (Analysis/LayerGraph.GateDenseInputGradients).
    /// </summary>
    public int GradientMask { get; init; } = -1;

    /// <inheritdoc cref="GradientMask"/>
    public int GradientRelu { get; init; } = -1;

    /// <summary>
    /// A Dropout whose mask, or a layer whose ReLU derivative, the Dense that reads it applies in its
    /// input gradient's store (see <see cref="GradientMask"/>): its backward has no pass of its own over the gradient.
    /// </summary>
    public bool GradientInReader { get; init; }

    /// <summary>Convolution that absorbs the next layer's BatchNorm at inference: where its folded tensors start in the workspace's folded buffer (<see cref="FoldedLength"/> floats); -1 otherwise.</summary>
    public int FoldedOffset { get; init; } = -1;

    /// <summary>
    /// Weights from which a folded BatchNorm is applied in the convolution's store (a scale and
    /// shift per filter on the sums in registers) instead of by a copy of the weights scaled per
    /// call. The store needs a body of its own (the training forward's body has no scale), so a
    /// layer below this size keeps the copy: at most 16 KB per call, less than a microsecond, where
    /// a second body would cost the generated file kilobytes. ResNet-18's smallest folded layer
    /// (the 1x1 64 -> 128 shortcut) has 8,192 weights; its 11M weights are no longer copied per call.
    /// </summary>
    public const int StoreFoldWeights = 4096;

    /// <summary>Whether this layer's folded BatchNorm is applied in its store (see <see cref="StoreFoldWeights"/>).</summary>
    public bool FoldsInStore => FoldedOffset >= 0 && StoreFolds;

    private bool StoreFolds => WeightCount >= StoreFoldWeights;

    /// <summary>Floats of the folded buffer this convolution takes when it absorbs a BatchNorm: its filters' scales and shifts, or its scaled weights and bias.</summary>
    public int FoldedLength => StoreFolds ? 2 * Output.Channels : WeightCount + Output.Channels;

    /// <summary>
    /// Convolution that absorbs a BatchNorm: the activation of the Activation layer right after
    /// that BatchNorm, fused into the folded kernel at inference (that layer is then folded too);
    /// Linear when there is none.
    /// </summary>
    public ActivationKind FoldedActivation { get; init; }

    /// <summary>The parameter of <see cref="FoldedActivation"/> (LeakyRelu's slope).</summary>
    public double FoldedAlpha { get; init; }

    /// <summary>
    /// Convolution whose output (or its folded BatchNorm's) only an Add reads, whose other summand is
    /// computed before it: that Add's index, whose sum (and activation, in <see cref="FoldedActivation"/>)
    /// the convolution's inference entry stores from its register tile (Analysis/LayerGraph.FoldResidualAdds);
    /// the Add is then folded into it. -1 otherwise.
    /// </summary>
    public int ResidualAdd { get; init; } = -1;

    // Forwarding properties: the kernel emitters (Emit/Conv2DEmitter, PoolEmitter, WindowLoops,
    // Training/Conv*Emitter, ...) read the window and the weight layout under these names, and
    // derive variants with `with { PadTop = ..., WeightOffset = ... }`; the values live in
    // Window and Weights.
    public int KernelHeight { get => Window.KernelHeight; init => Window = Window with { KernelHeight = value }; }

    public int KernelWidth { get => Window.KernelWidth; init => Window = Window with { KernelWidth = value }; }

    public int StrideHeight { get => Window.StrideHeight; init => Window = Window with { StrideHeight = value }; }

    public int StrideWidth { get => Window.StrideWidth; init => Window = Window with { StrideWidth = value }; }

    public int DilationHeight { get => Window.DilationHeight; init => Window = Window with { DilationHeight = value }; }

    public int DilationWidth { get => Window.DilationWidth; init => Window = Window with { DilationWidth = value }; }

    public int PadTop { get => Window.PadTop; init => Window = Window with { PadTop = value }; }

    public int PadBottom { get => Window.PadBottom; init => Window = Window with { PadBottom = value }; }

    public int PadLeft { get => Window.PadLeft; init => Window = Window with { PadLeft = value }; }

    public int PadRight { get => Window.PadRight; init => Window = Window with { PadRight = value }; }

    public int WeightOffset { get => Weights?.WeightOffset ?? 0; init => Weights = (Weights ?? NoWeights) with { WeightOffset = value }; }

    public int WeightCount { get => Weights?.WeightCount ?? 0; init => Weights = (Weights ?? NoWeights) with { WeightCount = value }; }

    public int BiasOffset { get => Weights?.BiasOffset ?? 0; init => Weights = (Weights ?? NoWeights) with { BiasOffset = value }; }

    public int BiasCount { get => Weights?.BiasCount ?? 0; init => Weights = (Weights ?? NoWeights) with { BiasCount = value }; }

    /// <summary>Whether there is a bias (<see cref="BiasCount"/> above 0); setting it false drops the bias.</summary>
    public bool UseBias
    {
        get => BiasCount > 0;
        init
        {
            if (!value)
            {
                BiasCount = 0;
            }
        }
    }

    private static readonly WeightTensors NoWeights = new(0, 0, 0, 0);

    /// <summary>
    /// Activations a kernel applies to its accumulators before the store (a comparison or a few
    /// multiply-adds per value): the kernel emitters fuse these, and the analysis folds an
    /// Activation layer of these kinds into a convolution's folded kernel.
    /// </summary>
    public static bool IsFusable(ActivationKind kind) => kind is ActivationKind.Linear or ActivationKind.Relu or ActivationKind.LeakyRelu
        or ActivationKind.Relu6 or ActivationKind.HardSigmoid or ActivationKind.HardSwish;

    public static string ActivationName(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        ActivationKind.HardSigmoid => "hard_sigmoid",
        ActivationKind.HardSwish => "hard_swish",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Round-trip text of a double option, as descriptions write it.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Writes a plan's short configuration; each layer kind's descriptor does it for its own plans.</summary>
internal interface ILayerDescriber
{
    string Describe(LayerPlan plan);
}

/// <summary>How a layer kind relates to activations: the activation rules and the search for the network's last activation read this.</summary>
internal enum ActivationRole
{
    /// <summary>No activation (pools, BatchNorm).</summary>
    None,

    /// <summary>Applies its <c>Activation</c> after its own work (Conv2D, Dense, Add).</summary>
    Fused,

    /// <summary>Is nothing but its activation (Activation).</summary>
    Standalone,

    /// <summary>Keeps every value's sign and order, so it does not separate two activations (Flatten, Dropout).</summary>
    Transparent,
}

/// <summary>A weight tensor and its bias in the parameter buffer (Conv2D, Dense). A layer without bias has <c>BiasCount</c> 0.</summary>
internal sealed record WeightTensors(int WeightOffset, int WeightCount, int BiasOffset, int BiasCount);

/// <summary>
/// BatchNorm's [C] tensors in the parameter buffer: gamma and beta are trained; the running mean
/// and variance are saved and loaded with the weights but not trained (no gradient, never passed
/// to the optimizer).
/// </summary>
internal sealed record BatchNormTensors(int Channels, int GammaOffset, int BetaOffset, int MeanOffset, int VarianceOffset, double Epsilon, double Momentum);
