namespace ConvGen.Generators.Diagnostics;

// The IDs live in their own file because ConvGen.CodeFixes compiles this file too (linked
// source): a code fix names the same constant the generator reports, without referencing the
// generator assembly.
internal static partial class DiagnosticDescriptors
{
    // ---- CG0001–CG0099: usage and parsing ----
    public const string ClassNotPartialId = "CG0001";
    public const string MissingInputId = "CG0002";
    public const string MalformedInputId = "CG0003";
    public const string NonPositiveArgumentId = "CG0004";
    public const string DropoutRateOutOfRangeId = "CG0005";
    public const string NoLayersId = "CG0006";
    public const string TextSyntaxErrorId = "CG0007";
    public const string DuplicateLayerNameId = "CG0008";
    public const string UnsupportedClassShapeId = "CG0009";
    public const string LayersInBothFormsId = "CG0010";
    public const string UndefinedOptionValueId = "CG0011";
    public const string ContainingTypeNotPartialId = "CG0012";
    public const string LayerAttributeOnOtherDeclarationId = "CG0013";
    public const string GeneratedMemberClashId = "CG0014";
    public const string UnknownInputLayerId = "CG0015";
    public const string InvalidExplicitPaddingId = "CG0016";
    public const string BatchNormOptionOutOfRangeId = "CG0017";
    public const string UnsafeLayerNameId = "CG0018";
    public const string MissingTextArgumentId = "CG0019";
    public const string FloatOptionNotFiniteId = "CG0020";

    // ---- CG0100–CG0199: shapes ----
    public const string WindowLargerThanInputId = "CG0101";
    public const string DenseNeedsFlatInputId = "CG0102";
    public const string SpatialLayerOnFlatInputId = "CG0103";
    public const string StrideSkipsInputId = "CG0104";
    public const string PoolingDropsRemainderId = "CG0105";
    public const string FlattenOfFlatInputId = "CG0106";
    public const string AddShapeMismatchId = "CG0107";
    public const string UnusedLayerOutputId = "CG0108";
    public const string ConcatenateShapeMismatchId = "CG0109";
    public const string CroppingRemovesEverythingId = "CG0110";
    public const string TransposedOutputPaddingInvalidId = "CG0111";
    public const string MultiplyShapeMismatchId = "CG0120";
    public const string ReshapeCountMismatchId = "CG0121";
    public const string GroupsDoNotDivideChannelsId = "CG0122";
    public const string NormalizationEpsilonNotPositiveId = "CG0123";

    // ---- CG0200–CG0299: training configuration ----
    public const string SoftmaxNotLastId = "CG0201";
    public const string RedundantActivationId = "CG0202";
    public const string NoTrainableParametersId = "CG0203";
    // CG0210 upwards: the training program around a network (ProgramAnalyzer), not its declaration.
    public const string LossDoesNotFitActivationId = "CG0210";
    public const string ClassificationLossOnSpatialOutputId = "CG0211";
    public const string BufferLengthMismatchId = "CG0212";
    public const string SettingOutOfRangeId = "CG0213";
    public const string ImplausibleLearningRateId = "CG0214";
    public const string UnknownMonitorId = "CG0215";
    public const string AugmentationFactorOutOfRangeId = "CG0216";
    public const string ShapeOfAnotherNetworkId = "CG0217";
    public const string LayerIndexOutOfRangeId = "CG0218";
    public const string DatasetDoesNotFitNetworkId = "CG0219";

    // ---- CG0300–CG0399: limits ----
    public const string SizeLimitExceededId = "CG0301";
    public const string ParameterBudgetExceededId = "CG0302";
    public const string ActivationBudgetExceededId = "CG0303";
    public const string InvalidLimitSettingId = "CG0304";
    public const string WindowNotUnrolledId = "CG0305";
    public const string GeneratedCodeTooLargeId = "CG0306";
}

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that tell a code fix what
/// the generator already worked out (a fix cannot infer shapes itself).
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>
    /// Present (value <c>"true"</c>) when switching the layer to same padding would fix the
    /// diagnostic, so the "use Padding.Same" fix is offered only where it works.
    /// </summary>
    public const string SamePaddingFixes = "SamePaddingFixes";

    /// <summary>CG0210: the loss class that fits the network's last activation (e.g. <c>SoftmaxCrossEntropy</c>), when one does.</summary>
    public const string FittingLoss = "FittingLoss";

    /// <summary>CG0210: the <c>Losses.For</c> name of the fitting loss (e.g. <c>categorical_crossentropy</c>), for a loss written by name.</summary>
    public const string FittingLossName = "FittingLossName";

    /// <summary>CG0212: the C# expression of the length the buffer needs (e.g. <c>LectureNet.OutputLength</c>), when one is obvious.</summary>
    public const string FittingLength = "FittingLength";

    /// <summary>CG0215: the metric name the misspelt monitor most likely means.</summary>
    public const string FittingMonitor = "FittingMonitor";
}
