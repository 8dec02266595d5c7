using System;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>The activations of mobile networks: HardSigmoid with Keras 3's slope, and Clip as ReLU6 or ReLU.</summary>
public sealed partial class OnnxImporter
{
    /// <summary>ConvGen's hard sigmoid is <c>relu6(x + 3) / 6</c>: ONNX's with alpha 1/6 and beta 1/2.</summary>
    private void MapHardSigmoid(OnnxNode node)
    {
        float alpha = FloatAttribute(node, "alpha", 0.2f);
        float beta = FloatAttribute(node, "beta", 0.5f);
        if (Math.Abs(alpha - 1.0 / 6.0) > 1e-6 || beta != 0.5f)
        {
            throw Unsupported($"alpha = {F(alpha)}, beta = {F(beta)}; "
                + "only alpha = 1/6, beta = 0.5 (relu6(x + 3) / 6, Keras 3's hard_sigmoid) is supported");
        }
        MapActivation(node, Activation.HardSigmoid, double.NaN);
    }

    /// <summary>
    /// Clip to [0, 6] is ReLU6 and to [0, +inf) ReLU; other bounds have no ConvGen layer. From
    /// opset 11 the bounds are optional inputs (constant initializers), before that attributes.
    /// </summary>
    private void MapClip(OnnxNode node)
    {
        float min, max;
        if (_model.DefaultOpsetVersion >= 11)
        {
            min = HasInput(node, 1) ? ScalarInitializer(node, 1, "min") : float.NegativeInfinity;
            max = HasInput(node, 2) ? ScalarInitializer(node, 2, "max") : float.PositiveInfinity;
        }
        else
        {
            min = FloatAttribute(node, "min", float.MinValue);
            max = FloatAttribute(node, "max", float.MaxValue);
        }
        bool unbounded = float.IsPositiveInfinity(max) || max == float.MaxValue;
        if (min == 0f && max == 6f)
        {
            MapActivation(node, Activation.Relu6, double.NaN);
        }
        else if (min == 0f && unbounded)
        {
            MapActivation(node, Activation.Relu, double.NaN);
        }
        else
        {
            throw Unsupported($"bounds [{F(min)}, {F(max)}]; "
                + "only [0, 6] (relu6) and [0, +inf) (relu) are supported");
        }
    }

    private float ScalarInitializer(OnnxNode node, int index, string role)
    {
        float[] values = Initializer(node, index, role).ToFloatArray();
        if (values.Length != 1)
        {
            throw Unsupported($"{role} (input {index}) holds {values.Length} values; it must be a scalar");
        }
        return values[0];
    }
}
