using System;

namespace ConvGen.Tests.Layers.Pooling;

/// <summary>A 2x2 max pool over 9 channels: a Vector256 block and a channel past it.</summary>
[Network(Input = "4x6x9")]
[MaxPool2D(2)]
public sealed partial class NaNMaxPoolNet;

/// <summary>The global max over the same input.</summary>
[Network(Input = "4x6x9")]
[GlobalMaxPool2D]
public sealed partial class NaNGlobalMaxPoolNet;

/// <summary>
/// The vector max pools keep a NaN cell's NaN (the processor's max drops it; the generated code
/// remembers it in a mask, see PoolEmitter.EmitReduce): a diverged layer below shows as NaN, as the
/// IEEE max and the scalar path give. Every other window's maximum is exactly its largest cell.
/// </summary>
public sealed class MaxPoolNaNTests
{
    private const int Height = 4, Width = 6, Channels = 9, Batch = 2;

    [Fact]
    public void A_NaN_cell_makes_its_window_NaN_and_leaves_the_others_exact()
    {
        var inputs = Inputs();
        var outputs = new float[Batch * 2 * 3 * Channels];
        NaNMaxPoolNet.Create(1).Predict(inputs, outputs);

        for (int n = 0; n < Batch; n++)
        for (int oy = 0; oy < 2; oy++)
        for (int ox = 0; ox < 3; ox++)
        for (int c = 0; c < Channels; c++)
        {
            float expected = float.NegativeInfinity;
            for (int ky = 0; ky < 2; ky++)
            for (int kx = 0; kx < 2; kx++)
            {
                expected = MathF.Max(expected, inputs[Index(n, 2 * oy + ky, 2 * ox + kx, c)]);
            }
            float actual = outputs[((n * 2 + oy) * 3 + ox) * Channels + c];
            string where = $"sample {n}, window ({oy},{ox}), channel {c}";
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"{where}: {actual}, expected NaN");
            else Assert.True(expected == actual, $"{where}: {actual}, expected {expected}");
        }
        Assert.True(float.IsNaN(outputs[((0 * 2 + 0) * 3 + 1) * Channels + 3]), "the vector lane's NaN window");
        Assert.True(float.IsNaN(outputs[((1 * 2 + 1) * 3 + 2) * Channels + 8]), "the last channel's NaN window");
    }

    [Fact]
    public void A_NaN_cell_makes_the_global_max_of_its_channel_NaN()
    {
        var inputs = Inputs();
        var outputs = new float[Batch * Channels];
        NaNGlobalMaxPoolNet.Create(1).Predict(inputs, outputs);
        for (int n = 0; n < Batch; n++)
        for (int c = 0; c < Channels; c++)
        {
            float expected = float.NegativeInfinity;
            for (int p = 0; p < Height * Width; p++) expected = MathF.Max(expected, inputs[(n * Height * Width + p) * Channels + c]);
            float actual = outputs[n * Channels + c];
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"sample {n}, channel {c}: {actual}, expected NaN");
            else Assert.True(expected == actual, $"sample {n}, channel {c}: {actual}, expected {expected}");
        }
        Assert.True(float.IsNaN(outputs[3]) && float.IsNaN(outputs[Channels + 8]), "both NaN channels");
    }

    /// <summary>Random values, a NaN in sample 0's window (0,1) at channel 3 (not its first cell) and in sample 1's window (1,2) at channel 8, an infinity elsewhere.</summary>
    private static float[] Inputs()
    {
        var random = new SeededRandom(4);
        var inputs = new float[Batch * Height * Width * Channels];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle() - 0.5f;
        inputs[Index(0, 0, 3, 3)] = float.NaN; // the second cell of its window: the processor's max would drop it at the next
        inputs[Index(1, 2, 5, 8)] = float.NaN;
        inputs[Index(1, 0, 0, 5)] = float.NegativeInfinity;
        return inputs;
    }

    private static int Index(int n, int y, int x, int c) => ((n * Height + y) * Width + x) * Channels + c;
}
