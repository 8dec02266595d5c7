using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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

    public static void PrintComparison(History plain, History regularised)
    {
        Console.WriteLine("                                   train acc   val acc   gap (train - val)   best val acc");
        Line("Run 1: no dropout, no augmentation", plain);
        Line("Run 2: dropout + augmentation", regularised);
        double gap1 = plain.Last["accuracy"] - plain.Last["val_accuracy"];
        double gap2 = regularised.Last["accuracy"] - regularised.Last["val_accuracy"];
        Console.WriteLine(gap2 < gap1 && regularised.Last["val_accuracy"] > plain.Last["val_accuracy"]
            ? "Dropout and augmentation narrowed the gap and raised validation accuracy: less overfitting."
            : "This time dropout and augmentation did not both narrow the gap and raise validation accuracy; try more --epochs or more data.");
    }

    private static void Line(string label, History history)
    {
        var last = history.Last;
        double best = 0;
        foreach (double v in history.Series("val_accuracy"))
        {
            best = Math.Max(best, v);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-34} {last["accuracy"],9:0.0000} {last["val_accuracy"],9:0.0000} {last["accuracy"] - last["val_accuracy"],19:0.0000} {best,14:0.0000}"));
    }
}
