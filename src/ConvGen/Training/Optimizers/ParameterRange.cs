namespace ConvGen.Training;

/// <summary>
/// A slice of a network's parameter buffer that an optimizer should update. Frozen layers are
/// simply left out of the list passed to <see cref="Optimizer.Step"/>, so freezing costs nothing.
/// </summary>
/// <param name="Offset">First float of the slice in the parameter buffer.</param>
/// <param name="Length">Number of floats.</param>
/// <param name="IsBias">True for bias vectors, which by convention get no weight decay (see <see cref="Optimizer.DecayBiases"/>).</param>
public readonly record struct ParameterRange(int Offset, int Length, bool IsBias);
