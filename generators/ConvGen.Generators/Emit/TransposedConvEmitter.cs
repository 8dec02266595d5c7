using System;
using ConvGen.Generators.Emit.Catalog;
using ConvGen.Generators.Emit.Training;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// Conv2DTranspose's kernels, weights <c>[kh][kw][filters][in]</c> (Keras), every shape a constant.
/// <list type="bullet">
/// <item>Forward, kernel equal to stride (the U-Net's 2x2 stride 2): every output pixel takes exactly
/// one tap, so kernel row <c>ky</c> fills output rows <c>s * iy + ky</c> by a 1x1 convolution of the
/// input with that row's taps as its weights <c>[in][kw x filters]</c>: the register-tiled
/// <see cref="ConvForwardKernel"/>, writing every <c>kh</c>-th output row (<see cref="OutputRows"/>).</item>
/// <item>Forward otherwise (kernel not the stride, dilation, same padding, output padding): a gather,
/// <see cref="TransposedConvGatherKernel"/>, each output pixel summing the taps that reach it.</item>
/// <item>Both gradients: the transposed convolution's adjoint is the convolution it transposes, the
/// output gradient convolved with the kernel read as HWIO <c>[kh][kw][filters][in]</c> (exactly
/// Keras's layout). The input gradient is that convolution's forward body, the weight gradient its
/// weight-gradient body with input and output gradient swapped.</item>
/// </list>
/// Bias and the fused activations run in the forward body's epilogue, as in Conv2D; the
/// backward applies the activation's derivative before the layer, as for every weighted layer.
/// </summary>
internal static class TransposedConvEmitter
{
    /// <summary>Kernel equal to stride, no dilation, nothing cropped or added: every output pixel receives exactly one tap.</summary>
    public static bool IsPointwise(LayerPlan l) =>
        l.KernelHeight == l.StrideHeight && l.KernelWidth == l.StrideWidth
        && (l.DilationHeight == 1 || l.KernelHeight == 1) && (l.DilationWidth == 1 || l.KernelWidth == 1)
        && l.PadTop == 0 && l.PadBottom == 0 && l.PadLeft == 0 && l.PadRight == 0;

    /// <summary>The forward entry point, named <paramref name="methodName"/> or the layer's kernel name (which takes <c>activate</c>).</summary>
    public static void EmitForward(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string? methodName)
    {
        string name = methodName ?? MethodName(l);
        bool optional = Conv2DEmitter.OptionalActivation(l, methodName);
        var fused = IsFused(l.Activation) ? l.Activation : ActivationKind.Linear;
        string epilogue = catalog.RequireEpilogue(l.UseBias, fused, l.Alpha, name);
        string? linear = optional && IsFused(l.Activation) ? catalog.RequireEpilogue(l.UseBias, ActivationKind.Linear, l.Alpha, name) : null;
        w.WriteLine(ShapeComment(l));
        using (OpenEntryPoint(w, $"public static void {name}({Conv2DEmitter.Parameters}{(optional ? Conv2DEmitter.ActivateParameter : "")})"))
        {
            if (IsPointwise(l))
            {
                EmitPointwise(w, l, catalog, name, epilogue, linear);
            }
            else
            {
                EmitGather(w, l, catalog, name, epilogue, linear);
            }
            Conv2DEmitter.EmitActivationPass(w, l, all: false, optional);
        }
    }

