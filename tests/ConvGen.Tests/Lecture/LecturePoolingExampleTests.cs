namespace ConvGen.Tests.Lecture;

/// <summary>The lecture's 4x4 pooling example, 2x2 windows with the default stride 2.</summary>
public sealed class LecturePoolingExampleTests
{
    private static readonly float[] Input =
    {
         1,  4,  2, 11,
         6, 13,  8,  3,
        10,  0, 17,  7,
         9,  2,  3,  5,
    };

    [Fact]
    public void Max_pooling_keeps_the_largest_value_of_each_window()
    {
        var output = new float[LectureMaxPooling.OutputLength];

        new LectureMaxPooling().Predict(Input, output);

        Assert.Equal(new float[] { 13, 11, 10, 17 }, output);
    }

    /// <summary>The lecture rounds 5.25 to 5; the exact mean of 10, 0, 9, 2 is 5.25.</summary>
    [Fact]
    public void Average_pooling_takes_the_mean_of_each_window()
    {
        var output = new float[LectureAveragePooling.OutputLength];

        new LectureAveragePooling().Predict(Input, output);

        Assert.Equal(new float[] { 6, 6, 5.25f, 8 }, output);
    }
}
