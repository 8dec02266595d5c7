using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// CG0213 and CG0214: constant optimizer, schedule, callback and training settings outside the
/// range the runtime accepts (each rule mirrors the check in the named type's constructor or in
/// Trainer.Validate, so the editor refuses what Fit would refuse), and learning rates that the
/// runtime accepts but that cannot train.
/// </summary>
internal static class SettingRules
{
    private const string Training = "ConvGen.Training.";

    /// <summary>An allowed interval; a bound of null is open-ended.</summary>
    private sealed record Range(double? Min, bool MinInclusive, double? Max, bool MaxInclusive, string Hint)
    {
        // Infinity is allowed only where the runtime says so (an open-ended, inclusive maximum).
        public bool Contains(double value) =>
            !double.IsNaN(value) && (!double.IsInfinity(value) || value > 0 && Max is null && MaxInclusive)
            && (Min is not { } min || (MinInclusive ? value >= min : value > min))
            && (Max is not { } max || (MaxInclusive ? value <= max : value < max));

        public override string ToString() =>
            (MinInclusive ? "[" : "(") + (Min is { } min ? Format(min) : "-inf") + ", " + (Max is { } max ? Format(max) : "inf") + (MaxInclusive ? "]" : ")");
    }

    private static Range AtLeast(double min, string hint) => new(min, true, null, false, hint);
    private static Range Above(double min, string hint) => new(min, false, null, false, hint);
    private static Range Fraction(string hint) => new(0, true, 1, false, hint);

    private static readonly Range NonNegativeRate = AtLeast(0, "a learning rate is a step size, e.g. 1e-3 for Adam or 0.01 for SGD");
    private static readonly Range Decay = Fraction("it is the decay of a running average, e.g. 0.9 (beta1) or 0.999 (beta2)");
    private static readonly Range Momentum = Fraction("momentum is the fraction of the previous step kept, e.g. 0.9");
    private static readonly Range Epsilon = Above(0, "epsilon keeps a division away from zero, e.g. 1e-7");
    private static readonly Range WeightDecay = AtLeast(0, "weight decay shrinks weights towards 0, e.g. 1e-4; 0 turns it off");
    private static readonly Range Shrink = new(0, false, 1, true, "the factor multiplies the rate, e.g. 0.5 halves it");
    private static readonly Range Count = AtLeast(1, "it counts epochs, e.g. 10");
    private static readonly Range NonNegativeCount = AtLeast(0, "it counts epochs");
    private static readonly Range NonNegative = AtLeast(0, "it is a distance between metric values");

    /// <summary>(type, constructor parameter or init property) → range. Types are the runtime's.</summary>
    private static readonly Dictionary<(string Type, string Name), Range> s_rules = new()
    {
        [(Training + "Adam", "learningRate")] = NonNegativeRate,
        [(Training + "Adam", "beta1")] = Decay,
        [(Training + "Adam", "beta2")] = Decay,
        [(Training + "Adam", "epsilon")] = Epsilon,
        [(Training + "AdamW", "learningRate")] = NonNegativeRate,
        [(Training + "AdamW", "weightDecay")] = WeightDecay,
        [(Training + "AdamW", "beta1")] = Decay,
        [(Training + "AdamW", "beta2")] = Decay,
        [(Training + "AdamW", "epsilon")] = Epsilon,
        [(Training + "Sgd", "learningRate")] = NonNegativeRate,
        [(Training + "Sgd", "momentum")] = Momentum,
        [(Training + "RmsProp", "learningRate")] = NonNegativeRate,
        [(Training + "RmsProp", "rho")] = Decay,
        [(Training + "RmsProp", "momentum")] = Momentum,
        [(Training + "RmsProp", "epsilon")] = Epsilon,
        [(Training + "Optimizer", "LearningRate")] = NonNegativeRate,
        [(Training + "Optimizer", "WeightDecay")] = WeightDecay,
        [(Training + "TrainingOptions", "Epochs")] = Count,
        [(Training + "TrainingOptions", "BatchSize")] = AtLeast(1, "it is the number of samples per step, e.g. 32"),
        [(Training + "TrainingOptions", "Threads")] = AtLeast(1, "leave it out to use every core"),
        [(Training + "TrainingOptions", "DataThreads")] = AtLeast(1, "1 reads batches on one background thread"),
        [(Training + "TrainingOptions", "AllReduceBucketValues")] = AtLeast(1, "it is a number of gradient values"),
        [(Training + "TrainingOptions", "ValidationSplit")] = Fraction("it is the fraction of the data held out, e.g. 0.1; 0 holds none out"),
        [(Training + "TrainingOptions", "InitialEpoch")] = NonNegativeCount,
        [(Training + "TrainingOptions", "LossGrowthFactor")] = new(1, false, null, true, "it is a ratio of losses, e.g. 1000; PositiveInfinity turns the warning off"),
        [(Training + "TrainingOptions", "TopK")] = AtLeast(0, "0 turns top-k accuracy off"),
        [(Training + "StepDecay", "stepEpochs")] = Count,
        [(Training + "StepDecay", "factor")] = Shrink,
        [(Training + "ExponentialDecay", "factor")] = Shrink,
        [(Training + "CosineDecay", "totalEpochs")] = Count,
        [(Training + "CosineDecay", "minRate")] = NonNegativeRate,
        [(Training + "CosineDecay", "warmupEpochs")] = NonNegativeCount,
        [(Training + "ReduceLearningRateOnPlateau", "factor")] = new(0, false, 1, false, "the factor multiplies the rate when the metric stalls, e.g. 0.1"),
        [(Training + "ReduceLearningRateOnPlateau", "patience")] = NonNegativeCount,
        [(Training + "ReduceLearningRateOnPlateau", "minDelta")] = NonNegative,
        [(Training + "ReduceLearningRateOnPlateau", "minRate")] = NonNegativeRate,
        [(Training + "EarlyStopping", "patience")] = NonNegativeCount,
        [(Training + "EarlyStopping", "minDelta")] = NonNegative,
    };

