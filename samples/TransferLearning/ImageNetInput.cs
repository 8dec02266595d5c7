using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Model;

namespace TransferLearning;

/// <summary>
/// The pretrained network's input convention, read from the package's own preprocessing graph
/// (ResNetPrepOnnx/ResNetPreprocess.onnx): channels in B,G,R order, values 0-255, minus a
/// per-pixel mean image. ConvGen's images are RGB in [0,1], channels last.
/// </summary>
internal sealed class ImageNetInput
{
    public const int Size = 224;

    private readonly float[] _meanBgr; // NHWC [224,224,3], B,G,R

    private ImageNetInput(float[] meanBgr) => _meanBgr = meanBgr;

    public static ImageNetInput Load(string preprocessOnnx)
    {
        var model = OnnxModel.Load(preprocessOnnx);
        var mean = model.Graph.Initializers.FirstOrDefault(t => t.Name == "MeanImage")
            ?? throw new InvalidDataException($"{preprocessOnnx}: no initializer 'MeanImage'; expected the ResNet preprocessing graph of Microsoft.ML.DnnImageFeaturizer.ResNet18.");
        float[] nchw = mean.ToFloatArray();
        if (nchw.Length != 3 * Size * Size)
        {
            throw new InvalidDataException($"{preprocessOnnx}: 'MeanImage' has {nchw.Length} values; expected 3x{Size}x{Size}.");
        }
        var nhwc = new float[nchw.Length];
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < Size * Size; p++)
            {
                nhwc[p * 3 + c] = nchw[c * Size * Size + p];
            }
        }
        return new ImageNetInput(nhwc);
    }

    /// <summary>RGB [0,1] channels-last picture to the network's input, in place.</summary>
    public void Apply(Span<float> picture)
    {
        if (picture.Length != _meanBgr.Length)
        {
            throw new ArgumentException($"A {Size}x{Size}x3 picture has {_meanBgr.Length} values, not {picture.Length}.", nameof(picture));
        }
        for (int p = 0; p < Size * Size; p++)
        {
            float r = picture[3 * p], g = picture[3 * p + 1], b = picture[3 * p + 2];
            picture[3 * p] = 255f * b - _meanBgr[3 * p];
            picture[3 * p + 1] = 255f * g - _meanBgr[3 * p + 1];
            picture[3 * p + 2] = 255f * r - _meanBgr[3 * p + 2];
        }
    }
}
