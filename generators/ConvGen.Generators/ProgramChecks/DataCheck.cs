using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>
/// CG0217 and CG0219: data whose shape is a compile-time fact, fed to a network. Fashion-MNIST
/// (<c>FashionMnist.Load()</c>) is 28x28x1 images with class indices 0 to 9; an image folder
/// opened with <c>ImageFolderOptions.For(other.InputShape)</c>, and an
/// <c>ImageAugmentation(options, other.InputShape)</c>, are the shape of the network
/// <c>other</c> is. Data reached through anything else (a parameter, a field, a method of the
/// program's own) is left to the run-time checks.
/// </summary>
internal static class DataCheck
{
    private static readonly Shape s_fashionMnist = Shape.Spatial(28, 28, 1);
    private const int FashionMnistClasses = 10;

    /// <summary>Checks the data argument of Fit / Evaluate / Predict; <paramref name="loss"/> is null when the loss is unknown or not involved.</summary>
    public static IEnumerable<Diagnostic> Check(NetworkFacts network, IOperation data, LossRule? loss, NetworkFactsReader networks, CancellationToken cancellationToken)
    {
        if (IsFashionMnist(data, cancellationToken))
        {
            var location = data.Syntax.GetLocation();
            const string gives = "28x28x1 images (784 values) with class indices 0 to 9";
            if (network.Input != s_fashionMnist)
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.DatasetDoesNotFitNetwork, location,
                    "FashionMnist.Load()", gives, network.Name, $"takes input {network.Input.ToText()} ({network.InputLength} values); declare Input = \"28x28x1\"");
            }
            else if (loss is { IsSparse: true } && network.OutputLength < FashionMnistClasses)
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.DatasetDoesNotFitNetwork, location,
                    "FashionMnist.Load()", gives, network.Name, $"has {network.OutputLength} outputs, so labels {network.OutputLength} to 9 name no output; end the network in Dense({FashionMnistClasses})");
            }
            else if (loss is { IsSparse: false } && network.OutputLength != 1)
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.DatasetDoesNotFitNetwork, location,
                    "FashionMnist.Load()", gives + " (1 target value per image)", network.Name,
                    $"trained with {loss.ClassName} needs {network.OutputLength} target values per image (one per output); use SparseSoftmaxCrossEntropy for class indices");
            }
            yield break;
        }
        // ImageFolder.Open(path, ImageFolderOptions.For(x.InputShape))
        if (ValueTrace.Origin(data, cancellationToken) is IInvocationOperation open && open.TargetMethod.Name == "Open"
            && ValueTrace.FullName(open.TargetMethod.ContainingType) == "ConvGen.Data.ImageFolder"
            && ValueTrace.Argument(open, "options") is { } options
            && ValueTrace.Origin(options.Value, cancellationToken) is IInvocationOperation @for && @for.TargetMethod.Name == "For"
            && ValueTrace.FullName(@for.TargetMethod.ContainingType) == "ConvGen.Data.ImageFolderOptions"
            && ValueTrace.Argument(@for, "inputShape") is { } shape
            && ShapeOfOther(network, "ImageFolderOptions.For", shape.Value, networks, cancellationToken) is { } diagnostic)
        {
            yield return diagnostic;
        }
    }

    /// <summary>CG0217 for <c>TrainingOptions.Augmentation = new ImageAugmentation(options, other.InputShape)</c>.</summary>
    public static Diagnostic? CheckAugmentation(NetworkFacts network, IOperation augmentation, NetworkFactsReader networks, CancellationToken cancellationToken) =>
        ValueTrace.Origin(augmentation, cancellationToken) is IObjectCreationOperation creation
        && ValueTrace.FullName(creation.Type) == "ConvGen.Augmentation.ImageAugmentation"
        && ValueTrace.Argument(creation, "shape") is { } shape
            ? ShapeOfOther(network, "ImageAugmentation", shape.Value, networks, cancellationToken)
            : null;

    /// <summary>A shape read as <c>x.InputShape</c> from a network other than <paramref name="network"/>, with a different input.</summary>
    private static Diagnostic? ShapeOfOther(NetworkFacts network, string user, IOperation shape, NetworkFactsReader networks, CancellationToken cancellationToken)
    {
        if (ValueTrace.Origin(shape, cancellationToken) is not IPropertyReferenceOperation { Property.Name: "InputShape" } property
            || networks.For(property.Instance?.Type ?? property.Property.ContainingType, cancellationToken) is not { } other
            || other.Input == network.Input)
        {
            return null;
        }
        return Diagnostic.Create(DiagnosticDescriptors.ShapeOfAnotherNetwork, shape.Syntax.GetLocation(),
            user, other.Name, other.Input.ToText(), network.Name, network.Input.ToText());
    }

    private static bool IsFashionMnist(IOperation data, CancellationToken cancellationToken)
    {
        var origin = ValueTrace.Origin(data, cancellationToken);
        // var (train, test) = FashionMnist.Load();
        if (origin is ILocalReferenceOperation local && ValueTrace.DeconstructedFrom(local.Local, cancellationToken) is { } source)
        {
            return origin.SemanticModel is { } model && model.SyntaxTree == source.SyntaxTree
                && model.GetOperation(source, cancellationToken) is { } call && IsLoad(ValueTrace.Origin(call, cancellationToken));
        }
        // var data = FashionMnist.Load(); ... data.Train
        if (origin is IFieldReferenceOperation { Instance: { } tuple } && tuple.Type is INamedTypeSymbol { IsTupleType: true })
        {
            return IsLoad(ValueTrace.Origin(tuple, cancellationToken));
        }
        return false;
    }

    private static bool IsLoad(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod.Name: "Load" } call && ValueTrace.FullName(call.TargetMethod.ContainingType) == "ConvGen.Data.FashionMnist";
}
