using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// A picture-plan convolution split over threads divides its channel blocks (<see cref="Rows.Owns"/>,
/// <see cref="Rows.Blocks"/>): every block must be computed by exactly one part, whatever the
/// thread count, and a looped block's repetitions must be the parts' shares of it.
/// </summary>
public sealed class RowsBlockShareTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void Every_block_belongs_to_exactly_one_part(int parts)
    {
        for (int blocks = 1; blocks <= 12; blocks++)
        {
            var owners = new int[blocks];
            for (int part = 0; part < parts; part++)
            {
                var rows = new Rows(1, part, parts, null);
                for (int b = 0; b < blocks; b++)
                {
                    if (rows.Owns(b, blocks)) owners[b]++;
                }
            }
            Assert.All(owners, count => Assert.Equal(1, count));
        }
    }

    [Theory]
    [InlineData(2, 0, 8, 8)]
    [InlineData(3, 0, 4, 5)]
    [InlineData(3, 4, 1, 5)]
    [InlineData(4, 2, 6, 9)]
    public void A_looped_block_repeats_what_its_part_owns(int parts, int first, int count, int blocks)
    {
        for (int part = 0; part < parts; part++)
        {
            var rows = new Rows(1, part, parts, null);
            var own = rows.Blocks(first, count, blocks);
            for (int r = 0; r < count; r++)
            {
                Assert.Equal(rows.Owns(first + r, blocks), r >= own.Start && r < own.End);
            }
        }
    }
}
