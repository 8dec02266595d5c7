using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Emit;

/// <summary>
/// What the emitter needs from one layer kind: its kernels, its calls in the training forward and
/// backward passes, its training buffers and its <c>LayerConfig</c>. Implemented by the kind's
/// descriptor in Layers/, handed in as a <see cref="LayerTable{T}"/> by NetworkGenerator; the
/// emitter never names a kind's folder. The network-level code (buffers, the chain of gradients,
/// activations, freezing) stays in NetworkClassEmitter and Training/TrainingMembersEmitter.
/// </summary>
internal interface ILayerEmitter : ILayerKindPart
{
    /// <summary>Whether its inference kernel takes the parameter buffer as the first argument.</summary>
    bool ReadsParameters { get; }

    /// <summary>
    /// Whether its kernel with a BatchNorm folded in takes the parameter buffer before the folded
    /// one (SeparableConv2D: only its pointwise part is folded, the depthwise weights stay where they are).
    /// A kernel that folds in its store (<see cref="Model.LayerPlan.FoldsInStore"/>) always does: it reads the weights as trained.
    /// </summary>
    bool FoldedKernelReadsParameters { get; }

    /// <summary>
    /// Whether its inference kernel takes <c>Rows rows</c> and computes only that share of the
    /// batch's output rows (see <see cref="RowShares"/>), so that threads can split one picture;
    /// the kernels of the other kinds take the batch size and run on one of the threads.
    /// </summary>
    bool SplitsRows { get; }

    /// <summary>The <c>new global::ConvGen.XxxConfig(...)</c> expression of the layer table.</summary>
    string ConfigExpression(LayerPlan layer);

    /// <summary>
    /// Its inference kernel(s), named <see cref="KernelNames.MethodName"/>, taking
    /// (parameters if <see cref="ReadsParameters"/>, one input per source, output, batch).
    /// Not called for layers that are the identity at inference. Bodies shared between layers
    /// (a convolution's tiles) are required from <paramref name="catalog"/>, written once after all layers.
    /// </summary>
    void WriteKernel(IndentedTextWriter w, LayerPlan layer, Catalog.KernelCatalog catalog);

    /// <summary>Training-only kernels (gradients), each preceded by a blank line; nothing for most kinds.</summary>
    void WriteTrainingKernels(IndentedTextWriter w, LayerPlan layer, Catalog.KernelCatalog catalog);

    /// <summary>In the training workspace its output is its input buffer (Flatten): no buffer, no work.</summary>
    bool AliasesInputWhenTraining { get; }

    /// <summary>
    /// Its backward hands each source its own gradient (Concatenate's channel slices): into the
    /// stash of every source off the chain (<see cref="TrainingBufferPlan.CopiesIntoStash"/>) and
    /// into <c>spare</c>, then swapped, for the chain operand. Otherwise every source receives the whole input gradient.
    /// </summary>
    bool RoutesSourceGradients { get; }

    /// <summary>Buffers beyond its output and pre-activation (a dropout mask, BatchNorm's statistics, scratch).</summary>
    void AddTrainingBuffers(LayerPlan layer, TrainingBufferPlan buffers);

    /// <summary>Its lines in ForwardTraining: reads <see cref="TrainingStep.Input"/>, writes <see cref="TrainingStep.Output"/>.</summary>
    void WriteForwardTraining(TrainingStep step);

    /// <summary>
    /// Its lines in Backward, after its activation's derivative: <c>gradient</c> holds dLoss/d(output);
    /// a layer that computes its input gradient into <c>spare</c> swaps the two.
    /// </summary>
    void WriteBackward(TrainingStep step);

    /// <summary>
    /// After <see cref="WriteBackward"/>: the training buffer holding the gradient for its source
    /// operand <paramref name="operand"/> when that is not the running <c>gradient</c> (Multiply's
    /// two factors get different gradients), or null when every operand's gradient is <c>gradient</c>.
    /// </summary>
    string? OperandGradient(LayerPlan layer, int operand);
}
