using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit.Training;

/// <summary>
/// Convolution gradients. Weight gradient: <see cref="ConvWeightGradientEmitter"/>.
/// Input gradient: for stride 1, a forward convolution of the output gradient with the flipped
/// kernel; for strided layers the kernel is transposed to [kh][kw][filters][in] so that the
/// scatter into the input gradient is vectorised over input channels.
/// </summary>
internal static class ConvBackwardEmitter
{
    /// <summary>The weight gradient's register-tiled kernel: see <see cref="ConvWeightGradientEmitter"/>.</summary>
    public static void EmitWeightGradient(IndentedTextWriter w, LayerPlan l, Catalog.KernelCatalog catalog) => ConvWeightGradientEmitter.Emit(w, l, catalog);

    /// <summary>
    /// For stride 1 the input gradient is itself a convolution: the output gradient, padded by
    /// the kernel's reach minus the forward padding, convolved with the kernel flipped in both
    /// axes and with input and output channels swapped. It then runs on the forward kernel's
    /// register tiles (gathering into each dx pixel once) instead of scattering into dx per tap, or,
    /// for the 5x5 layers of <see cref="Winograd5x5InputGradientPlan"/>, as Winograd F(2x2, 5x5).
    /// </summary>
    public static void EmitInputGradient(IndentedTextWriter w, LayerPlan l, Catalog.KernelCatalog catalog)
    {
        if (AsConvolution(l) is not LayerPlan gather)
        {
            EmitScatterInputGradient(w, l);
            return;
        }
        string name = TrainingMembersEmitter.InputGradientName(l);
        // One entry point: the kernel transposed into the scratch, then the convolution's own entry code on it.
        var entry = new Conv2DEmitter.Entry(
            $"public static void {name}(ReadOnlySpan<float> parameters, Span<float> kernelTransposed, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)",
            "kernelTransposed", "outputGradient", "inputGradient", writer => EmitTranspose(writer, l, flip: true),
            Winograd5x5: Winograd5x5InputGradientPlan.Applies(l));
        Conv2DEmitter.Emit(w, gather, catalog, name, $"// layer {l.Index}: Conv2D '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}, a convolution with the kernel flipped, channels swapped", entry);
    }

    /// <summary>
    /// Copies the layer's HWIO kernel into <c>kernelTransposed</c> as [taps][filters][in] (input
    /// and output channels swapped), with the taps in reverse order when <paramref name="flip"/>.
    /// </summary>
    private static void EmitTranspose(IndentedTextWriter w, LayerPlan l, bool flip)
    {
        int cin = l.Input.Channels;
        int cout = l.Output.Channels;
        w.WriteLine($"// [{l.KernelHeight},{l.KernelWidth},{cin},{cout}] as [{l.KernelHeight},{l.KernelWidth},{cout},{cin}]{(flip ? ", the taps flipped" : "")}");
        w.WriteLine($"TrainingKernels.TransposeKernel(parameters.Slice({I(l.WeightOffset)}, {I(l.WeightCount)}), kernelTransposed, {I(l.KernelHeight * l.KernelWidth)}, {I(cin)}, {I(cout)}, flipTaps: {(flip ? "true" : "false")});");
    }

    /// <summary>
    /// The input gradient as a stride-1 convolution of the output gradient, or null when the
    /// layer is strided, or has fewer input channels than a vector (the gather's output channels)
    /// and the gather would not put pixels in its lanes (<see cref="PixelLanes.Applies"/>): with
    /// channels in the lanes it would run on scalars over the whole zero border, about twice the
    /// scatter's work, while with pixels in the lanes (LeNet's second layer into 6 channels) it
    /// is that work on full vectors.
    /// </summary>
    private static LayerPlan? AsConvolution(LayerPlan l)
    {
        int reachY = (l.KernelHeight - 1) * l.DilationHeight;
        int reachX = (l.KernelWidth - 1) * l.DilationWidth;
        if (l.StrideHeight != 1 || l.StrideWidth != 1 || l.PadTop > reachY || l.PadBottom > reachY || l.PadLeft > reachX || l.PadRight > reachX)
        {
            return null;
        }
        var gather = l with
        {
            Name = l.Name + " input gradient",
            Input = l.Output,
            Output = l.Input,
            PadTop = reachY - l.PadTop,
            PadBottom = reachY - l.PadBottom,
            PadLeft = reachX - l.PadLeft,
            PadRight = reachX - l.PadRight,
            Activation = Model.ActivationKind.Linear,
            UseBias = false,
            WeightOffset = 0,
            BiasOffset = 0,
            BiasCount = 0,
        };
        return l.Input.Channels >= ChannelBlock.Lanes || PixelLanes.AppliesToEveryWidth(WindowShape.Of(gather)) ? gather : null;
    }

