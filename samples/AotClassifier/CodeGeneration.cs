using System.Runtime;
using System.Runtime.Intrinsics;

namespace AotClassifier;

/// <summary>
/// How this process runs: JIT or native code, and which vector widths are hardware-accelerated.
/// Under NativeAOT the widths are fixed when the executable is compiled (IlcInstructionSet),
/// so a publish with the default x64 instruction set would print Vector256 False here.
/// </summary>
internal static class CodeGeneration
{
    // Not RuntimeFeature.IsDynamicCodeSupported: a PublishAot project reports false there under
    // the JIT too (the SDK sets it so that `dotnet run` behaves like the native executable).
    public static bool IsNative => JitInfo.GetCompiledMethodCount() == 0;

    public static string Describe() =>
        $"code: {(IsNative ? "native (NativeAOT)" : "JIT")}; accelerated: Vector128 {Vector128.IsHardwareAccelerated}, "
        + $"Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}";
}
