using System;

namespace ConvGen;

/// <summary>Common options of every layer attribute.</summary>
public abstract class LayerAttribute : Attribute
{
    /// <summary>Optional layer name (used in summaries, diagnostics and parameter names); defaults to Keras-style <c>conv2d_1</c>.</summary>
    public string? Name { get; set; }
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
public sealed class GlobalMaxPool2DAttribute : LayerAttribute { }

/// <summary>Average over all positions, per channel: [H,W,C] to [C].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : LayerAttribute { }

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
