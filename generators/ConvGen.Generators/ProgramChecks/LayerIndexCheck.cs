using System.Threading;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConvGen.Generators.ProgramChecks;

/// <summary>CG0218: <c>SetFrozen(i, ...)</c> / <c>IsFrozen(i)</c> with a constant layer index the network does not have.</summary>
internal static class LayerIndexCheck
{
    public static Diagnostic? Check(NetworkFacts network, IInvocationOperation call, CancellationToken cancellationToken)
    {
        if (call.Arguments.Length == 0 || ValueTrace.Number(call.Arguments[0].Value, cancellationToken) is not { } index
            || (index >= 0 && index < network.LayerCount))
        {
            return null;
        }
        string advice = index < 0
            ? "layer indices start at 0"
            : $"the last layer is {network.LayerCount - 1} (LayerCount - 1); Layers lists them with their names";
        return Diagnostic.Create(DiagnosticDescriptors.LayerIndexOutOfRange, call.Arguments[0].Value.Syntax.GetLocation(),
            call.TargetMethod.Name, ValueTrace.Display(call.Arguments[0].Value, cancellationToken), network.Name, network.LayerCount, network.LayerCount - 1, advice);
    }
}
