using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Training;

/// <summary>Creates losses by name, so command lines and configuration can name them as Keras does.</summary>
public static class Losses
{
    // Keras names and their common short forms; lookup ignores case, '_' and '-'.
    private static readonly (string[] Names, Func<Loss> Create)[] Catalogue =
    {
        (new[] { "categorical_crossentropy", "softmax_cross_entropy", "cce" }, () => new SoftmaxCrossEntropy()),
        (new[] { "sparse_categorical_crossentropy", "sparse_softmax_cross_entropy", "scce" }, () => new SparseSoftmaxCrossEntropy()),
        (new[] { "binary_crossentropy", "sigmoid_binary_cross_entropy", "bce" }, () => new SigmoidBinaryCrossEntropy()),
        (new[] { "dice", "dice_loss", "soft_dice" }, () => new DiceLoss()),
        (new[] { "mean_squared_error", "mse" }, () => new MeanSquaredError()),
        (new[] { "mean_absolute_error", "mae" }, () => new MeanAbsoluteError()),
    };

    /// <summary>The canonical names <see cref="For"/> accepts (aliases such as <c>mse</c> work too).</summary>
    public static IReadOnlyList<string> Names { get; } = Catalogue.Select(entry => entry.Names[0]).ToArray();

    /// <summary>
    /// Returns a new loss for a Keras-style name (<c>sparse_categorical_crossentropy</c>), a short
    /// form (<c>mse</c>) or the class name (<c>SoftmaxCrossEntropy</c>); case, '_' and '-' are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Loss For(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalize(name);
        foreach (var (names, create) in Catalogue)
        {
            Loss loss = create();
            if (names.Any(n => Normalize(n) == key) || Normalize(loss.GetType().Name) == key)
            {
                return loss;
            }
        }
        throw new ArgumentException(
            $"unknown loss '{name}'; expected one of {string.Join(", ", Catalogue.Select(e => string.Join(" / ", e.Names)))}.",
            nameof(name));
    }

    private static string Normalize(string name) =>
        new string(name.Where(c => c != '_' && c != '-' && !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant).ToArray());
}
