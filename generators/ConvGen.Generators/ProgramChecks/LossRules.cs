using System.Linq;
using System.Threading;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// The runtime's losses as the analyzer sees them: the activation each fuses, and the names
/// <c>Losses.For</c> accepts. The rule is the runtime's (Training/LossCompatibility.UsesLogits):
/// a loss that takes logits fits a network ending in the activation it fuses, or in none. The
/// generator cannot reference the runtime assembly, so this table is a copy of the runtime's
/// Loss classes (TakesLogits, FusedActivation) and of the Losses.For catalogue; keep them in step.
/// </summary>
internal sealed record LossRule(string ClassName, ActivationKind Fused, bool IsDistribution, params string[] Names)
{
    public const string Namespace = "ConvGen.Training";

    public static readonly LossRule[] All =
    {
        new("SoftmaxCrossEntropy", ActivationKind.Softmax, true, "categorical_crossentropy", "softmax_cross_entropy", "cce"),
        new("SparseSoftmaxCrossEntropy", ActivationKind.Softmax, true, "sparse_categorical_crossentropy", "sparse_softmax_cross_entropy", "scce"),
        new("SigmoidBinaryCrossEntropy", ActivationKind.Sigmoid, false, "binary_crossentropy", "sigmoid_binary_cross_entropy", "bce"),
        new("DiceLoss", ActivationKind.Softmax, true, "dice", "dice_loss", "soft_dice"),
        new("MeanSquaredError", ActivationKind.Linear, false, "mean_squared_error", "mse"),
        new("MeanAbsoluteError", ActivationKind.Linear, false, "mean_absolute_error", "mae"),
    };

    /// <summary>The rule of the loss class <paramref name="className"/>, one of <see cref="All"/>.</summary>
    public static LossRule Named(string className) => All.First(r => r.ClassName == className);

    /// <summary>Whether the loss takes the last layer's logits (it fuses softmax or sigmoid).</summary>
    public bool TakesLogits => Fused != ActivationKind.Linear;

    /// <summary>Targets per sample (per pixel on a map): a class index for the sparse losses, one value per output otherwise.</summary>
    public bool IsSparse => ClassName is "SparseSoftmaxCrossEntropy" or "DiceLoss";

    /// <summary>The loss a value is, when it is certain: <c>new SoftmaxCrossEntropy()</c> or <c>Losses.For("constant")</c>, through locals.</summary>
    public static (LossRule Rule, IOperation Origin)? Of(IOperation value, CancellationToken cancellationToken)
    {
        var origin = ValueTrace.Origin(value, cancellationToken);
        switch (origin)
        {
            case IObjectCreationOperation creation when creation.Type?.ContainingNamespace?.ToDisplayString() == Namespace:
                var byClass = All.FirstOrDefault(r => r.ClassName == creation.Type.Name);
                return byClass is null ? null : (byClass, origin);
            case IInvocationOperation call when call.TargetMethod.Name == "For" && ValueTrace.FullName(call.TargetMethod.ContainingType) == Namespace + ".Losses"
                                                && call.Arguments.Length == 1 && ValueTrace.Text(call.Arguments[0].Value, cancellationToken) is { } name:
                string key = Normalize(name);
                var byName = All.FirstOrDefault(r => Normalize(r.ClassName) == key || r.Names.Any(n => Normalize(n) == key));
                return byName is null ? null : (byName, origin);
            default:
                return null;
        }
    }

    // As Losses.For: case, '_', '-' and white space are ignored.
    private static string Normalize(string name) =>
        new string(name.Where(c => c != '_' && c != '-' && !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant).ToArray());
}
