namespace ConvGen;

/// <summary>
/// Told by <see cref="ITrainableNetwork.Backward(System.ReadOnlySpan{float}, ITrainingWorkspace, int, bool, BackwardProgress?)"/>
/// each time a layer's parameter gradients are complete. Backward runs from the last layer to
/// the first and parameters are laid out in layer order, so after a report for
/// <c>firstParameter</c> every gradient from that index to the end is final for this call.
/// Distributed training uses it to start summing the upper layers' gradients over the network
/// while the lower layers are still being differentiated.
/// </summary>
public abstract class BackwardProgress
{
    /// <summary>Gradients from <paramref name="firstParameter"/> to the end will not change again in this backward pass.</summary>
    public abstract void GradientsFinalFrom(int firstParameter);
}
