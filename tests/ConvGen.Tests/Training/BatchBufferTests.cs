using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>The batch buffer's non-finite check: row by row as samples are read, the same finding as one scan of the whole batch.</summary>
public sealed class BatchBufferTests
{
    private const int InputLength = 40; // more than one vector block, and a scalar tail
    private const int TargetLength = 3;

    private static BatchBuffer Batch(int rows, params (int Row, bool InTarget, int Index, float Value)[] bad)
    {
        var batch = new BatchBuffer(rows, InputLength, TargetLength) { Count = rows };
        for (int i = 0; i < batch.Inputs.Length; i++) batch.Inputs[i] = i * 0.25f;
        for (int i = 0; i < batch.Targets.Length; i++) batch.Targets[i] = i % 5;
        foreach (var (row, inTarget, index, value) in bad)
        {
            if (inTarget) batch.Targets[row * TargetLength + index] = value;
            else batch.Inputs[row * InputLength + index] = value;
        }
        return batch;
    }

    private static BatchBuffer CheckedRowByRow(BatchBuffer batch)
    {
        batch.ClearNonFinite();
        for (int r = 0; r < batch.Count; r++) batch.CheckRow(r, InputLength, TargetLength);
        return batch;
    }

    public static TheoryData<int, bool, int, float, int, bool, int, float> BadValues() => new()
    {
        { 2, false, 39, float.NaN, 5, false, 0, float.PositiveInfinity },
        { 3, true, 1, float.NegativeInfinity, 4, false, 7, float.NaN },
        { 0, false, 0, float.PositiveInfinity, 0, true, 2, float.NaN },
        { 6, false, 17, float.NaN, 6, false, 33, float.NegativeInfinity },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Checking_rows_as_they_are_read_finds_what_the_whole_batch_scan_finds(
        int row1, bool target1, int index1, float value1, int row2, bool target2, int index2, float value2)
    {
        var scanned = Batch(8, (row1, target1, index1, value1), (row2, target2, index2, value2));
        scanned.ScanForNonFinite(InputLength, TargetLength);
        var checkedRows = CheckedRowByRow(Batch(8, (row1, target1, index1, value1), (row2, target2, index2, value2)));

        Assert.Equal(scanned.NonFiniteRow, checkedRows.NonFiniteRow);
        Assert.Equal(scanned.NonFiniteInTarget, checkedRows.NonFiniteInTarget);
        Assert.Equal(scanned.NonFiniteIndex, checkedRows.NonFiniteIndex);
        Assert.Equal(scanned.NonFiniteValue, checkedRows.NonFiniteValue);
        Assert.True(scanned.NonFiniteRow >= 0);
    }

    [Fact]
    public void A_finite_batch_has_no_bad_row_and_a_reused_buffer_forgets_the_last_one()
    {
        var batch = CheckedRowByRow(Batch(8, (1, false, 3, float.NaN)));
        Assert.Equal(1, batch.NonFiniteRow);
        batch.Inputs[1 * InputLength + 3] = 0f;
        Assert.Equal(-1, CheckedRowByRow(batch).NonFiniteRow);
    }
}
