using System.Runtime.Intrinsics;
using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="Tile.StoreTransposed"/>: eight vectors of 16 pixels, one per filter, land as 16
/// NHWC pixels of 8 filters, and nothing outside those 128 floats is written.
/// </summary>
public sealed class TileStoreTransposedTests
{
    [Fact]
    public void Each_pixel_gets_its_eight_filters_in_order()
    {
        var filters = new Vector512<float>[8];
        for (int co = 0; co < 8; co++)
        {
            var lanes = new float[16];
            for (int j = 0; j < 16; j++)
            {
                lanes[j] = co * 100 + j; // filter co, pixel j
            }
            filters[co] = Vector512.Create(lanes);
        }
        var target = new float[130];
        target[0] = -1f;
        target[129] = -2f;
        Tile.StoreTransposed(ref target[1], filters[0], filters[1], filters[2], filters[3], filters[4], filters[5], filters[6], filters[7]);
        for (int j = 0; j < 16; j++)
        {
            for (int co = 0; co < 8; co++)
            {
                Assert.Equal(co * 100 + j, target[1 + j * 8 + co]);
            }
        }
        Assert.Equal(-1f, target[0]);
        Assert.Equal(-2f, target[129]);
    }
}
