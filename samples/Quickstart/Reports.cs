using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Training;

namespace Quickstart;

/// <summary>Text reports: the per-epoch history and the final comparison of the two runs.</summary>
internal static class Reports
{
    public static void WriteHistory(string path, IReadOnlyList<(string Label, History History)> runs)
    {
        var text = new StringBuilder("run,epoch,loss,accuracy,val_loss,val_accuracy,seconds\n");
        foreach (var (label, history) in runs)
        {
            foreach (var e in history.Epochs)
            {
                text.Append(CultureInfo.InvariantCulture, $"{label},{e.Epoch},{e["loss"]:0.#####},{e["accuracy"]:0.#####},{e["val_loss"]:0.#####},{e["val_accuracy"]:0.#####},{e.Seconds:0.##}\n");
            }
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// The two runs side by side. "During training" is what the curves show (with dropout and
    /// augmentation on in run 2); "evaluated" re-measures the training images with both off,
    /// so the gap compares like with like.
    /// </summary>
    public static void PrintComparison(History plain, History regularised, double plainTrain, double regularisedTrain)
    {
        Console.WriteLine($"{"",-36} {"train acc",15} {"train acc",12} {"val acc",9} {"gap",13} {"best",9}");
        Console.WriteLine($"{"",-36} {"while training",15} {"evaluated",12} {"",9} {"(evaluated)",13} {"val acc",9}");
        double gap1 = Line("Run 1: no dropout, no augmentation", plain, plainTrain);
        double gap2 = Line("Run 2: dropout + augmentation", regularised, regularisedTrain);
        Console.WriteLine(gap2 < gap1 && regularised.Last["val_accuracy"] > plain.Last["val_accuracy"]
            ? "Dropout and augmentation narrowed the gap and raised validation accuracy: less overfitting."
            : "This time dropout and augmentation did not both narrow the gap and raise validation accuracy; try more --epochs or more data.");
    }

    private static double Line(string label, History history, double evaluatedTrain)
    {
        var last = history.Last;
        double best = history.Series("val_accuracy").Max();
        double gap = evaluatedTrain - last["val_accuracy"];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-36} {last["accuracy"],15:0.0000} {evaluatedTrain,12:0.0000} {last["val_accuracy"],9:0.0000} {gap,13:0.0000} {best,9:0.0000}"));
        return gap;
    }
}
