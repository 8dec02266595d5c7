using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic ConvGen reports. ID ranges: CG0001–CG0099 usage and parsing, CG0100–CG0199
/// shapes, CG0200–CG0299 training configuration, CG0300–CG0399 limits. Each ID has a page at
/// docs/diagnostics/CGxxxx.md (index: docs/diagnostics/README.md).
/// </summary>
/// <remarks>
/// Message conventions: name the layer as <c>layer {index} {Kind} '{name}'</c>, show the shapes
/// involved as <c>HxWxC</c>, and end with what to change.
/// </remarks>
internal static partial class DiagnosticDescriptors
{
    private const string UsageCategory = "ConvGen.Usage";
    private const string ShapeCategory = "ConvGen.Shapes";
    private const string TrainingCategory = "ConvGen.Training";
    private const string LimitCategory = "ConvGen.Limits";
    // Relative to the repository root, where one page per ID explains the rule with an example.
    private const string HelpRoot = "docs/diagnostics/";

    // ---- usage and parsing ----

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(ClassNotPartialId, UsageCategory,
        "Network class must be partial",
        "Network class '{0}' must be declared partial so ConvGen can add the generated members");

    public static readonly DiagnosticDescriptor MissingInput = Error(MissingInputId, UsageCategory,
        "Network input shape is missing",
        "Network '{0}' declares no input shape: set [Network(Input = \"HxWxC\")], e.g. Input = \"28x28x1\", or start the text form with 'input HxWxC'");

    public static readonly DiagnosticDescriptor MalformedInput = Error(MalformedInputId, UsageCategory,
        "Network input shape is malformed",
        "Input shape '{0}' is not of the form HxWxC with three positive integers (height x width x channels), e.g. \"80x80x3\"");

    public static readonly DiagnosticDescriptor NonPositiveArgument = Error(NonPositiveArgumentId, UsageCategory,
        "Layer size must be positive",
        "layer {0} {1} '{2}': {3} is {4}, but it must be a positive integer");

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(DropoutRateOutOfRangeId, UsageCategory,
        "Dropout rate must be in [0, 1)",
        "layer {0} Dropout '{1}': rate {2} is outside [0, 1); it is the probability of dropping a value, e.g. 0.5");

    public static readonly DiagnosticDescriptor NoLayers = Error(NoLayersId, UsageCategory,
        "Network has no layers",
        "Network '{0}' has no layers: add layer attributes such as [Conv2D(8, 3)] after [Network], or lines to the text form");

    public static readonly DiagnosticDescriptor TextSyntaxError = Error(TextSyntaxErrorId, UsageCategory,
        "Text-form syntax error",
        "Network text line {0}, column {1}: {2}");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(DuplicateLayerNameId, UsageCategory,
        "Duplicate layer name",
        "layer {0} {1} '{2}': the name is already used by layer {3} {4}; layer names must be unique because parameters are named after them");

    public static readonly DiagnosticDescriptor UnsupportedClassShape = Error(UnsupportedClassShapeId, UsageCategory,
        "Network class cannot be generated",
        "Network class '{0}' {1}");

    public static readonly DiagnosticDescriptor LayersInBothForms = Error(LayersInBothFormsId, UsageCategory,
        "Layers declared twice",
        "Network '{0}' declares layers both as attributes and in the text form; use one of them");

    public static readonly DiagnosticDescriptor UndefinedOptionValue = Error(UndefinedOptionValueId, UsageCategory,
        "Option value is not defined",
        "layer {0} {1} '{2}': {3} = {4} is not a defined value; use one of {5}");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(ContainingTypeNotPartialId, UsageCategory,
        "Type containing a network must be partial",
        "Network class '{0}' is nested in non-partial {1}; add 'partial' to {2} so the generated members can be added inside");

    public static readonly DiagnosticDescriptor LayerAttributeOnOtherDeclaration = Error(LayerAttributeOnOtherDeclarationId, UsageCategory,
        "Layer attribute on another partial declaration",
        "Layer attribute [{0}] is on a partial declaration of '{1}' that does not carry [Network], so its place in the layer order is ambiguous; move it to the declaration with [Network]");

    public static readonly DiagnosticDescriptor GeneratedMemberClash = Error(GeneratedMemberClashId, UsageCategory,
        "Member clashes with a generated member",
        "Network '{0}' {1}, which clashes with the {2} '{3}' that ConvGen generates ({4}); {5}");

    public static readonly DiagnosticDescriptor UnknownInputLayer = Error(UnknownInputLayerId, UsageCategory,
        "Layer input names no earlier layer",
        "layer {0} {1} '{2}' reads '{3}', but {4}; a layer can only read the output of a layer declared before it");

