using System;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Lecture;

/// <summary>
/// The lecture's vertical and horizontal 3x3 edge filters, as two filters of one Conv2D layer,
/// on a synthetic picture: a bright square on a dark background, so that it has two vertical
/// and two horizontal edges. On the RGB picture each filter is replicated over the three input
/// channels, as a Keras 3x3x3 kernel built from a 2-D filter would be, so the response is the
/// sum of the per-channel responses.
/// </summary>
public sealed class EdgeFilterTests
{
    private const int Size = 12;

    // The square covers rows 3..8 and columns 4..9 (off-centre, so rows and columns differ).
    private const int Top = 3, Bottom = 8, Left = 4, Right = 9;

    internal static readonly float[,] Vertical =
    {
        { 1, 0, -1 },
        { 1, 0, -1 },
        { 1, 0, -1 },
    };

    internal static readonly float[,] Horizontal =
    {
        {  1,  1,  1 },
        {  0,  0,  0 },
        { -1, -1, -1 },
    };

    private static readonly float[] GreyDark = { 20 }, GreyBright = { 200 };
    private static readonly float[] RgbDark = { 10, 20, 30 }, RgbBright = { 200, 120, 40 };

    [Fact]
    public void Grey_image_edge_responses_match_the_reference_loop()
    {
        var network = new GreyEdgeFilters();
        SetEdgeFilters(network.Conv2dWeight, inputChannels: 1);
        var image = Square(GreyDark, GreyBright);
        var output = new float[GreyEdgeFilters.OutputLength];

        network.Predict(image, output);

        var expected = Reference(network, image, 1, same: false);
        Assert.Equal(expected.SampleShape, network.OutputShape);
        NumericAssert.Close(expected, output, "grey edge filters");
    }

    /// <summary>
    /// What the lecture shows in its pictures: each filter answers only to its own edges, with
    /// opposite signs on opposite sides, and is silent on flat areas. Valid padding: output
    /// (y, x) sees input rows y..y+2 and columns x..x+2.
    /// </summary>
    [Fact]
    public void Grey_image_filters_respond_to_their_own_edges_only()
    {
        var network = new GreyEdgeFilters();
        SetEdgeFilters(network.Conv2dWeight, inputChannels: 1);
        var output = new float[GreyEdgeFilters.OutputLength];
        network.Predict(Square(GreyDark, GreyBright), output);
        float step = 3 * (GreyBright[0] - GreyDark[0]); // three rows (or columns) of the kernel
        float At(int y, int x, int filter) => output[(y * (Size - 2) + x) * 2 + filter];

        int midRow = (Top + Bottom) / 2 - 1, midColumn = (Left + Right) / 2 - 1;
        Assert.Equal(-step, At(midRow, Left - 1, 0));     // dark | bright: left edge
        Assert.Equal(step, At(midRow, Right - 1, 0));     // bright | dark: right edge
        Assert.Equal(0f, At(midRow, midColumn, 0));       // inside the square
        Assert.Equal(0f, At(Top - 1, midColumn, 0));      // a horizontal edge is invisible to the vertical filter
        Assert.Equal(-step, At(Top - 1, midColumn, 1));   // dark above bright: top edge
        Assert.Equal(step, At(Bottom - 1, midColumn, 1)); // bright above dark: bottom edge
        Assert.Equal(0f, At(midRow, Left - 1, 1));        // a vertical edge is invisible to the horizontal filter
        Assert.Equal(0f, At(0, 0, 0));                    // background
        Assert.Equal(0f, At(0, 0, 1));
    }

    [Fact]
    public void Rgb_image_edge_responses_match_the_reference_loop()
    {
        var network = new RgbEdgeFilters();
        SetEdgeFilters(network.Conv2dWeight, inputChannels: 3);
        var image = Square(RgbDark, RgbBright);
        var output = new float[RgbEdgeFilters.OutputLength];

        network.Predict(image, output);

        var expected = Reference(network, image, 3, same: true);
        Assert.Equal(expected.SampleShape, network.OutputShape);
        NumericAssert.Close(expected, output, "RGB edge filters");
    }

    /// <summary>With the kernel replicated over channels, the RGB response is the grey response of the channel sum.</summary>
    [Fact]
    public void Rgb_image_response_is_the_sum_of_the_channel_contrasts()
    {
        var network = new RgbEdgeFilters();
        SetEdgeFilters(network.Conv2dWeight, inputChannels: 3);
        var output = new float[RgbEdgeFilters.OutputLength];
        network.Predict(Square(RgbDark, RgbBright), output);
        float contrast = 0;
        for (int c = 0; c < 3; c++)
        {
            contrast += RgbBright[c] - RgbDark[c];
        }
        float At(int y, int x, int filter) => output[(y * Size + x) * 2 + filter]; // same padding: output (y, x) is centred on input (y, x)

        int midRow = (Top + Bottom) / 2, midColumn = (Left + Right) / 2;
        Assert.Equal(-3 * contrast, At(midRow, Left, 0));
        Assert.Equal(3 * contrast, At(midRow, Right, 0));
        Assert.Equal(-3 * contrast, At(Top, midColumn, 1));
        Assert.Equal(3 * contrast, At(Bottom, midColumn, 1));
        Assert.Equal(0f, At(midRow, midColumn, 0));
        Assert.Equal(0f, At(midRow, midColumn, 1));
    }

    /// <summary>HWIO: filter 0 is the vertical detector, filter 1 the horizontal one, each the same on every input channel.</summary>
    private static void SetEdgeFilters(Span<float> weights, int inputChannels)
    {
        Assert.Equal(3 * 3 * inputChannels * 2, weights.Length);
        for (int ky = 0; ky < 3; ky++)
        for (int kx = 0; kx < 3; kx++)
        for (int c = 0; c < inputChannels; c++)
        {
            int tap = ((ky * 3 + kx) * inputChannels + c) * 2;
            weights[tap] = Vertical[ky, kx];
            weights[tap + 1] = Horizontal[ky, kx];
        }
    }

    private static float[] Square(float[] dark, float[] bright)
    {
        int channels = dark.Length;
        var image = new float[Size * Size * channels];
        for (int y = 0; y < Size; y++)
        for (int x = 0; x < Size; x++)
        {
            bool inside = y >= Top && y <= Bottom && x >= Left && x <= Right;
            for (int c = 0; c < channels; c++)
            {
                image[(y * Size + x) * channels + c] = inside ? bright[c] : dark[c];
            }
        }
        return image;
    }

    private static ReferenceTensor Reference(INetwork network, float[] image, int channels, bool same)
    {
        var weights = NetworkParameters.Weights(network, 0, "HWIO", 3, 3, channels, 2);
        return ReferenceConv2D.Forward(ReferenceTensor.FromNhwc(image, 1, Size, Size, channels), weights, null, 2, 3, 3, 1, 1, same);
    }
}
