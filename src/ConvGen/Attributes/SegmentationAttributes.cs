using System;

namespace ConvGen;

/// <summary>How <see cref="UpSampling2DAttribute"/> fills the new rows and columns.</summary>
public enum UpSamplingInterpolation
{
    /// <summary>Each input value repeated over its <c>sh x sw</c> block (output <c>(y, x)</c> reads input <c>(y / sh, x / sw)</c>, rounded down).</summary>
    Nearest = 0,

    /// <summary>
    /// Bilinear with half-pixel centres, as Keras's <c>UpSampling2D(interpolation="bilinear")</c>
    /// (<c>tf.image.resize</c>): output <c>y</c> samples input row <c>(y + 0.5) / sh - 0.5</c>, clamped to the edge rows.
    /// ONNX: <c>Resize</c> with <c>mode = "linear"</c> and <c>coordinate_transformation_mode = "half_pixel"</c>.
    /// </summary>
    Bilinear,
}

/// <summary>
/// Transposed 2-D convolution (Keras <c>Conv2DTranspose</c>, sometimes called deconvolution): the
/// gradient of a <see cref="Conv2DAttribute"/> with respect to its input, used to upsample with
/// learned weights. Weights in Keras layout <c>[kh][kw][filters][in]</c>. Output size per axis:
/// <see cref="ConvGen.Padding.Valid"/> <c>in * stride + max(kernel - stride, 0)</c>,
/// <see cref="ConvGen.Padding.Same"/> <c>in * stride</c>; with <see cref="OutputPadding"/> set,
/// <c>(in - 1) * stride + kernel - 2 * pad + outputPadding</c> (pad 0 for valid, <c>kernel / 2</c> for same),
/// with kernel the dilated extent <c>(kernel - 1) * dilation + 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DTransposeAttribute : LayerAttribute
{
    /// <summary>Square kernel.</summary>
    public Conv2DTransposeAttribute(int filters, int kernel) : this(filters, kernel, kernel) { }

    /// <summary>Kernel of <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/>.</summary>
    public Conv2DTransposeAttribute(int filters, int kernelHeight, int kernelWidth)
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
    /// <summary>Upsampling factor, both axes (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Spacing between kernel taps, both axes (default 1).</summary>
    public int Dilation { get; set; } = 1;
    /// <summary>Output-size rule (default <see cref="ConvGen.Padding.Valid"/>), as in Keras.</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Extra rows and columns at the bottom / right, below the stride; -1 (default) is Keras's <c>None</c>.</summary>
    public int OutputPadding { get; set; } = -1;
    /// <summary>Non-linearity fused into the layer (default linear).</summary>
    public Activation Activation { get; set; } = Activation.Linear;
    /// <summary>Slope / scale for LeakyRelu and Elu; NaN means the activation's default.</summary>
    public double Alpha { get; set; } = double.NaN;
    /// <summary>Whether the layer adds a per-filter bias (default true).</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>Enlarges a spatial map by whole factors per axis (Keras <c>UpSampling2D</c>). No parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpSampling2DAttribute : LayerAttribute
{
    /// <summary>The same factor on both axes.</summary>
    public UpSampling2DAttribute(int size) : this(size, size) { }

    /// <summary><paramref name="sizeHeight"/> on rows, <paramref name="sizeWidth"/> on columns.</summary>
    public UpSampling2DAttribute(int sizeHeight, int sizeWidth)
    {
        SizeHeight = sizeHeight;
        SizeWidth = sizeWidth;
    }

    /// <summary>Row factor.</summary>
    public int SizeHeight { get; }
    /// <summary>Column factor.</summary>
    public int SizeWidth { get; }
    /// <summary>How the new values are filled (default <see cref="ConvGen.UpSamplingInterpolation.Nearest"/>).</summary>
    public UpSamplingInterpolation Interpolation { get; set; } = UpSamplingInterpolation.Nearest;
}

/// <summary>
/// Joins the outputs of two or more earlier layers along the channels (Keras <c>Concatenate</c>
/// with <c>axis=-1</c>), in the order named: U-Net's skip connections. The maps must have the
/// same height and width. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatenateAttribute : LayerAttribute
{
    /// <summary>Joins the layers named <paramref name="first"/>, <paramref name="second"/> and any <paramref name="more"/>.</summary>
    public ConcatenateAttribute(string first, string second, params string[] more)
    {
        Inputs = [first, second, .. more];
    }

    /// <summary>The names of the joined layers, in channel order.</summary>
    public string[] Inputs { get; }
}

/// <summary>Removes rows and columns at the border of a spatial map (Keras <c>Cropping2D</c>). No parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Cropping2DAttribute : LayerAttribute
{
    /// <summary><paramref name="crop"/> rows and columns off every side.</summary>
    public Cropping2DAttribute(int crop) : this(crop, crop, crop, crop) { }

    /// <summary><paramref name="rows"/> off the top and the bottom, <paramref name="columns"/> off the left and the right.</summary>
    public Cropping2DAttribute(int rows, int columns) : this(rows, rows, columns, columns) { }

    /// <summary>Each side on its own.</summary>
    public Cropping2DAttribute(int top, int bottom, int left, int right)
    {
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>Rows removed at the top.</summary>
    public int Top { get; }
    /// <summary>Rows removed at the bottom.</summary>
    public int Bottom { get; }
    /// <summary>Columns removed at the left.</summary>
    public int Left { get; }
    /// <summary>Columns removed at the right.</summary>
    public int Right { get; }
}
