using System.Collections.Generic;
using System.Linq;
using ConvGen.Serialization;

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

        var wrongKind = Convgen.Run("summary", In("model.onnx"));
        Assert.Equal(2, wrongKind.ExitCode);
        Assert.Contains("expected a ConvGen weights file with extension .safetensors, got '.onnx'", wrongKind.Error);
    }
}
