namespace ConvGen.Serialization;

/// <summary>One named float32 tensor of a safetensors file.</summary>
/// <param name="Name">Unique name, e.g. <c>conv2d.weight</c>.</param>
/// <param name="Shape">Dimensions, outermost first; the product must equal <c>Data.Length</c> (an empty shape is a scalar).</param>
/// <param name="Data">Values in row-major order.</param>
public sealed record SafeTensor(string Name, int[] Shape, float[] Data)
{
    /// <summary>The shape as <c>[a,b,c]</c>, the notation used in every ConvGen message.</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(System.Collections.Generic.IEnumerable<int> shape) => "[" + string.Join(",", shape) + "]";
}
