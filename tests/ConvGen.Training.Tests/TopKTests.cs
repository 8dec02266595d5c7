using System;
using ConvGen.Training.Metrics;

namespace ConvGen.Training.Tests;

/// <summary>The one ranking rule of every classification metric (ties by class index, NaN never correct).</summary>
public class TopKTests
{
    [Fact]
    public void Equal_scores_rank_by_class_index_lower_first()
    {
        float[] row = { 0.2f, 0.5f, 0.5f, 0.5f, 0.1f };
        Assert.True(TopK.Contains(row, 1, 1));
        Assert.False(TopK.Contains(row, 2, 1));
        Assert.True(TopK.Contains(row, 2, 2));
        Assert.False(TopK.Contains(row, 3, 2));
        Assert.True(TopK.Contains(row, 3, 3));
        Assert.False(TopK.Contains(row, 0, 3));
        Assert.True(TopK.Contains(row, 0, 4));
        // All scores equal (a network that has learned nothing): only the first k classes count.
        float[] flat = { 0.25f, 0.25f, 0.25f, 0.25f };
        Assert.True(TopK.Contains(flat, 1, 2));
        Assert.False(TopK.Contains(flat, 2, 2));
        Assert.Equal(0.5, Classification.TopKAccuracy(new float[] { 1, 1, 1, 1, 1, 1, 1, 1 }, new[] { 0, 1 }, 2, 4, 1), 12);
    }

    [Fact]
    public void A_NaN_score_never_counts_as_correct_and_ranks_above_every_number()
    {
        // The label's own score NaN: never in the top k, even with k = classes.
        Assert.False(TopK.Contains(new[] { float.NaN, 0f, 0f }, 0, 1));
        Assert.False(TopK.Contains(new[] { 1f, float.NaN, 0f }, 1, 3));
        // A NaN elsewhere pushes the label down one place, as arg-max picks the NaN.
        float[] row = { 0.1f, float.NaN, 0.9f };
        Assert.False(TopK.Contains(row, 2, 1));
        Assert.True(TopK.Contains(row, 2, 2));
        Assert.Equal(1, Classification.ArgMax(row));
        Assert.Equal(0.0, Classification.TopKAccuracy(new[] { float.NaN, float.NaN }, new[] { 0 }, 1, 2, 2), 12);
    }

    [Fact]
    public void K_at_or_beyond_the_class_count_holds_every_finite_label()
    {
        float[] row = { -1f, float.NegativeInfinity, 3f };
        for (int label = 0; label < row.Length; label++)
        {
            Assert.True(TopK.Contains(row, label, 3));
            Assert.True(TopK.Contains(row, label, 10));
        }
        Assert.Equal(1.0, Classification.TopKAccuracy(row, new[] { 1 }, 1, 3, 3), 12);
        // Not a class index: never contained.
        Assert.False(TopK.Contains(row, 3, 10));
        Assert.False(TopK.Contains(row, -1, 10));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TopK.Contains(row, 0, 0));
        Assert.Contains("k must be at least 1", e.Message);
    }

    [Fact]
    public void Top_1_is_arg_max_accuracy_with_the_same_tie_and_NaN_rule()
    {
        var random = new Random(3);
        const int rows = 2000, classes = 5;
        var scores = new float[rows * classes];
        var labels = new int[rows];
        for (int i = 0; i < scores.Length; i++)
        {
            // Few distinct values so ties are common; some NaNs.
            int pick = random.Next(12);
            scores[i] = pick == 11 ? float.NaN : pick / 4;
        }
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(classes);
        }
        int argMaxHits = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = scores.AsSpan(r * classes, classes);
            bool hit = Classification.ArgMax(row) == labels[r] && !float.IsNaN(row[labels[r]]);
            if (hit) argMaxHits++;
            Assert.Equal(hit, TopK.Contains(row, labels[r], 1));
        }
        Assert.Equal((double)argMaxHits / rows, Classification.TopKAccuracy(scores, labels, rows, classes, 1), 12);
        Assert.InRange(argMaxHits, 1, rows - 1);
    }

    [Fact]
    public void Contains_allocates_nothing()
    {
        float[] row = { 0.3f, 0.1f, 0.3f, 0.2f };
        TopK.Contains(row, 2, 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int hits = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (TopK.Contains(row, i % 4, 2)) hits++;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(500, hits);
    }
}
