namespace ConvGen;

/// <summary>
/// Conv2DTranspose, resolved per axis: output <c>[y, x, f] = bias[f] + sum of input[i, j, c] * W[ty][tx][f][c]</c>
/// over the taps with <c>i * StrideHeight + ty * DilationHeight - PadTop = y</c> (and likewise for columns).
/// <see cref="PadBottom"/> / <see cref="PadRight"/> may be negative: the output then has that many
/// rows / columns past the last tap's reach (ONNX's <c>output_padding</c>).
/// </summary>
/// <param name="Filters">Output channels.</param>
/// <param name="KernelHeight">Window rows.</param>
/// <param name="KernelWidth">Window columns.</param>
/// <param name="StrideHeight">Upsampling factor of the rows.</param>
/// <param name="StrideWidth">Upsampling factor of the columns.</param>
/// <param name="DilationHeight">Spacing of the window's rows.</param>
/// <param name="DilationWidth">Spacing of the window's columns.</param>
/// <param name="PadTop">Rows of the full result cut off at the top.</param>
/// <param name="PadBottom">Rows cut off at the bottom (negative: zero-filled rows added).</param>
/// <param name="PadLeft">Columns cut off at the left.</param>
/// <param name="PadRight">Columns cut off at the right (negative: added).</param>
/// <param name="Padding">The output-size rule written.</param>
/// <param name="OutputPadding">As written; -1 when not set (Keras's None).</param>
/// <param name="Activation">Non-linearity applied to the output.</param>
/// <param name="Alpha">The activation's slope or scale, its default filled in; 0 for the others.</param>
/// <param name="UseBias">Whether a bias is added.</param>
public sealed record TransposedConvolutionConfig(
    int Filters,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    int PadTop,
    int PadBottom,
    int PadLeft,
    int PadRight,
    Padding Padding,
    int OutputPadding,
    Activation Activation,
    float Alpha,
    bool UseBias) : LayerConfig;

/// <summary>UpSampling2D.</summary>
/// <param name="SizeHeight">Row factor.</param>
/// <param name="SizeWidth">Column factor.</param>
/// <param name="Interpolation">Nearest or bilinear (half-pixel centres).</param>
public sealed record UpSamplingConfig(int SizeHeight, int SizeWidth, UpSamplingInterpolation Interpolation) : LayerConfig;

/// <summary>Concatenate: the layers in <see cref="LayerInfo.Inputs"/> joined along the channels, in that order.</summary>
public sealed record ConcatenateConfig : LayerConfig;

/// <summary>Cropping2D: rows and columns removed at each side.</summary>
/// <param name="Top">Rows removed at the top.</param>
/// <param name="Bottom">Rows removed at the bottom.</param>
/// <param name="Left">Columns removed at the left.</param>
/// <param name="Right">Columns removed at the right.</param>
public sealed record CroppingConfig(int Top, int Bottom, int Left, int Right) : LayerConfig;
