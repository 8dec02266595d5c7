using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// Finds, in a training program, the calls and constructions whose mistakes are compile-time
/// facts, and hands each to its check. Network-specific checks start from a call on a network
/// whose static type is a <c>[Network]</c> class (Fit, Evaluate, Predict, Forward, SetFrozen);
/// settings are checked wherever they are constructed.
/// </summary>
internal sealed class ProgramChecker(NetworkFactsReader networks)
{
    private const string Trainer = "ConvGen.Training.Trainer";

    public void Invocation(OperationAnalysisContext context)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        var ct = context.CancellationToken;
        if (ValueTrace.FullName(method.ContainingType) == Trainer && method.IsExtensionMethod && call.Arguments.Length >= 2
            && networks.For(ValueTrace.Unwrap(call.Arguments[0].Value).Type, ct) is { } trained)
        {
            switch (method.Name)
            {
                case "Fit":
                    Fit(context, trained, call, ct);
                    break;
                case "Evaluate":
                    var loss = ValueTrace.Argument(call, "loss") is { } lossArgument ? LossRule.Of(lossArgument.Value, ct) : null;
                    if (loss is { } l)
                    {
                        Report(context, LossCheck.Check(trained, l.Rule, l.Origin));
                    }
                    Report(context, DataCheck.Check(trained, call.Arguments[1].Value, loss?.Rule, networks, ct));
                    break;
                case "Predict":
                    Report(context, DataCheck.Check(trained, call.Arguments[1].Value, null, networks, ct));
                    break;
            }
            return;
        }
        if (call.Instance is null || networks.For(ValueTrace.Unwrap(call.Instance).Type, ct) is not { } network)
        {
            return;
        }
        switch (method.Name)
        {
            case "Predict" or "Forward" when method.Parameters.Length >= 2:
                Report(context, BufferCheck.Check(network, call, ct));
                break;
            case "SetFrozen" or "IsFrozen" when method.Parameters.Length >= 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Int32:
                if (LayerIndexCheck.Check(network, call, ct) is { } diagnostic)
                {
                    context.ReportDiagnostic(diagnostic);
                }
                break;
        }
    }

    public void ObjectCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        var ct = context.CancellationToken;
        if (SettingRules.Covers(creation.Type))
        {
            Report(context, SettingRules.Check(creation, ct));
        }
        if (AugmentationCheck.IsOptions(creation.Type))
        {
            Report(context, AugmentationCheck.Check(creation, ct));
        }
        if (MonitorCheck.IsCallback(creation.Type) && MonitorCheck.Check(creation, MonitorCheck.Reported.Anything, ct) is { } unknown)
        {
            context.ReportDiagnostic(unknown);
        }
        if (ValueTrace.FullName(creation.Type) == "ConvGen.Training.TrainingOptions")
        {
            // The callbacks of this training, against what it reports (names any training reports but this one does not).
            var loss = ValueTrace.Initialised(creation, "Loss") is { } lossValue ? LossRule.Of(lossValue, ct)?.Rule : null;
            bool hasValidation = ValueTrace.Initialised(creation, "ValidationData") is not null
                || (ValueTrace.Initialised(creation, "ValidationSplit") is { } split && ValueTrace.Number(split, ct) is not 0d);
            int topK = ValueTrace.Initialised(creation, "TopK") is { } k ? (int?)ValueTrace.Number(k, ct) ?? -1 : 0;
            var reported = new MonitorCheck.Reported(loss, hasValidation, topK < 0 ? null : topK);
            if (ValueTrace.Initialised(creation, "Callbacks") is { } callbacks)
            {
                foreach (var callback in callbacks.DescendantsAndSelf().OfType<IObjectCreationOperation>().Where(c => MonitorCheck.IsCallback(c.Type)))
                {
                    if (MonitorCheck.Check(callback, reported, ct) is { } diagnostic)
                    {
                        context.ReportDiagnostic(diagnostic);
                    }
                }
            }
        }
    }

    private void Fit(OperationAnalysisContext context, NetworkFacts network, IInvocationOperation call, CancellationToken ct)
    {
        LossRule? loss = null;
        if (ValueTrace.Argument(call, "options") is { } options && ValueTrace.Origin(options.Value, ct) is IObjectCreationOperation creation
            && ValueTrace.FullName(creation.Type) == "ConvGen.Training.TrainingOptions")
        {
            if (ValueTrace.Initialised(creation, "Loss") is { } lossValue && LossRule.Of(lossValue, ct) is { } l)
            {
                loss = l.Rule;
                Report(context, LossCheck.Check(network, l.Rule, l.Origin));
            }
            if (ValueTrace.Initialised(creation, "Augmentation") is { } augmentation
                && DataCheck.CheckAugmentation(network, augmentation, networks, ct) is { } diagnostic)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
        Report(context, DataCheck.Check(network, call.Arguments[1].Value, loss, networks, ct));
    }

    private static void Report(OperationAnalysisContext context, System.Collections.Generic.IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
