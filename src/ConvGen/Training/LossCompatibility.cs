using System;

namespace ConvGen.Training;

/// <summary>What a loss means for metrics, and whether it fits a network's last activation.</summary>
internal enum TaskKind
{
    /// <summary>Sparse labels: target is a class index.</summary>
    SparseClassification,
    /// <summary>One-hot (or soft) class targets.</summary>
    Classification,
    /// <summary>Independent 0/1 targets (binary or multi-label).</summary>
    MultiLabel,
    /// <summary>Real-valued targets.</summary>
    Regression,
}

internal static class LossCompatibility
{
    public static TaskKind TaskOf(Loss loss) => loss switch
    {
        SparseSoftmaxCrossEntropy or DiceLoss => TaskKind.SparseClassification,
        SoftmaxCrossEntropy => TaskKind.Classification,
        SigmoidBinaryCrossEntropy => TaskKind.MultiLabel,
        _ => TaskKind.Regression,
    };

    /// <summary>The target value that marks an unlabelled pixel or row, when the loss has one.</summary>
    public static int? IgnoreLabelOf(Loss loss) => loss switch
    {
        SparseSoftmaxCrossEntropy sparse => sparse.IgnoreLabel,
        DiceLoss dice => dice.IgnoreLabel,
        _ => null,
    };

    /// <summary>
    /// True when a spatial <c>[H,W,C]</c> output is scored one pixel at a time (a per-pixel loss).
    /// A classification loss that cannot mean per-pixel is refused on a spatial output: the whole
    /// map would be one softmax over <c>H*W*C</c> classes, which is never a segmentation.
    /// </summary>
    public static bool IsPerPixel(ITrainableNetwork network, Loss loss)
    {
        if (network.OutputShape.Rank != 3)
        {
            return false;
        }
        if (loss.PerPixel)
        {
            return true;
        }
        if (loss.FusedActivation == Activation.Softmax)
        {
            throw new InvalidOperationException(
                $"{loss.Name} cannot be applied per pixel, but {network.GetType().Name}'s output is spatial {network.OutputShape} "
                + "(one softmax over the channels of every pixel). Use SparseSoftmaxCrossEntropy ([H,W] class-index masks), "
                + "SoftmaxCrossEntropy ([H,W,C] one-hot masks) or DiceLoss, or end the network in GlobalAvgPool2D / Dense for one class per sample.");
        }
        return false; // element-wise losses (MSE, MAE, binary cross-entropy) already mean over every value
    }

    /// <summary>
    /// True when the loss takes the logits and the network ends in the activation the loss fuses
    /// (so backward skips that activation's derivative). A network that ends without activation
    /// gives logits anyway. Any other pairing of a logits loss is refused here, before training.
    /// </summary>
    public static bool UsesLogits(ITrainableNetwork network, Loss loss)
    {
        if (!loss.TakesLogits)
        {
            return false;
        }
        var last = network.OutputActivation;
        if (last == loss.FusedActivation)
        {
            return true;
        }
        if (last == Activation.Linear)
        {
            return false;
        }
        string layer = network.Layers.Count > 0 ? network.Layers[^1].Name : "?";
        throw new InvalidOperationException(
            $"{loss.Name} expects {network.GetType().Name} to end in {loss.FusedActivation.ToString().ToLowerInvariant()} (or in no activation, giving logits), "
            + $"but its last activation is {last.ToString().ToLowerInvariant()} (layer '{layer}'). "
            + (last == Activation.Softmax ? "Use SoftmaxCrossEntropy or SparseSoftmaxCrossEntropy for a softmax output." :
               last == Activation.Sigmoid ? "Use SigmoidBinaryCrossEntropy for a sigmoid output." :
               $"Change the last activation to {loss.FusedActivation.ToString().ToLowerInvariant()} or to linear."));
    }
}
