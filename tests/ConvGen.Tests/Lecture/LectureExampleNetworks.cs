using ConvGen;

namespace ConvGen.Tests.Lecture;

// The lecture's worked examples as real, compile-time ConvGen networks (the normal build path,
// not the in-memory compiler). The tests set the lecture's kernel through the named weight views.
// The examples are what the lecture computes, so the generator's design advice does not apply:
// CG0104 (stride 2 skips the last row and column of the 6x6 image), CG0203 (pool-only networks)
// are switched off for this project in ConvGen.Tests.csproj.

/// <summary>6x6 grey image, one 3x3 filter, valid padding, stride 1; the bias exists and is set to 0.</summary>
[Network(Input = "6x6x1")]
[Conv2D(1, 3)]
public sealed partial class LectureValidConvolution;

/// <summary>The same filter with stride 2.</summary>
[Network(Input = "6x6x1")]
[Conv2D(1, 3, Stride = 2, UseBias = false)]
public sealed partial class LectureStride2Convolution;

/// <summary>The same filter with same (zero) padding: a 6x6 output.</summary>
[Network(Input = "6x6x1")]
[Conv2D(1, 3, Padding = Padding.Same, UseBias = false)]
public sealed partial class LectureSameConvolution;

/// <summary>The lecture's "filter + bias + ReLU" step on the same image.</summary>
[Network(Input = "6x6x1")]
[Conv2D(1, 3, Activation = Activation.Relu)]
public sealed partial class LectureConvolutionBiasRelu;

/// <summary>The lecture's 4x4 pooling example, max.</summary>
[Network(Input = "4x4x1")]
[MaxPool2D(2)]
public sealed partial class LectureMaxPooling;

/// <summary>The lecture's 4x4 pooling example, average.</summary>
[Network(Input = "4x4x1")]
[AvgPool2D(2)]
public sealed partial class LectureAveragePooling;

/// <summary>Two 3x3 edge filters (vertical, horizontal) on a grey image.</summary>
[Network(Input = "12x12x1")]
[Conv2D(2, 3, UseBias = false)]
public sealed partial class GreyEdgeFilters;

/// <summary>The same two edge filters on an RGB image, each applied to all three channels; same padding keeps the picture size.</summary>
[Network(Input = "12x12x3")]
[Conv2D(2, 3, Padding = Padding.Same, UseBias = false)]
public sealed partial class RgbEdgeFilters;
