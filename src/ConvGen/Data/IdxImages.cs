namespace ConvGen.Data;

/// <summary>Grey images read from an IDX file, as floats in [0, 1], NHWC with one channel.</summary>
/// <param name="Pixels"><c>Count * Rows * Columns</c> values, image after image, row-major.</param>
/// <param name="Count">Number of images.</param>
/// <param name="Rows">Image height.</param>
/// <param name="Columns">Image width.</param>
public sealed record IdxImages(float[] Pixels, int Count, int Rows, int Columns)
{
    /// <summary>Always 1: IDX images are grey.</summary>
    public int Channels => 1;

    /// <summary>Floats per image (<c>Rows * Columns</c>).</summary>
    public int ImageLength => Rows * Columns;
}
