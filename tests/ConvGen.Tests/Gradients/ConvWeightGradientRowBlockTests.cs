using System;
using ConvGen.Data;

namespace ConvGen.Tests.Gradients;

/// <summary>A 3x3 same convolution whose padded sample (7x7 pixels of 256 channels and a gap) is larger than L1: its weight gradient runs in row blocks; 256 channels: spread copies.</summary>
[Network(Input = "5x5x256")]
[Conv2D(256, 3, Padding = Padding.Same, UseBias = false)]
[Flatten]
[Dense(2)]
public sealed partial class WideConvRowBlockNet;

/// <summary>
/// A convolution weight gradient whose sample is larger than L1 runs every block of output
/// channels over a block of rows before the next rows (ConvWeightGradientKernel.RowBlock): every
/// dW element must still be, bit for bit, the running sum from its old value over the samples in
/// order and each sample's pixels in order, one fused multiply-add each, as plain loops make it.
/// </summary>
public sealed class ConvWeightGradientRowBlockTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(3)]
    public void A_weight_gradient_in_row_blocks_adds_sample_after_sample_as_plain_loops(int batch)
    {
        var network = WideConvRowBlockNet.Create(3);
        var workspace = (WideConvRowBlockNet.TrainingWorkspace)network.CreateTrainingWorkspace(batch);
        AssertSameBits(network, workspace, () => workspace.GradientB, batch, height: 5, width: 5, cin: 256, cout: 256, size: 3, pad: 1);
    }

    /// <summary>
    /// One backward pass of a network whose first layer is the convolution under test; its output
    /// gradient is where the Dense layer's backward leaves it (<paramref name="convOutputGradient"/>).
    /// </summary>
    private static void AssertSameBits(ITrainableNetwork network, ITrainingWorkspace workspace, Func<float[]> convOutputGradient,
        int batch, int height, int width, int cin, int cout, int size, int pad)
    {
        var random = new SeededRandom((ulong)batch);
        var input = Random(random, batch * height * width * cin);
        network.ForwardTraining(input, workspace, batch, DropoutContext.Off);
        for (int i = 0; i < workspace.OutputGradient.Length; i++) workspace.OutputGradient[i] = random.NextSingle() - 0.5f;
        // Old values in dW: the kernel adds to them.
        int weights = size * size * cin * cout;
        for (int i = 0; i < weights; i++) workspace.Gradients[i] = random.NextSingle() - 0.5f;
        var expected = workspace.Gradients.Slice(0, weights).ToArray();

        network.Backward(input, workspace, batch, gradientIsForLogits: true);

        var outputGradient = convOutputGradient();
        for (int ky = 0; ky < size; ky++)
        for (int kx = 0; kx < size; kx++)
        for (int ci = 0; ci < cin; ci++)
        for (int co = 0; co < cout; co++)
        {
            int at = ((ky * size + kx) * cin + ci) * cout + co;
            float sum = expected[at];
            for (int n = 0; n < batch; n++)
            for (int oy = 0; oy < height; oy++)
            for (int ox = 0; ox < width; ox++)
            {
                int iy = oy + ky - pad, ix = ox + kx - pad;
                // A tap in the border reads a zero of the padded copy: the product is added all the same.
                float x = iy >= 0 && iy < height && ix >= 0 && ix < width ? input[((n * height + iy) * width + ix) * cin + ci] : 0f;
                sum = MathF.FusedMultiplyAdd(x, outputGradient[((n * height + oy) * width + ox) * cout + co], sum);
            }
            expected[at] = sum;
        }
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(workspace.Gradients[i]))
            {
                Assert.Fail($"dW[{i}]: {workspace.Gradients[i]:R} from the kernel, {expected[i]:R} from plain loops");
            }
        }
    }

    private static float[] Random(SeededRandom random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() - 0.5f;
        return values;
    }
}