    public static readonly DiagnosticDescriptor InvalidExplicitPadding = Error(InvalidExplicitPaddingId, UsageCategory,
        "Explicit padding is invalid",
        "layer {0} {1} '{2}': {3}");

    public static readonly DiagnosticDescriptor BatchNormOptionOutOfRange = Error(BatchNormOptionOutOfRangeId, UsageCategory,
        "BatchNorm option out of range",
        "layer {0} BatchNorm '{1}': {2} is {3}, but it must be {4}");

    public static readonly DiagnosticDescriptor UnsafeLayerName = Error(UnsafeLayerNameId, UsageCategory,
        "Layer name contains a line break or control character",
        "layer {0} {1} '{2}': the name contains {3}, which cannot be written into the generated code's comments and layer table; use letters, digits and punctuation such as '_', '/', '.' or '-', e.g. \"block1_conv\"");

    public static readonly DiagnosticDescriptor MissingTextArgument = Error(MissingTextArgumentId, UsageCategory,
        "Text argument is null or empty",
        "{0}: {1} is {2}; {3}");

    public static readonly DiagnosticDescriptor FloatOptionNotFinite = Error(FloatOptionNotFiniteId, UsageCategory,
        "Option value is not a finite float32",
        "layer {0} {1} '{2}': {3} = {4} is not a finite float32 (the generated code computes in float32, whose largest value is 3.4028235E+38); {5}");

    // ---- shapes ----

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(WindowLargerThanInputId, ShapeCategory,
        "Window does not fit its input",
        "layer {0} {1} '{2}' ({3}) cannot slide over its {4} input: the output would be {5}; {6}");

    public static readonly DiagnosticDescriptor DenseNeedsFlatInput = Error(DenseNeedsFlatInputId, ShapeCategory,
        "Dense layer needs a flat input",
        "layer {0} Dense '{1}' receives a {2} tensor, but Dense takes a flat vector; insert {3} (giving [{4}]) or a global pooling layer before it");

    public static readonly DiagnosticDescriptor SpatialLayerOnFlatInput = Error(SpatialLayerOnFlatInputId, ShapeCategory,
        "Spatial layer on a flat input",
        "layer {0} {1} '{2}' needs an HxWxC input, but receives the flat vector {3} produced by layer {4} {5}; move it before the Flatten / Dense / global pooling layer");

    public static readonly DiagnosticDescriptor StrideSkipsInput = Warning(StrideSkipsInputId, ShapeCategory,
        "Strided window never reads the edge of its input",
        "layer {0} {1} '{2}' ({3}) never reads the last {4} of its {5} input: with valid padding its last window ends before the edge; use {6} to cover them (output {7} instead of {8}), or pick a stride that divides (input - window)");

    public static readonly DiagnosticDescriptor PoolingDropsRemainder = Info(PoolingDropsRemainderId, ShapeCategory,
        "Pooling leaves out a partial window",
        "layer {0} {1} '{2}' ({3}) leaves out the last {4} of its {5} input, which do not fill a whole window; use {6} to pool them too (output {7} instead of {8})");

    public static readonly DiagnosticDescriptor FlattenOfFlatInput = Warning(FlattenOfFlatInputId, ShapeCategory,
        "Flatten of a flat vector",
        "layer {0} Flatten '{1}' receives the flat vector {2} from layer {3}, so it does nothing; remove it");

    public static readonly DiagnosticDescriptor AddShapeMismatch = Error(AddShapeMismatchId, ShapeCategory,
        "Add needs two equal shapes",
        "layer {0} Add '{1}' sums '{2}' ({3}) and '{4}' ({5}), but Add adds element by element and needs equal shapes; {6}");

    public static readonly DiagnosticDescriptor ConcatenateShapeMismatch = Error(ConcatenateShapeMismatchId, ShapeCategory,
        "Concatenate needs equal spatial sizes",
        "layer {0} Concatenate '{1}' joins {2} along the channels, which needs the same height and width, but {3}; {4}");

    public static readonly DiagnosticDescriptor CroppingRemovesEverything = Error(CroppingRemovesEverythingId, ShapeCategory,
        "Cropping removes the whole input",
        "layer {0} Cropping2D '{1}' removes {2} of its {3} input, which has {4}, so nothing is left; crop at most {5} in total");

    public static readonly DiagnosticDescriptor TransposedOutputPaddingInvalid = Error(TransposedOutputPaddingInvalidId, ShapeCategory,
        "Output padding must be below the stride",
        "layer {0} Conv2DTranspose '{1}' has OutputPadding {2}, but it must be at least 0 and smaller than the stride {3} (or -1, Keras's None, to let the padding decide the output size)");