    /// <summary>Above this, a learning rate only makes the weights diverge (Keras and PyTorch defaults are 1e-3 to 1e-1).</summary>
    public const double LargestSensibleRate = 10;

    /// <summary>Whether a type's settings are checked here (a runtime type with rules).</summary>
    public static bool Covers(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            string? name = ValueTrace.FullName(t);
            if (name is not null && s_rules.Keys.Any(k => k.Type == name))
            {
                return true;
            }
        }
        return false;
    }

    public static IEnumerable<Diagnostic> Check(IObjectCreationOperation creation, CancellationToken cancellationToken)
    {
        string typeName = creation.Type?.Name ?? "?";
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { } parameter
                && Rule(creation.Type, parameter.Name) is { } range
                && Checked(typeName, parameter.Name, range, argument.Value, cancellationToken) is { } diagnostic)
            {
                yield return diagnostic;
            }
        }
        foreach (var assignment in creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? Enumerable.Empty<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is IPropertyReferenceOperation property
                && Rule(property.Property.ContainingType, property.Property.Name) is { } range
                && Checked(typeName, property.Property.Name, range, assignment.Value, cancellationToken) is { } diagnostic)
            {
                yield return diagnostic;
            }
        }
    }

    private static Range? Rule(ITypeSymbol? type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (ValueTrace.FullName(t) is { } full && s_rules.TryGetValue((full, name), out var range))
            {
                return range;
            }
        }
        return null;
    }

    private static Diagnostic? Checked(string typeName, string name, Range range, IOperation value, CancellationToken cancellationToken)
    {
        if (ValueTrace.Number(value, cancellationToken) is not { } number)
        {
            return null;
        }
        var location = value.Syntax.GetLocation();
        bool isRate = name is "learningRate" or "LearningRate";
        if (!range.Contains(number))
        {
            return Diagnostic.Create(DiagnosticDescriptors.SettingOutOfRange, location, typeName, name, ValueTrace.Display(value, cancellationToken), range.ToString(), range.Hint);
        }
        if (isRate && (number == 0 || number > LargestSensibleRate))
        {
            return Diagnostic.Create(DiagnosticDescriptors.ImplausibleLearningRate, location, typeName, ValueTrace.Display(value, cancellationToken),
                number == 0
                    ? "never changes a weight: training would run every epoch and learn nothing; use e.g. 1e-3 for Adam or 0.01 for SGD"
                    : $"is above {Format(LargestSensibleRate)}: every step overshoots and the loss diverges to NaN within a few steps; use e.g. 1e-3 for Adam or 0.01 for SGD");
        }
        return null;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