    /// <summary>
    /// Scatter windows of at most this many taps are written out tap by tap; larger ones are a
    /// loop over (ky, kx). Each tap's body already loops over the output channels (a broadcast and
    /// a multiply-add per channel and vector of input channels), so the tap loop adds only a
    /// counter and a bounds check per tap, and the kernel stays a few lines instead of one block per tap.
    /// </summary>
    public const int ScatterUnrollTaps = 4;

    private static void EmitScatterInputGradient(IndentedTextWriter w, LayerPlan l)
    {
        var input = l.Input;
        var output = l.Output;
        int cin = input.Channels;
        int cout = output.Channels;
        int taps = l.KernelHeight * l.KernelWidth;
        w.WriteLine($"// layer {l.Index}: Conv2D '{l.Name}' input gradient  dz {l.Output} -> dx {l.Input}");
        using (OpenEntryPoint(w, $"public static void {TrainingMembersEmitter.InputGradientName(l)}(ReadOnlySpan<float> parameters, Span<float> kernelTransposed, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)"))
        {
            EmitTranspose(w, l, flip: false);
            w.WriteLine($"inputGradient.Slice(0, {Arithmetic.Times("batch", input.Length)}).Clear();");
            w.WriteLine("ref float weights = ref MemoryMarshal.GetReference(kernelTransposed);");
            using (w.WriteBlock("for (int n = 0; n < batch; n++)"))
            {
                w.WriteLine($"ref float dx = ref Unsafe.Add(ref MemoryMarshal.GetReference(inputGradient), {Arithmetic.Times("n", input.Length)});");
                w.WriteLine($"ref float dz = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), {Arithmetic.Times("n", output.Length)});");
                using (w.WriteBlock($"for (int oy = 0; oy < {I(output.Height)}; oy++)"))
                using (w.WriteBlock($"for (int ox = 0; ox < {I(output.Width)}; ox++)"))
                {
                    w.WriteLine($"ref float pixel = ref Unsafe.Add(ref dz, {Arithmetic.Times(Arithmetic.Sum(Arithmetic.Times("oy", output.Width), "ox"), cout)});");
                    WindowLoops.EmitPixelOrigin(w, WindowShape.Of(l), "dx");
                    var blocks = ChannelBlock.Split(cin);
                    foreach (var block in blocks)
                    {
                        using (ChannelBlocks.Open(w, block, alone: blocks.Count == 1))
                        {
                            w.WriteLine($"// input channels {block.Range()}");
                            WindowLoops.EmitTaps(w, WindowShape.Of(l), tap =>
                            {
                                ChannelBlocks.Declare(w, block, "acc", lane => $"Vector256.LoadUnsafe(ref xp{VectorOffset(block.Offset(lane))})", s => At("xp", block.Offset(s)));
                                w.WriteLine($"ref float wt = ref {At("weights", Arithmetic.Sum(Arithmetic.Times(tap, cin * cout), block.First))};");
                                using (w.WriteBlock($"for (int co = 0; co < {I(cout)}; co++)"))
                                {
                                    w.WriteLine($"ref float row = ref {At("wt", Arithmetic.Times("co", cin))};");
                                    w.WriteLine(block.Vectors > 0 ? "Vector256<float> gv = Vector256.Create(Unsafe.Add(ref pixel, co));" : "float gs = Unsafe.Add(ref pixel, co);");
                                    ChannelBlocks.Combine(w, block with { Start = 0, Repeat = 1 }, "acc", "row",
                                        (acc, load) => $"{acc} = Vector256.MultiplyAddEstimate(gv, {load}, {acc});",
                                        (acc, load) => $"{acc} += gs * {load};");
                                }
                                ChannelBlocks.Store(w, block, "acc", "xp", acc => acc, acc => acc);
                            }, "dx", ScatterUnrollTaps);
                        }
                    }
                }
            }
        }
    }
}
