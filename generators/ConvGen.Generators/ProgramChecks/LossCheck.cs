using System.Collections.Generic;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>CG0210 and CG0211: the loss a program trains or evaluates a network with, against the network's output.</summary>
internal static class LossCheck
{
    public static IEnumerable<Diagnostic> Check(NetworkFacts network, LossRule loss, IOperation origin)
    {
        var location = origin.Syntax.GetLocation();
        var last = network.LastActivation;
        if (loss.TakesLogits && last != loss.Fused && last != ActivationKind.Linear)
        {
            string? fitting = last switch
            {
                // Same target width as the loss written: the data keeps fitting.
                ActivationKind.Softmax => loss.IsSparse ? "SparseSoftmaxCrossEntropy" : "SoftmaxCrossEntropy",
                ActivationKind.Sigmoid when !loss.IsSparse || network.OutputLength == 1 => "SigmoidBinaryCrossEntropy",
                _ => null,
            };
            string advice = fitting is not null
                ? $"use {fitting} for a {Name(last)} output"
                : $"change the last activation to {Name(loss.Fused)} or to linear";
            var properties = new Dictionary<string, string?>();
            if (fitting is not null)
            {
                properties[DiagnosticProperties.FittingLoss] = fitting;
                properties[DiagnosticProperties.FittingLossName] = LossRule.Named(fitting).Names[0];
            }
            yield return Diagnostic.Create(DiagnosticDescriptors.LossDoesNotFitActivation, location, properties.ToImmutableDictionaryOrEmpty(),
                loss.ClassName, network.Name, Name(loss.Fused), Name(last), network.LastActivationLayer, network.Output.ToText(), advice);
            yield break;
        }
        // On a map the softmax losses mean one softmax per pixel over its channels (Keras): with
        // a single channel that softmax is 1 everywhere and nothing can be learned.
        if (loss.IsDistribution && network.Output.IsSpatial && network.Output.Height * network.Output.Width > 1 && network.Output.Channels == 1)
        {
            yield return Diagnostic.Create(DiagnosticDescriptors.ClassificationLossOnSpatialOutput, location,
                loss.ClassName, network.Name, network.Output.ToText());
        }
    }

    /// <summary>An activation as the runtime's messages name it: <c>softmax</c>.</summary>
    public static string Name(ActivationKind activation) => activation.ToString().ToLowerInvariant();
}

internal static class PropertiesExtensions
{
    public static System.Collections.Immutable.ImmutableDictionary<string, string?> ToImmutableDictionaryOrEmpty(this Dictionary<string, string?> properties) =>
        System.Collections.Immutable.ImmutableDictionary.CreateRange(properties);
}