    private static void EmitPointwise(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string name, string epilogue, string? linear)
    {
        int kh = l.KernelHeight, kw = l.KernelWidth, filters = l.Output.Channels, channels = l.Input.Channels;
        int rowFilters = kw * filters;
        int rowWeights = channels * rowFilters;
        int outputRow = l.Output.Width * filters;
        var shape = new WindowShape(l.Input, Shape.Spatial(l.Input.Height, l.Input.Width, rowFilters), 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        var rows = new OutputRows(kh * outputRow, (int)l.Output.Length);
        w.WriteLine($"// Kernel row ky fills output rows {Arithmetic.Sum(Arithmetic.Times("iy", kh), kh > 1 ? "ky" : "")} (one tap each): a 1x1 convolution [{l.Input.Height},{l.Input.Width},{channels}] -> [{l.Input.Height},{l.Input.Width},{kw}x{filters}]");
        w.WriteLine($"// whose weights are that row's taps, [{kw},{filters},{channels}] as [{channels}][{kw}x{filters}]; its output pixel j is output pixels {Arithmetic.Times("j", kw)}.. of the row.");
        RentKernel(w, l.WeightCount + (l.UseBias ? rowFilters : 0));
        w.WriteLine($"TrainingKernels.TransposeKernel(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), kernel, {I(kh)}, {I(rowFilters)}, {I(channels)}, flipTaps: false);");
        w.WriteLine("ref float weights = ref MemoryMarshal.GetArrayDataReference(kernel);");
        if (l.UseBias)
        {
            w.WriteLine($"// The bias once per kernel column, so the tile's start values are [{kw}x{filters}] like its accumulators.");
            string copy(string column) => $"parameters.Slice({I(l.BiasOffset)}, {I(filters)}).CopyTo(kernel.AsSpan({Arithmetic.Sum(I(l.WeightCount), Arithmetic.Times(column, filters))}));";
            if (kw == 1)
            {
                w.WriteLine(copy("0"));
            }
            else
            {
                w.WriteLine($"for (int kx = 0; kx < {I(kw)}; kx++) {copy("kx")}");
            }
            w.WriteLine($"ref float bias = ref Unsafe.Add(ref weights, {I(l.WeightCount)});");
        }
        else
        {
            w.WriteLine("ref float bias = ref Unsafe.NullRef<float>(); // no bias: the epilogue never reads it");
        }
        string Call(VectorWidth width, string tail, string ky) =>
            $"{catalog.Require(new ConvForwardKernel(shape, width, rows), name)}<{tail}>(ref {(ky == "0" ? "weights" : $"Unsafe.Add(ref weights, {Arithmetic.Times(ky, rowWeights)})")}, ref bias, input, {(ky == "0" ? "output" : $"output.Slice({Arithmetic.Times(ky, outputRow)})")}, batch)";
        using (kh > 1 ? w.WriteBlock($"for (int ky = 0; ky < {I(kh)}; ky++)") : (IDisposable?)null)
        {
            WriteDispatch(w, rowFilters, linear, (width, tail) => Call(width, tail, kh > 1 ? "ky" : "0"), epilogue);
        }
        ReturnKernel(w);
    }

    private static void EmitGather(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog, string name, string epilogue, string? linear)
    {
        int taps = l.KernelHeight * l.KernelWidth, filters = l.Output.Channels, channels = l.Input.Channels;
        w.WriteLine($"// The kernel [{l.KernelHeight},{l.KernelWidth},{filters},{channels}] as HWIO [{l.KernelHeight},{l.KernelWidth},{channels},{filters}]: each input channel's weights are a vector of filters.");
        RentKernel(w, l.WeightCount);
        w.WriteLine($"TrainingKernels.TransposeKernel(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), kernel, {I(taps)}, {I(filters)}, {I(channels)}, flipTaps: false);");
        w.WriteLine("ref float weights = ref MemoryMarshal.GetArrayDataReference(kernel);");
        w.WriteLine(l.UseBias
            ? $"ref float bias = ref {(l.BiasOffset == 0 ? "MemoryMarshal.GetReference(parameters)" : $"Unsafe.Add(ref MemoryMarshal.GetReference(parameters), {I(l.BiasOffset)})")}; // [{filters}]"
            : "ref float bias = ref Unsafe.NullRef<float>(); // no bias: the epilogue never reads it");
        var shape = WindowShape.Of(l);
        WriteDispatch(w, filters, linear, (width, tail) => $"{catalog.Require(new TransposedConvGatherKernel(shape, width), name)}<{tail}>(ref weights, ref bias, input, output, batch)", epilogue);
        ReturnKernel(w);
    }

    /// <summary>The body calls for the CPU's widest vector; with <c>activate: false</c> (training keeps the pre-activation) the linear epilogue.</summary>
    private static void WriteDispatch(IndentedTextWriter w, int channels, string? linear, Func<VectorWidth, string, string> call, string epilogue)
    {
        if (linear is not null)
        {
            using (w.WriteBlock("if (!activate)"))
            {
                ChannelBlocks.WriteDispatch(w, channels, width => call(width, linear));
            }
            using (w.WriteBlock("else"))
            {
                ChannelBlocks.WriteDispatch(w, channels, width => call(width, epilogue));
            }
            return;
        }
        ChannelBlocks.WriteDispatch(w, channels, width => call(width, epilogue));
    }

    private static void RentKernel(IndentedTextWriter w, long length) =>
        w.WriteLine($"float[] kernel = ArrayPool<float>.Shared.Rent({I(length)});");

    private static void ReturnKernel(IndentedTextWriter w) =>
        w.WriteLine("ArrayPool<float>.Shared.Return(kernel);");

    /// <summary>
    /// The convolution this layer transposes, run on the output gradient: input the layer's output,
    /// output its input, the same kernel, stride, dilation and top / left padding. Rows the output
    /// padding added at the bottom / right (a negative pad) are simply not read: no pad there.
    /// </summary>
    public static LayerPlan Adjoint(LayerPlan l) => l with
    {
        Name = l.Name + " adjoint",
        Input = l.Output,
        Output = l.Input,
        PadBottom = Math.Max(0, l.PadBottom),
        PadRight = Math.Max(0, l.PadRight),
        Activation = ActivationKind.Linear,
        UseBias = false,
    };

    /// <summary>dLoss/d(input): the adjoint convolution of the output gradient, on the convolution's own entry code and body.</summary>
    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        string name = TrainingMembersEmitter.InputGradientName(l);
        var entry = new Conv2DEmitter.Entry(
            $"public static void {name}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)",
            "parameters", "outputGradient", "inputGradient");
        Conv2DEmitter.Emit(w, Adjoint(l), catalog, name,
            $"// layer {l.Index}: Conv2DTranspose '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}, the convolution it transposes: {l.KernelHeight}x{l.KernelWidth} s{l.StrideHeight}, the kernel as HWIO",
            entry);
    }

