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
        // Weights and biases: 156 + 2,416 + 48,120 + 10,164 + 850.
        Assert.Equal(61_706, root.GetProperty("trainable_parameters").GetInt64());
        Assert.True(root.GetProperty("train_images_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("infer_images_per_second").GetDouble() > 0);
        Assert.Single(root.GetProperty("train_images_per_second_blocks").EnumerateArray().ToArray());
    }

    [Fact]
    public void Bench_runs_the_mobilenet_and_counts_its_depthwise_and_squeeze_work()
    {
        string json = In("mobilenet.json");
        var result = Convgen.Run("bench", "--net", "mobilenet", "--batch", "4", "--threads", "1", "--blocks", "1",
            "--warmup-seconds", "0", "--block-seconds", "0.01", "--samples", "4", "--json", json);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal("mobilenet", root.GetProperty("net").GetString());
        // Multiply-adds by hand, weights x output positions. Stem 3x3x3x16 over 40x40 = 691,200.
        // Block 1 (40x40 -> 20x20): expand 16x48 x 1,600, depthwise 9x48 x 400, project 48x24 x 400.
        // Block 2 (20x20): 24x72, 9x72, 72x24, each x 400. Block 3 (-> 10x10): expand 24x72 x 400,
        // depthwise 9x72 x 100, squeeze 72x24 + 24x72, project 72x40 x 100. Block 4 (10x10):
        // 40x120, 9x120, 40x120 x 100, squeeze 2 x 120x32. Block 5 (-> 5x5): expand 40x160 x 100,
        // depthwise 9x160 x 25, squeeze 2 x 160x40, project 160x64 x 25. Head 64x256 x 25, Dense 256x8.
        long macs = 691_200
            + 1_228_800 + 172_800 + 460_800
            + 691_200 + 259_200 + 691_200
            + 691_200 + 64_800 + 3_456 + 288_000
            + 480_000 + 108_000 + 7_680 + 480_000
            + 640_000 + 36_000 + 12_800 + 256_000
            + 409_600 + 2_048;
        Assert.Equal(2 * macs, root.GetProperty("forward_flops_per_image").GetInt64());
        Assert.True(root.GetProperty("train_images_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("infer_images_per_second").GetDouble() > 0);
    }

    [Fact]
    public void Bench_runs_the_unet_on_per_pixel_labels_and_counts_its_transposed_convolutions_per_input_pixel()
    {
        string json = In("unet.json");
        var result = Convgen.Run("bench", "--net", "unet", "--batch", "2", "--threads", "1", "--blocks", "1",
            "--warmup-seconds", "0", "--block-seconds", "0.01", "--samples", "2", "--json", json);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal("unet", root.GetProperty("net").GetString());
        // The Segmentation sample's U-Net, weights x output positions. 64x64 (4,096): 3x3x3x12,
        // 3x3x12x12; 32x32 (1,024): 3x3x12x24, 3x3x24x24; 16x16 (256): 3x3x24x48, 3x3x48x48; decoder at
        // 32x32: 3x3x48x24, 3x3x24x24; at 64x64: 3x3x24x12 and the 1x1 12x4 classes. A 2x2 stride-2
        // transposed convolution uses its weights once per INPUT position: up2 2x2x48x24 x 256,
        // up1 2x2x24x12 x 1,024 (per output position would count each 4 times).
        long macs = (324 + 1_296 + 2_592 + 48) * 4_096L
            + (2_592 + 5_184 + 10_368 + 5_184) * 1_024L
            + (10_368 + 20_736) * 256L
            + 4_608 * 256L + 1_152 * 1_024L;
        Assert.Equal(2 * macs, root.GetProperty("forward_flops_per_image").GetInt64());
        // Conv weights 58,644 and classes 48 + 4; BatchNorm scale and shift 2 x 228 channels (its
        // running statistics are not trained); up2 4,608 + 24, up1 1,152 + 12. TorchSharp's peer
        // reports the same count for its U-Net.
        Assert.Equal(58_644 + 52 + 456 + 4_632 + 1_164, root.GetProperty("trainable_parameters").GetInt64());
        Assert.True(root.GetProperty("train_images_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("infer_images_per_second").GetDouble() > 0);
    }

    [Fact]
    public void Unknown_network_and_zero_batch_are_usage_errors()
    {
        var unknown = Convgen.Run("bench", "--net", "resnet");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Argument 'resnet' not recognized. Must be one of:", unknown.Error);
        Assert.Contains("'lenet'", unknown.Error);
        Assert.Contains("'unet'", unknown.Error);

        var zero = Convgen.Run("bench", "--batch", "0");
        Assert.Equal(2, zero.ExitCode);
    }

    [Theory]
    // Values the fuzzing campaign found: overflow when rounding the set up to the batch, gigabytes of
    // synthetic images, a block that never ends, warm-up of NaN seconds, no threads at all.
    [InlineData("--samples", "2147483647", "--samples 2147483647: expected a whole number from 1 to 4096.")]
    [InlineData("--batch", "100000", "--batch 100000: expected a whole number from 1 to 256.")]
    [InlineData("--block-seconds", "Infinity", "--block-seconds Infinity: expected seconds above 0 and up to 600.")]
    [InlineData("--block-seconds", "NaN", "--block-seconds NaN: expected seconds above 0 and up to 600.")]
    [InlineData("--block-seconds", "-1", "--block-seconds -1: expected seconds above 0 and up to 600.")]
    [InlineData("--block-seconds", "0", "--block-seconds 0: expected seconds above 0 and up to 600.")]
    [InlineData("--warmup-seconds", "NaN", "--warmup-seconds NaN: expected seconds from 0 up to 600.")]
    [InlineData("--threads", "0", "--threads 0: expected a whole number from 1 to 1024.")]
    [InlineData("--threads", "-3", "--threads -3: expected a whole number from 1 to 1024.")]
    [InlineData("--threads", "2147483647", "--threads 2147483647: expected a whole number from 1 to 1024.")]
    [InlineData("--blocks", "1000000", "--blocks 1000000: expected a whole number from 1 to 100.")]
    [InlineData("--threads", "99999999999", "Cannot parse argument '99999999999' for option '--threads'")]
    public void Out_of_range_values_are_usage_errors_with_the_range(string option, string value, string expected)
    {
        var result = Convgen.Run("bench", "--net", "lenet", option, value);
        result.AssertFailure(2, expected, "Run 'convgen bench --help'");
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Batch_and_samples_together_stay_in_range()
    {
        // --samples is rounded up to a whole number of batches; both bounds keep that small.
        Convgen.Run("bench", "--batch", "100000", "--samples", "64").AssertFailure(2, "--batch 100000: expected a whole number from 1 to 256.");
    }

    [Fact]
    public void A_json_report_into_a_missing_folder_is_refused_before_the_run_and_creates_nothing()
    {
        string report = Path.Combine(In("missing"), "deeper", "lenet.json");
        var result = Convgen.Run("bench", "--net", "lenet", "--json", report);
        result.AssertFailure(2, $"--json {report}: folder {Path.Combine(In("missing"), "deeper")} does not exist; create it first.");
        Assert.False(Directory.Exists(In("missing")));

        Convgen.Run("bench", "--json", Folder).AssertFailure(2, $"--json {Folder}: is a folder; expected a file name");
        Convgen.Run("bench", "--json", "").AssertFailure(2, "--json: expected a file name for the JSON report");
    }

    [Fact]
    public void A_report_that_cannot_be_written_is_bad_input_naming_the_option()
    {
        // /proc exists, so the command line is fine; only writing tells (after the shortest run).
        var result = Convgen.Run("bench", "--net", "lenet", "--batch", "8", "--threads", "1", "--blocks", "1",
            "--warmup-seconds", "0", "--block-seconds", "0.01", "--samples", "8", "--json", "/proc/convgen-bench.json");
        result.AssertBadInput("--json /proc/convgen-bench.json: cannot write the report");
    }
}