    public static readonly DiagnosticDescriptor UnusedLayerOutput = Error(UnusedLayerOutputId, ShapeCategory,
        "Layer output is never used",
        "layer {0} {1} '{2}' computes {3}, but no later layer reads it and it is not the last layer (the network output); read it with Input = \"{2}\" or Add, or remove it");

    public static readonly DiagnosticDescriptor MultiplyShapeMismatch = Error(MultiplyShapeMismatchId, ShapeCategory,
        "Multiply needs equal or broadcastable shapes",
        "layer {0} Multiply '{1}' multiplies '{2}' ({3}) and '{4}' ({5}), but Multiply needs equal shapes or a 1x1xC factor of an HxWxC map with the same C; {6}");

    public static readonly DiagnosticDescriptor ReshapeCountMismatch = Error(ReshapeCountMismatchId, ShapeCategory,
        "Reshape must keep the number of values",
        "layer {0} Reshape '{1}' reshapes {2} ({3} values) to {4} ({5} values); the target must hold as many values as the input, e.g. {6}");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(GroupsDoNotDivideChannelsId, ShapeCategory,
        "Groups must divide the channels",
        "layer {0} GroupNormalization '{1}' splits {2} channels into {3} groups, but {3} does not divide {2}; use a divisor of {2}, e.g. {4}");

    public static readonly DiagnosticDescriptor NormalizationEpsilonNotPositive = Error(NormalizationEpsilonNotPositiveId, ShapeCategory,
        "Normalization epsilon must be positive",
        "layer {0} {1} '{2}': Epsilon is {3}, but it must be a small positive number that keeps the division defined when a group is constant, e.g. 1e-3 (Keras) or 1e-5 (PyTorch)");

    // ---- training configuration ----

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Warning(SoftmaxNotLastId, TrainingCategory,
        "Softmax before the last layer",
        "layer {0} {1} '{2}' applies softmax, but {3} {4} it ({5}); softmax turns the output into class probabilities and belongs on the last layer only: {6}");

    public static readonly DiagnosticDescriptor RedundantActivation = Warning(RedundantActivationId, TrainingCategory,
        "Activation duplicates or undoes the previous one",
        "layer {0} Activation '{1}' {2}");

    public static readonly DiagnosticDescriptor NoTrainableParameters = Warning(NoTrainableParametersId, TrainingCategory,
        "Network has no trainable parameters",
        "Network '{0}' has no trainable parameters: its layers ({1}) only reshape, pool, drop out or activate values, so training cannot change its output; add a Conv2D or Dense layer");

    // ---- the training program around a network (ProgramAnalyzer) ----

    public static readonly DiagnosticDescriptor LossDoesNotFitActivation = Error(LossDoesNotFitActivationId, TrainingCategory,
        "Loss does not fit the network's last activation",
        "{0} expects network '{1}' to end in {2} (or in no activation, giving logits), but its last activation is {3} (layer '{4}', output {5}); {6}");

    public static readonly DiagnosticDescriptor ClassificationLossOnSpatialOutput = Warning(ClassificationLossOnSpatialOutputId, TrainingCategory,
        "Classification loss on a one-channel spatial output",
        "{0} on network '{1}', whose output is the map {2}: the loss takes one softmax per pixel over its channels, and over one channel that softmax is 1 at every pixel, so nothing is learned; give the last layer one channel per class, or use SigmoidBinaryCrossEntropy for a binary mask");

    public static readonly DiagnosticDescriptor BufferLengthMismatch = Error(BufferLengthMismatchId, TrainingCategory,
        "Buffer length does not fit the network",
        "{0}.{1}: {2} holds {3}, but {4}");

    public static readonly DiagnosticDescriptor SettingOutOfRange = Error(SettingOutOfRangeId, TrainingCategory,
        "Training setting out of range",
        "{0} {1} = {2} is outside {3}; {4}");

    public static readonly DiagnosticDescriptor ImplausibleLearningRate = Warning(ImplausibleLearningRateId, TrainingCategory,
        "Learning rate that cannot train",
        "{0} learning rate = {1} {2}");

    public static readonly DiagnosticDescriptor UnknownMonitor = Error(UnknownMonitorId, TrainingCategory,
        "Monitored metric is never reported",
        "{0} monitors '{1}', which no epoch reports (training reports {2}); {3}");

    public static readonly DiagnosticDescriptor AugmentationFactorOutOfRange = Error(AugmentationFactorOutOfRangeId, TrainingCategory,
        "Augmentation factor outside Keras's bounds",
        "ImageAugmentationOptions.{0} = {1} draws from [{2}, {3}], outside the allowed [{4}, {5}] (Keras's bounds for {6}); {7}");

