namespace ConvGen;

/// <summary>Element-wise (or, for <see cref="Softmax"/>, per-row) non-linearity applied after a layer.</summary>
public enum Activation
{
    /// <summary>Identity: <c>f(x) = x</c>.</summary>
    Linear = 0,
    /// <summary><c>max(0, x)</c>.</summary>
    Relu,
    /// <summary><c>x</c> for positive inputs, <c>alpha * x</c> otherwise (alpha defaults to 0.01).</summary>
    LeakyRelu,
    /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Normalised exponential over the channel (last) axis.</summary>
    Softmax,
    /// <summary><c>x</c> for positive inputs, <c>alpha * (exp(x) - 1)</c> otherwise (alpha defaults to 1).</summary>
    Elu,
    /// <summary>Gaussian error linear unit, exact form <c>x * Phi(x)</c>.</summary>
    Gelu,
    /// <summary><c>min(max(0, x), 6)</c> (MobileNet's ReLU6).</summary>
    Relu6,
    /// <summary>Piecewise-linear sigmoid, Keras 3's form: <c>relu6(x + 3) / 6</c>.</summary>
    HardSigmoid,
    /// <summary><c>x * relu6(x + 3) / 6</c> (MobileNetV3).</summary>
    HardSwish,
    /// <summary>Sigmoid-weighted linear unit (swish): <c>x * sigmoid(x)</c>.</summary>
    Silu,
    /// <summary><c>x * tanh(softplus(x))</c>, softplus(x) = <c>log(1 + exp(x))</c>.</summary>
    Mish,
}

/// <summary>How a window treats the border of its input (Keras semantics).</summary>
public enum Padding
{
    /// <summary>No padding: the window only visits positions where it fits entirely.</summary>
    Valid = 0,
    /// <summary>Zero padding so that the output has <c>ceil(input / stride)</c> positions; the extra row or column goes to the bottom / right.</summary>
    Same,
}
