using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConvGen.Tool.Tests;

public sealed class BenchCommandTests : TemporaryFolder
{
    [Fact]
    public void Bench_runs_the_throughput_mode_and_writes_its_json()
    {
        // The smallest honest run: one block, no warm-up. Only the report's shape is checked, never a speed.
        string json = In("lenet.json");
        var result = Convgen.Run("bench", "--net", "lenet", "--batch", "8", "--threads", "1", "--blocks", "1",
            "--warmup-seconds", "0", "--block-seconds", "0.01", "--samples", "16", "--json", json);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal("ConvGen", root.GetProperty("framework").GetString());
        Assert.Equal("lenet", root.GetProperty("net").GetString());
        Assert.Equal(8, root.GetProperty("batch").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        // LeNet's forward multiply-adds by hand: conv 5x5x1x6 over 28x28 (same) = 117,600; conv
        // 5x5x6x16 over 10x10 = 240,000; dense 400x120 + 120x84 + 84x10 = 58,920; FLOPs = 2 x MACs.
        Assert.Equal(2 * (117_600 + 240_000 + 58_920), root.GetProperty("forward_flops_per_image").GetInt64());
        Assert.True(root.GetProperty("train_images_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("infer_images_per_second").GetDouble() > 0);
        Assert.Single(root.GetProperty("train_images_per_second_blocks").EnumerateArray().ToArray());
    }

    [Fact]
    public void Unknown_network_and_zero_batch_are_usage_errors()
    {
        var unknown = Convgen.Run("bench", "--net", "resnet");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Argument 'resnet' not recognized. Must be one of:", unknown.Error);
        Assert.Contains("'lenet'", unknown.Error);

        var zero = Convgen.Run("bench", "--batch", "0");
        Assert.Equal(2, zero.ExitCode);
    }
}