    public static readonly DiagnosticDescriptor ShapeOfAnotherNetwork = Error(ShapeOfAnotherNetworkId, TrainingCategory,
        "Shape of another network",
        "{0} is given the input shape of network '{1}' ({2}), but it feeds network '{3}', whose input is {4}; use {3}'s InputShape");

    public static readonly DiagnosticDescriptor LayerIndexOutOfRange = Error(LayerIndexOutOfRangeId, TrainingCategory,
        "Layer index out of range",
        "{0}({1}, ...) on network '{2}': the network has {3} layers, indexed 0 to {4}; {5}");

    public static readonly DiagnosticDescriptor DatasetDoesNotFitNetwork = Error(DatasetDoesNotFitNetworkId, TrainingCategory,
        "Data set does not fit the network",
        "{0} gives {1}, but network '{2}' {3}");

    // ---- limits ----

    public static readonly DiagnosticDescriptor WindowNotUnrolled = Info(WindowNotUnrolledId, LimitCategory,
        "Window too large to unroll",
        "layer {0} {1} '{2}': its {3}x{4} window has {5} taps, more than the {6} that generated code writes out one by one; its taps are generated as a loop instead (same results, a smaller file)");

    public static readonly DiagnosticDescriptor SizeLimitExceeded = Error(SizeLimitExceededId, LimitCategory,
        "Network exceeds a size limit",
        "{0} {1}: {2} {3}, more than the {4} a .NET array can hold; {5}");

    public static readonly DiagnosticDescriptor ParameterBudgetExceeded = Warning(ParameterBudgetExceededId, LimitCategory,
        "Network has more parameters than the configured limit",
        "Network '{0}' has {1} trainable parameters ({2} as float32), more than the limit of {3} (MSBuild property ConvGenMaxParameters); the largest share is {4} with {5} ({6}): {7}");

    public static readonly DiagnosticDescriptor ActivationBudgetExceeded = Warning(ActivationBudgetExceededId, LimitCategory,
        "Network needs more activation memory per sample than the configured limit",
        "Network '{0}' holds {1} of activations per sample (input and every layer's output as float32), more than the limit of {2} (MSBuild property ConvGenMaxActivationBytes); the largest is {3} with output {4} ({5}): downsample earlier (pooling or a stride) or use fewer filters");

    public static readonly DiagnosticDescriptor InvalidLimitSetting = Warning(InvalidLimitSettingId, LimitCategory,
        "Limit setting is not a positive whole number",
        "MSBuild property {0} = '{1}' is not a positive whole number; ConvGen uses the default {2}");

    public static readonly DiagnosticDescriptor GeneratedCodeTooLarge = Error(GeneratedCodeTooLargeId, LimitCategory,
        "Network would generate too much code",
        "Network '{0}' would generate about {1} of code for {2} layers; the limit is {3} and {4} layers (MSBuild properties ConvGenMaxGeneratedCodeBytes and ConvGenMaxLayers), beyond which compiling it takes minutes and gigabytes; {5}");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = new[]
    {
        ClassNotPartial, MissingInput, MalformedInput, NonPositiveArgument, DropoutRateOutOfRange, NoLayers,
        TextSyntaxError, DuplicateLayerName, UnsupportedClassShape, LayersInBothForms, UndefinedOptionValue,
        ContainingTypeNotPartial, LayerAttributeOnOtherDeclaration, GeneratedMemberClash,
        UnknownInputLayer, InvalidExplicitPadding, BatchNormOptionOutOfRange,
        UnsafeLayerName, MissingTextArgument, FloatOptionNotFinite,
        WindowLargerThanInput, DenseNeedsFlatInput, SpatialLayerOnFlatInput, StrideSkipsInput, PoolingDropsRemainder, FlattenOfFlatInput,
        AddShapeMismatch, UnusedLayerOutput, ConcatenateShapeMismatch, CroppingRemovesEverything, TransposedOutputPaddingInvalid, MultiplyShapeMismatch, ReshapeCountMismatch, GroupsDoNotDivideChannels, NormalizationEpsilonNotPositive,
        SoftmaxNotLast, RedundantActivation, NoTrainableParameters,
        LossDoesNotFitActivation, ClassificationLossOnSpatialOutput, BufferLengthMismatch, SettingOutOfRange, ImplausibleLearningRate,
        UnknownMonitor, AugmentationFactorOutOfRange, ShapeOfAnotherNetwork, LayerIndexOutOfRange, DatasetDoesNotFitNetwork,
        SizeLimitExceeded, ParameterBudgetExceeded, ActivationBudgetExceeded, InvalidLimitSetting, WindowNotUnrolled,
        GeneratedCodeTooLarge,
    }.ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Info(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Info);

    private static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
