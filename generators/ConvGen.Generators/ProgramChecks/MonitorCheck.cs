using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// CG0215: the metric a callback monitors (<c>EarlyStopping</c>, <c>ModelCheckpoint</c>,
/// <c>ReduceLearningRateOnPlateau</c>) must be one an epoch reports, or the callback throws at
/// the end of the first epoch. An epoch reports <c>loss</c>; <c>accuracy</c> for classification
/// losses or <c>mae</c> for regression ones; <c>top_K_accuracy</c> with TopK; each again with
/// <c>val_</c> when there is validation data; and <c>lr</c> (Trainer.Fit, Totals.Report).
/// Alone, a callback is checked against every name any training reports; inside a
/// <c>TrainingOptions</c> initialiser whose loss and validation are visible, against what that
/// training reports.
/// </summary>
internal static class MonitorCheck
{
    private static readonly string[] s_callbacks = { "EarlyStopping", "ModelCheckpoint", "ReduceLearningRateOnPlateau" };

    /// <summary>What one training run reports; null members are unknown (any value may hold).</summary>
    public sealed record Reported(LossRule? Loss, bool? HasValidation, int? TopK)
    {
        public static Reported Anything { get; } = new(null, null, null);

        public bool Reports(string name)
        {
            if (name == "lr")
            {
                return true;
            }
            if (name.StartsWith("val_", System.StringComparison.Ordinal))
            {
                return HasValidation != false && ReportsTrain(name.Substring(4));
            }
            return ReportsTrain(name);
        }

        private bool ReportsTrain(string name)
        {
            bool classification = Loss is null || Loss.Fused != Model.ActivationKind.Linear;
            bool regression = Loss is null || Loss.Fused == Model.ActivationKind.Linear;
            if (name == "loss") return true;
            if (name == "accuracy") return classification;
            if (name == "mae") return regression;
            if (name.StartsWith("top_", System.StringComparison.Ordinal) && name.EndsWith("_accuracy", System.StringComparison.Ordinal)
                && int.TryParse(name.Substring(4, name.Length - 4 - "_accuracy".Length), out int k) && k > 0)
            {
                return (Loss is null || Loss.IsDistribution) && (TopK is null || TopK == k);
            }
            return false;
        }

        /// <summary>The names this training reports, for the message.</summary>
        public IEnumerable<string> Names()
        {
            var names = new List<string> { "loss" };
            if (Loss is null || Loss.Fused != Model.ActivationKind.Linear) names.Add("accuracy");
            if (Loss is null || Loss.Fused == Model.ActivationKind.Linear) names.Add("mae");
            if (TopK is > 0 && (Loss is null || Loss.IsDistribution)) names.Add($"top_{TopK}_accuracy");
            if (HasValidation != false)
            {
                names.AddRange(names.ToList().Select(n => "val_" + n));
            }
            names.Add("lr");
            return names;
        }
    }

    public static bool IsCallback(ITypeSymbol? type) =>
        type?.ContainingNamespace?.ToDisplayString() == LossRule.Namespace && s_callbacks.Contains(type.Name);

    public static Diagnostic? Check(IObjectCreationOperation callback, Reported reported, CancellationToken cancellationToken)
    {
        var argument = ValueTrace.Argument(callback, "monitor");
        if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit || ValueTrace.Text(argument.Value, cancellationToken) is not { } name)
        {
            return null;
        }
        // Alone, only names no training reports; in context, also names this one does not.
        if (reported.Reports(name) || (reported != Reported.Anything && !Reported.Anything.Reports(name)))
        {
            return null;
        }
        string? fitting = Suggest(name, reported);
        string advice = fitting is not null
            ? $"did you mean '{fitting}'?"
            : name.StartsWith("val_", System.StringComparison.Ordinal) && reported.HasValidation == false
                ? "val_ metrics need validation data: set ValidationSplit or ValidationData"
                : "monitor one of the reported metrics";
        var properties = fitting is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.FittingMonitor, fitting);
        return Diagnostic.Create(DiagnosticDescriptors.UnknownMonitor, argument.Value.Syntax.GetLocation(), properties,
            callback.Type!.Name, name, string.Join(", ", reported.Names()), advice);
    }

    /// <summary>The reported name a misspelling most likely means: Keras 1 short forms, then the closest spelling.</summary>
    private static string? Suggest(string name, Reported reported)
    {
        string prefix = name.StartsWith("val_", System.StringComparison.Ordinal) ? "val_" : "";
        string rest = name.Substring(prefix.Length).ToLowerInvariant();
        string? known = rest switch
        {
            "acc" or "accurracy" or "categorical_accuracy" or "sparse_categorical_accuracy" or "binary_accuracy" => "accuracy",
            "mean_absolute_error" => "mae",
            "losses" or "val_loss" => "loss",
            "learning_rate" => "lr",
            _ => null,
        };
        if (known is not null && reported.Reports(prefix + known) && (prefix + known) != name)
        {
            return known == "lr" ? "lr" : prefix + known;
        }
        var candidates = reported.Names().Where(n => n != name).ToList();
        var best = candidates.Select(c => (Name: c, Distance: Distance(name.ToLowerInvariant(), c))).OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is not null && best.Distance <= 2 ? best.Name : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int saved = row[j];
                row[j] = System.Math.Min(System.Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = saved;
            }
        }
        return row[b.Length];
    }
}