    /// <summary>
    /// dLoss/dW: the adjoint convolution's weight gradient, its input the output gradient and its
    /// output gradient the layer's input (dW[ky][kx][f][c] sums dz[tap of (iy, ix)][f] x[iy, ix, c]),
    /// written straight into Keras's layout; and dLoss/d(bias), every output pixel's gradient.
    /// </summary>
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, KernelCatalog catalog)
    {
        string name = TrainingMembersEmitter.WeightGradientName(l);
        var shape = WindowShape.Of(Adjoint(l));
        w.WriteLine($"// layer {l.Index}: Conv2DTranspose '{l.Name}' weight gradient  x {l.Input}, dz {l.Output} -> dW [{l.KernelHeight},{l.KernelWidth},{l.Output.Channels},{l.Input.Channels}]{(l.UseBias ? $", db [{l.Output.Channels}]" : "")}");
        using (OpenEntryPoint(w, $"public static void {name}(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> gradients, int batch)"))
        {
            if (l.UseBias)
            {
                w.WriteLine($"VectorMath.AddRowsInPlace(gradients.Slice({I(l.BiasOffset)}, {I(l.BiasCount)}), outputGradient.Slice(0, {Arithmetic.Times("batch", l.Output.Length)})); // db += every output pixel's dz");
            }
            w.WriteLine($"ref float weightGradient = ref {(l.WeightOffset == 0 ? "MemoryMarshal.GetReference(gradients)" : $"Unsafe.Add(ref MemoryMarshal.GetReference(gradients), {I(l.WeightOffset)})")};");
            w.WriteLine("// The adjoint convolution reads dz as its input and x as its output gradient.");
            ChannelBlocks.WriteDispatch(w, l.Input.Channels,
                width => $"{catalog.Require(new ConvWeightGradientKernel(shape, width), name)}(ref weightGradient, default, outputGradient, input, batch)");
        }
    }

    /// <summary>Code size: the forward body's tile, and the adjoint convolution's two bodies.</summary>
    public static long EstimateCodeBytes(LayerPlan l)
    {
        long lines = 0;
        var shape = WindowShape.Of(Adjoint(l));
        if ((long)l.KernelHeight * l.KernelWidth * l.Output.Channels <= 1 << 20)
        {
            foreach (var width in ChannelBlocks.WidthsFor(l.Input.Channels))
            {
                lines += new ConvWeightGradientKernel(shape, width).WrittenMultiplyAdds();
            }
        }
        return 16_000 + lines * 100 + (long)Math.Min(l.Input.Channels, 8) * (l.KernelWidth * l.Output.Channels + 8) * 45;
    }
}
