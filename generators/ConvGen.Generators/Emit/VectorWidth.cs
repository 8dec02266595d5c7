namespace ConvGen.Generators.Emit;

/// <summary>
/// The vector type a kernel variant is written for. Kernels that have a Vector512 variant
/// choose it at run time from <c>Vector512.IsHardwareAccelerated</c> and keep the Vector256
/// variant for CPUs without AVX-512 (and for runtimes told to prefer 256-bit vectors).
/// </summary>
internal readonly record struct VectorWidth(int Lanes)
{
    public static readonly VectorWidth V256 = new(8);
    public static readonly VectorWidth V512 = new(16);

    /// <summary>Not a kernel variant: the width of a channel block's narrow tail (4 to 7 channels left after the Vector256 ones, see <see cref="ChannelBlock.Split(int, VectorWidth, int, bool)"/>).</summary>
    public static readonly VectorWidth V128 = new(4);

    /// <summary><c>Vector128</c>, <c>Vector256</c> or <c>Vector512</c>: the static class, and with <c>&lt;float&gt;</c> the type.</summary>
    public string Name => Lanes switch { 16 => "Vector512", 4 => "Vector128", _ => "Vector256" };

    public string Type => Name + "<float>";

    /// <summary>A Vector512 variant is worth emitting when the channels fill whole 512-bit vectors.</summary>
    public static bool Fits512(int channels) => channels % V512.Lanes == 0;
}
