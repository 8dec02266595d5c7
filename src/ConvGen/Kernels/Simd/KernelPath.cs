using System.Runtime.Intrinsics;

namespace ConvGen.Kernels.Simd;

/// <summary>Which vector width a library kernel runs with.</summary>
internal enum KernelPath
{
    Scalar,
    Vector256,
    Vector512,
}

internal static class KernelPaths
{
    /// <summary>
    /// The widest accelerated width. Vector512 is off when the runtime is told
    /// <c>DOTNET_PreferredVectorBitWidth=256</c> (or the CPU lacks AVX-512), and both are off with
    /// <c>DOTNET_EnableHWIntrinsic=0</c>: that is how a whole test run can be put on each path.
    /// Tests call the kernels' path overloads to check every path in one run.
    /// </summary>
    public static KernelPath Preferred =>
        Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : KernelPath.Scalar;
}
