using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;

namespace ConvGen.Tool.Tests;

public sealed class SummaryCommandTests : TemporaryFolder
{
    [Fact]
    public void Summary_of_saved_weights_is_the_trained_networks_own_table()
    {
        var net = TrainedWeights.Save(In("tool-net.safetensors"));
        var result = Convgen.Run("summary", In("tool-net.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(ModelSummary.Format(net), result.Output);
        // By hand: conv 3*3*3*4 + 4 = 112; conv 2*2*4*5 + 5 = 85 on [6,6,4] -> [3,3,5]; dense 45*3 + 3 = 138.
        Assert.Contains("Total params: 335", result.Output);
        Assert.Contains("Trainable params: 335", result.Output);
        Assert.Contains("Non-trainable params: 0", result.Output);
        Assert.Contains("conv2d_1 (Conv2D)", result.Output);
        Assert.Contains("Saved from ConvGen.Tool.Tests.ToolNet: input [12,12,3] -> output [3], 6 tensors.", result.Output);
    }

    [Fact]
    public void Frozen_layers_are_counted_as_non_trainable()
    {
        var net = TrainedWeights.Save(In("frozen.safetensors"), freezeFirstLayer: true);
        var result = Convgen.Run("summary", In("frozen.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Trainable params: 223", result.Output);
        Assert.Contains("Non-trainable params: 112", result.Output);
        Assert.StartsWith(ModelSummary.Format(net), result.Output);
    }

    [Fact]
    public void Files_saved_before_frozen_layers_were_recorded_still_read()
    {
        var net = TrainedWeights.Train(freezeFirstLayer: true);
        WeightsFile.Save(net, In("new.safetensors"));
        var file = SafeTensors.Read(In("new.safetensors"));
        var older = file.Metadata.Where(m => m.Key != SavedNetwork.FrozenLayersKey).ToDictionary(m => m.Key, m => m.Value);
        SafeTensors.Write(In("old.safetensors"), file.Tensors, older);

        var result = Convgen.Run("summary", In("old.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Non-trainable params: 0", result.Output);
    }

    [Fact]
    public void A_safetensors_file_without_a_layer_table_is_bad_input_with_a_pointer_to_inspect()
    {
        SafeTensors.Write(In("plain.safetensors"), new[] { new SafeTensor("w", new[] { 2 }, new[] { 1f, 2f }) }, new Dictionary<string, string> { ["format"] = "pt" });
        var result = Convgen.Run("summary", In("plain.safetensors"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("metadata has no 'network' entry", result.Error);
        Assert.Contains("(format 'pt'", result.Error);
        Assert.Contains("convgen inspect", result.Error);

        var wrongKind = Convgen.Run("summary", In("model.bin"));
        Assert.Equal(2, wrongKind.ExitCode);
        Assert.Contains("expected a ConvGen weights file, training checkpoint or ONNX model with extension .safetensors or .onnx, got '.bin'", wrongKind.Error);
    }

    [Fact]
    public void A_training_checkpoint_summarises_its_layers_with_parameters()
    {
        var net = ToolNet.Create(seed: 3);
        var adam = new Adam(1e-2f);
        Train(net, adam, 12 * 12 * 3, 3);
        TrainingCheckpoint.Save(In("run.safetensors"), net, adam, epochsCompleted: 2, seed: 11);

        var result = Convgen.Run("summary", In("run.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Model: \"ToolNet\" (training checkpoint)", result.Output);
        // The network's own table, row by row, for every layer that has parameters.
        foreach (LayerInfo layer in net.Layers.Where(l => l.ParameterCount > 0))
        {
            string channels = layer.OutputShape.Rank == 3 ? $"[?,?,{layer.OutputShape.Channels}]" : layer.OutputShape.ToString();
            Assert.Matches($@"(?m)^{layer.Name} \({layer.Kind}\) +{System.Text.RegularExpressions.Regex.Escape(channels)} +{layer.ParameterCount}$", result.Output);
        }
        Assert.DoesNotContain("max_pooling2d", result.Output);
        Assert.Contains($"Total params: {net.Parameters.Length}", result.Output);
        Assert.Contains("Total params: 335 (1.31 KB)", result.Output);
        Assert.Contains("Trainable params: 335", result.Output);
        Assert.Contains("Non-trainable params: 0", result.Output);
        Assert.Contains($"Checkpoint of ConvGen.Tool.Tests.ToolNet after 2 epoch(s): optimizer Adam ({adam.State.Count} state tensor(s), {adam.StepCount} steps), learning rate 0.01, seed 11.", result.Output);
        Assert.Contains("Only layers with parameters are listed", result.Output);
        AssertSameTotals(net, result.Output);
    }

    [Fact]
    public void Batch_norm_running_statistics_in_a_checkpoint_count_as_non_trainable()
    {
        var net = NormedNet.Create(seed: 2);
        var sgd = new Sgd(1e-2f);
        Train(net, sgd, 8 * 8 * 2, 2);
        TrainingCheckpoint.Save(In("normed.safetensors"), net, sgd, epochsCompleted: 1, seed: 1);

        var result = Convgen.Run("summary", In("normed.safetensors"));
        Assert.True(result.ExitCode == 0, result.ToString());
        // By hand: conv 3*3*2*3 = 54 without bias; BatchNorm 4 x 3 (gamma, beta trained; running mean and variance not); dense 27*2 + 2 = 56.
        Assert.Matches(@"(?m)^conv2d \(Conv2D\) +\[\?,\?,3\] +54$", result.Output);
        Assert.Matches(@"(?m)^batch_norm\w* \(BatchNorm\) +\[\.\.\.,3\] +12$", result.Output);
        Assert.Matches(@"(?m)^dense \(Dense\) +\[2\] +56$", result.Output);
        Assert.Contains("Total params: 122", result.Output);
        Assert.Contains("Trainable params: 116", result.Output);
        Assert.Contains("Non-trainable params: 6", result.Output);
        AssertSameTotals(net, result.Output);
    }

    [Fact]
    public void A_checkpoint_whose_optimizer_state_does_not_fit_its_weights_is_bad_input_naming_the_tensor()
    {
        var net = ToolNet.Create(seed: 3);
        var adam = new Adam(1e-2f);
        Train(net, adam, 12 * 12 * 3, 3);
        TrainingCheckpoint.Save(In("run.safetensors"), net, adam, epochsCompleted: 1, seed: 1);
        var file = SafeTensors.Read(In("run.safetensors"));
        var damaged = file.Tensors.Select(t => t.Name.StartsWith("optimizer.", System.StringComparison.Ordinal) ? t with { Shape = new[] { 7 }, Data = new float[7] } : t);
        SafeTensors.Write(In("damaged.safetensors"), damaged.ToList(), file.Metadata.ToDictionary(m => m.Key, m => m.Value));

        var result = Convgen.Run("summary", In("damaged.safetensors"));
        result.AssertBadInput("damaged.safetensors: optimizer state 'optimizer.", "holds 7 values, but the parameter tensors hold 335");
    }

    // The totals of the network's own table (ModelSummary), line for line.
    private static void AssertSameTotals(INetwork net, string output)
    {
        foreach (string line in ModelSummary.Format(net).Split('\n').Where(l => l.Contains("params:", System.StringComparison.Ordinal)))
        {
            Assert.Contains(line.TrimEnd(), output);
        }
    }

    private static void Train(ITrainableNetwork net, Optimizer optimizer, int inputLength, int classes)
    {
        var random = new SeededRandom(5);
        var images = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, inputLength).Select(_ => random.NextSingle()).ToArray()).ToArray();
        int[] labels = Enumerable.Range(0, 16).Select(i => i % classes).ToArray();
        net.Fit(Dataset.FromLabels(images, labels, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray()), new TrainingOptions
        {
            Loss = new SparseSoftmaxCrossEntropy(),
            Optimizer = optimizer,
            Epochs = 1,
            BatchSize = 8,
            Seed = 1,
            Threads = 1,
            Progress = null,
        });
    }
}
