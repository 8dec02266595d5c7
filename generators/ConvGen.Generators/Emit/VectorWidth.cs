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

    /// <summary>
    /// Vector registers a kernel of this width has: 32 with AVX-512, 16 with AVX2 (a Vector128 tail
    /// runs in a Vector256 body). A register tile's accumulators, the vectors it loads and its
    /// broadcast must fit them, or the JIT spills an accumulator to the stack inside the hot loop.
    /// </summary>
    public int Registers => Lanes == V512.Lanes ? 32 : 16;

    /// <summary>A Vector512 variant is worth emitting when the channels fill whole 512-bit vectors.</summary>
    public static bool Fits512(int channels) => channels % V512.Lanes == 0;

    /// <summary>
    /// With <paramref name="narrowTails"/> (a body that ends its Vector512 blocks with a Vector256
    /// and a Vector128 one) also from 24 channels on: 72 channels are four Vector512 and one
    /// Vector256 multiply-add a step instead of nine Vector256. Below 24, the one Vector512 block
    /// would not pay for a second body.
    /// </summary>
    public static bool Fits512(int channels, bool narrowTails) => Fits512(channels) || (narrowTails && channels >= 24);
}
