using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// The configurable limits (the hard .NET array limits, CG0301, are in DiagnosticTests.cs).
public sealed partial class DiagnosticTests
{
    // The classic accident: Flatten a large map straight into a wide Dense layer.
    [Fact]
    public Task Window_over_the_unroll_budget_is_reported_as_information() => VerifyAsync(Usings + """
        [Network(Input = "29x29x1")]
        [Conv2D(4, 3, Activation = Activation.Relu)]
        [{|#0:AvgPool2D(9)|}]
        [{|#1:Conv2D(2, 9, Padding = Padding.Same)|}]
        [Flatten]
        [Dense(10)]
        public sealed partial class WidePoolNet;
        """,
        Info(DiagnosticDescriptors.WindowNotUnrolledId, 0,
            "layer 1 AvgPool2D 'average_pooling2d': its 9x9 window has 81 taps, more than the 64 that generated code writes out one by one; its taps are generated as a loop instead (same results, a smaller file)"),
        Info(DiagnosticDescriptors.WindowNotUnrolledId, 1,
            "layer 2 Conv2D 'conv2d_1': its 9x9 window has 81 taps, more than the 64 that generated code writes out one by one; its taps are generated as a loop instead (same results, a smaller file)"));

    [Fact]
    public Task Parameters_over_the_default_limit() => VerifyAsync(Usings + """
        [Network(Input = "64x64x64")]
        [Flatten]
        [{|#0:Dense(256)|}]
        public sealed partial class WideNet;
        """,
        Warning(DiagnosticDescriptors.ParameterBudgetExceededId, 0,
            "Network 'WideNet' has 67,109,120 trainable parameters (256 MiB as float32), more than the limit of 50,000,000 (MSBuild property ConvGenMaxParameters); the largest share is layer 1 Dense 'dense' with 67,109,120 (weights [262144,256] + bias [256]): use fewer units, or downsample before Flatten (pooling or a stride) so that it has fewer inputs"));

    [Fact]
    public Task Parameters_over_a_configured_limit() => VerifyAsync(Usings + """
        [Network(Input = "8x8x1")]
        [{|#0:Conv2D(16, 3, Activation = Activation.Relu)|}]
        [GlobalAvgPool2D]
        [Dense(2)]
        public sealed partial class SmallNet;
        """,
        "build_property.ConvGenMaxParameters = 100",
        Warning(DiagnosticDescriptors.ParameterBudgetExceededId, 0,
            "Network 'SmallNet' has 194 trainable parameters (776 bytes as float32), more than the limit of 100 (MSBuild property ConvGenMaxParameters); the largest share is layer 0 Conv2D 'conv2d' with 160 (weights [3,3,1,16] + bias [16]): use fewer filters or a smaller kernel"));

    // 16x16x1 input + 14x14x64 + 64 + 2 floats = 12,866 floats = 51,464 bytes.
    [Fact]
    public Task Activation_memory_over_a_configured_limit() => VerifyAsync(Usings + """
        [Network(Input = "16x16x1")]
        [{|#0:Conv2D(64, 3)|}]
        [GlobalMaxPool2D]
        [Dense(2)]
        public sealed partial class WideMapNet;
        """,
        "build_property.ConvGenMaxActivationBytes = 32_768",
        Warning(DiagnosticDescriptors.ActivationBudgetExceededId, 0,
            "Network 'WideMapNet' holds 50.3 KiB of activations per sample (input and every layer's output as float32), more than the limit of 32 KiB (MSBuild property ConvGenMaxActivationBytes); the largest is layer 0 Conv2D 'conv2d' with output 14x14x64 (49 KiB): downsample earlier (pooling or a stride) or use fewer filters"));

    [Fact]
    public Task Unreadable_limit_setting() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public sealed partial class Net;
        """,
        "build_property.ConvGenMaxParameters = lots",
        new DiagnosticResult(DiagnosticDescriptors.InvalidLimitSettingId, DiagnosticSeverity.Warning)
            .WithMessage("MSBuild property ConvGenMaxParameters = 'lots' is not a positive whole number; ConvGen uses the default 50,000,000"));
}
