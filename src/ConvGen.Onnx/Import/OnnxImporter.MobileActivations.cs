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

    /// <summary>
    /// Mul of two computed tensors: equal shapes, or a 1x1xC factor of an HxWxC map (ConvGen's
    /// Multiply broadcasts only that way). A constant factor has no ConvGen layer.
    /// </summary>
    private void MapMultiply(OnnxNode node)
    {
        if (FlagAttribute(node, "broadcast"))
        {
            throw Unsupported("opset-1 broadcasting Mul ('broadcast' = 1) is not supported");
        }
        if (TryFoldIntoNormalization(node) || TryFuseGatedActivation(node))
        {
            return;
        }
        Value a = Input(node, 0), b = Input(node, 1);
        bool broadcast = a.Shape.Rank == 3 && b.Shape.Rank == 3 && a.Shape.Channels == b.Shape.Channels
            && (a.Shape.Height * a.Shape.Width == 1 || b.Shape.Height * b.Shape.Width == 1);
        if (a.Shape != b.Shape && !broadcast)
        {
            throw Unsupported($"operands of shapes {a.Shape} and {b.Shape}; ConvGen's Multiply needs equal shapes or a [1,1,C] factor of an [H,W,C] map");
        }
        TensorShape output = a.Shape.Length >= b.Shape.Length ? a.Shape : b.Shape;
        AddLayer(node, new ImportedLayer(NewLayerName(node, "multiply"), ImportedLayerKind.Multiply, [a.Layer, b.Layer], a.Shape, output, [Describe(node)]));
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
