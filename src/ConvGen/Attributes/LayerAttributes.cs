using System;

namespace ConvGen;

/// <summary>Common options of every layer attribute.</summary>
public abstract class LayerAttribute : Attribute
{
    /// <summary>Optional layer name (used in summaries, diagnostics and parameter names); defaults to Keras-style <c>conv2d_1</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Name of an earlier layer whose output this layer reads instead of the previous layer's
    /// (residual shortcuts, branches). Layers still run in declaration order; the network's
    /// output is the last layer's.
    /// </summary>
    public string? Input { get; set; }
}

/// <summary>2-D convolution (cross-correlation, no kernel flip) with <c>filters</c> output channels.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>Square kernel.</summary>
    public Conv2DAttribute(int filters, int kernel) : this(filters, kernel, kernel) { }

    /// <summary>Kernel of <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/>.</summary>
    public Conv2DAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }
    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Step between windows, both axes (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Spacing between kernel taps, both axes (default 1).</summary>
    public int Dilation { get; set; } = 1;
    /// <summary>Border handling (default <see cref="ConvGen.Padding.Valid"/>).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Non-linearity fused into the layer (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for <see cref="ConvGen.Activation.LeakyRelu"/> and <see cref="ConvGen.Activation.Elu"/>; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
    /// <summary>Whether the layer adds a per-filter bias (default true).</summary>
    public bool UseBias { get; set; } = true;
    /// <summary>Explicit zero padding above the input (rows); with any Pad* set, unset sides are 0. Not with <see cref="ConvGen.Padding.Same"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Explicit zero padding below the input (rows).</summary>
    public int PadBottom { get; set; }
    /// <summary>Explicit zero padding left of the input (columns).</summary>
    public int PadLeft { get; set; }
    /// <summary>Explicit zero padding right of the input (columns).</summary>
    public int PadRight { get; set; }
}

/// <summary>Fully connected layer on a rank-1 input (use <see cref="FlattenAttribute"/> or global pooling first).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>Creates a layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Number of outputs.</summary>
    public int Units { get; }
    /// <summary>Non-linearity fused into the layer (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for LeakyRelu and Elu; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
    /// <summary>Whether the layer adds a bias (default true).</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>Base of the windowed pooling layers.</summary>
public abstract class Pool2DAttribute : LayerAttribute
{
    private protected Pool2DAttribute(int poolHeight, int poolWidth)
    {
        PoolHeight = poolHeight;
        PoolWidth = poolWidth;
    }

    /// <summary>Window height.</summary>
    public int PoolHeight { get; }
    /// <summary>Window width.</summary>
    public int PoolWidth { get; }
    /// <summary>Step between windows, both axes; 0 (the default) means the window size, as in Keras.</summary>
    public int Stride { get; set; }
    /// <summary>Border handling (default valid). With same padding, padded cells are ignored.</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Explicit padding (ignored cells, as with same) above the input (rows); with any Pad* set, unset sides are 0. Not with <see cref="ConvGen.Padding.Same"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Explicit zero padding below the input (rows).</summary>
    public int PadBottom { get; set; }
    /// <summary>Explicit zero padding left of the input (columns).</summary>
    public int PadLeft { get; set; }
    /// <summary>Explicit zero padding right of the input (columns).</summary>
    public int PadRight { get; set; }
}

/// <summary>Maximum over each window, per channel.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Pool2DAttribute
{
    /// <summary>Square window.</summary>
    public MaxPool2DAttribute(int size) : base(size, size) { }
    /// <summary>Window of <paramref name="poolHeight"/> x <paramref name="poolWidth"/>.</summary>
    public MaxPool2DAttribute(int poolHeight, int poolWidth) : base(poolHeight, poolWidth) { }
}

/// <summary>Average over each window, per channel (padded cells are not counted).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Pool2DAttribute
{
    /// <summary>Square window.</summary>
    public AvgPool2DAttribute(int size) : base(size, size) { }
    /// <summary>Window of <paramref name="poolHeight"/> x <paramref name="poolWidth"/>.</summary>
    public AvgPool2DAttribute(int poolHeight, int poolWidth) : base(poolHeight, poolWidth) { }
}

/// <summary>Maximum over all positions, per channel: [H,W,C] to [C].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPool2DAttribute : LayerAttribute
{
    /// <summary>Keep the pooled axes: output <c>[1,1,C]</c> instead of <c>[C]</c> (Keras <c>keepdims</c>), so a squeeze-and-excitation branch keeps rank.</summary>
    public bool KeepDims { get; set; }
}

/// <summary>Average over all positions, per channel: [H,W,C] to [C].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : LayerAttribute
{
    /// <summary>Keep the pooled axes: output <c>[1,1,C]</c> instead of <c>[C]</c> (Keras <c>keepdims</c>), so a squeeze-and-excitation branch keeps rank.</summary>
    public bool KeepDims { get; set; }
}

/// <summary>Reshapes [H,W,C] to [H*W*C] in channels-last order (no copy).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute { }

/// <summary>Inverted dropout: in training, zeroes each value with probability <c>rate</c> and scales the rest by <c>1/(1-rate)</c>; identity in inference.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Creates the layer; <paramref name="rate"/> must be in [0, 1).</summary>
    public DropoutAttribute(double rate) => Rate = rate;
    /// <summary>Probability of dropping a value.</summary>
    public double Rate { get; }
}

/// <summary>A standalone activation layer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : LayerAttribute
{
    /// <summary>Creates the layer.</summary>
    public ActivationAttribute(Activation activation) => Activation = activation;
    /// <summary>The function applied.</summary>
    public Activation Activation { get; }
    /// <summary>Slope / scale for LeakyRelu and Elu; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
}

/// <summary>
/// Element-wise sum of two earlier layers' outputs of equal shape (a residual connection),
/// with an optional activation applied to the sum. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>Adds the outputs of the layers named <paramref name="first"/> and <paramref name="second"/>.</summary>
    public AddAttribute(string first, string second)
    {
        First = first;
        Second = second;
    }

    /// <summary>Name of the first summand's layer.</summary>
    public string First { get; }
    /// <summary>Name of the second summand's layer.</summary>
    public string Second { get; }
    /// <summary>Non-linearity applied to the sum (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for LeakyRelu and Elu; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
}

/// <summary>
/// Batch normalisation per channel (the last axis): <c>gamma * (x - mean) / sqrt(var + epsilon) + beta</c>.
/// Training normalises with the statistics of the batch and updates the running statistics as
/// <c>running = momentum * running + (1 - momentum) * batch</c> (Keras / ONNX); inference and
/// frozen layers use the running statistics.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance before the square root (default 1e-3, as in Keras).</summary>
    public double Epsilon { get; set; } = 1e-3;
    /// <summary>Weight of the old running statistics in each update (default 0.99, as in Keras).</summary>
    public double Momentum { get; set; } = 0.99;
}
