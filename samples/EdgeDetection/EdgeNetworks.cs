using ConvGen;

namespace EdgeDetection;

/// <summary>
/// The lecture's two 3x3 edge filters as one convolution with two filters: output channel 0
/// responds to vertical edges, channel 1 to horizontal ones. Same padding keeps the image size.
/// </summary>
[Network(Input = "256x256x1")]
[Conv2D(2, 3, Padding = Padding.Same, UseBias = false, Name = "edges")]
public sealed partial class GreyEdgeNet;

/// <summary>The same filters on an RGB image: each filter spans all three channels.</summary>
[Network(Input = "256x256x3")]
[Conv2D(2, 3, Padding = Padding.Same, UseBias = false, Name = "edges")]
public sealed partial class RgbEdgeNet;

/// <summary>Writes the lecture's fixed filter weights into a network's HWIO kernel.</summary>
public static class EdgeFilters
{
    /// <summary>Vertical-edge kernel from the lecture: bright-to-dark left to right gives a positive response.</summary>
    public static readonly float[,] Vertical = { { 1, 0, -1 }, { 1, 0, -1 }, { 1, 0, -1 } };

    /// <summary>Horizontal-edge kernel: the vertical one transposed.</summary>
    public static readonly float[,] Horizontal = { { 1, 1, 1 }, { 0, 0, 0 }, { -1, -1, -1 } };

    /// <summary>Fills an HWIO kernel [3][3][channels][2] with the two filters, the same on every input channel.</summary>
    public static void Load(System.Span<float> kernel, int channels)
    {
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int at = ((ky * 3 + kx) * channels + c) * 2;
                    kernel[at] = Vertical[ky, kx];
                    kernel[at + 1] = Horizontal[ky, kx];
                }
            }
        }
    }
}
