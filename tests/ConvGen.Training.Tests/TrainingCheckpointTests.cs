using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Training.Tests;

public class TrainingCheckpointTests
{
    [Fact]
    public void Save_then_Load_restores_weights_running_statistics_and_optimizer_exactly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        var (saved, savedOptimizer) = Trained(seed: 1);
        savedOptimizer.LearningRate = 0.0025f;
        TrainingCheckpoint.Save(path, saved, savedOptimizer, epochsCompleted: 7, seed: 42);

        var (loaded, optimizer) = Trained(seed: 2);
        CheckpointInfo info = TrainingCheckpoint.Load(path, loaded, optimizer);

        Assert.Equal(new CheckpointInfo(7, 42, 0.0025f), info);
        Assert.Equal(Snapshot(saved, savedOptimizer), Snapshot(loaded, optimizer));
    }

    /// <summary>
    /// Each entry turns a valid checkpoint into one that must be refused: (what, change to the
    /// tensors, change to the metadata, text the message must contain).
    /// </summary>
    public static TheoryData<string, string> InvalidSections() => new()
    {
        { "NaN learning rate", "metadata 'learning_rate' is 'NaN'; expected a finite number, 0 or more" },
        { "negative learning rate", "metadata 'learning_rate' is '-0.5'; expected a finite number" },
        { "overflowing epochs", "metadata 'epochs_completed' is '99999999999'; expected a whole number from 0 to 2147483647" },
        { "negative epochs", "metadata 'epochs_completed' is '-1'; expected a whole number" },
        { "text step count", "metadata 'step_count' is 'three'; expected a whole number" },
        { "overflowing seed", "metadata 'seed' is '18446744073709551616'; expected a whole number" },
        { "missing seed", "the metadata has no 'seed'" },
        { "wrong format", "format is 'convgen', expected 'convgen-checkpoint'" },
        { "other network", "the checkpoint is of network 'Other.Net'" },
        { "other optimizer", "the checkpoint was written with optimizer Sgd, but training resumes with Adam" },
        { "NaN in the last weight tensor", "tensor 'dense.bias' holds NaN at index 2 (only finite values are allowed)" },
        { "infinite running mean", "tensor 'batch_normalization.moving_mean' holds Infinity at index 1" },
        { "weight shape mismatch", "tensor 'dense.weight' has shape [3,4] but the network expects [4,3]" },
        { "missing weight tensor", "tensor 'dense.bias' is missing" },
        { "unknown tensor", "tensor 'dense_2.weight' [2] is not a parameter of the network" },
        { "NaN optimizer moment", "optimizer state 'optimizer.velocity' holds NaN at index 5" },
        { "optimizer moment of wrong length", "optimizer state 'optimizer.momentum' has shape [3]; expected [" },
        { "unexpected optimizer moment", "unexpected state tensor(s) 'v'" },
        { "missing optimizer moment", "missing state tensor(s) 'velocity'" },
        { "steps without state", "stepCount is 3 but no state tensors were given" },
        { "truncated file", "outside the" },
    };

    [Theory]
    [MemberData(nameof(InvalidSections))]
    public void A_refused_checkpoint_changes_nothing(string what, string expected)
    {
        using var dir = new TempDirectory();
        string valid = dir.File("valid.safetensors");
        var (source, sourceOptimizer) = Trained(seed: 1);
        TrainingCheckpoint.Save(valid, source, sourceOptimizer, epochsCompleted: 3, seed: 9);
        string path = dir.File(what.Replace(' ', '-') + ".safetensors");
        Corrupt(valid, path, what);

        var (target, optimizer) = Trained(seed: 5);
        optimizer.LearningRate = 0.125f;
        byte[] before = Snapshot(target, optimizer);

        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, target, optimizer));

        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, Snapshot(target, optimizer));
    }

    private static void Corrupt(string valid, string path, string what)
    {
        SafeTensorFile file = SafeTensors.Read(valid);
        var tensors = file.Tensors.ToList();
        var metadata = file.Metadata.ToDictionary(m => m.Key, m => m.Value);
        void Replace(string name, Func<SafeTensor, SafeTensor> change) => tensors[tensors.FindIndex(t => t.Name == name)] = change(tensors.Single(t => t.Name == name));
        float[] With(float[] data, int index, float value)
        {
            var copy = (float[])data.Clone();
            copy[index] = value;
            return copy;
        }
        switch (what)
        {
            case "NaN learning rate": metadata["learning_rate"] = "NaN"; break;
            case "negative learning rate": metadata["learning_rate"] = "-0.5"; break;
            case "overflowing epochs": metadata["epochs_completed"] = "99999999999"; break;
            case "negative epochs": metadata["epochs_completed"] = "-1"; break;
            case "text step count": metadata["step_count"] = "three"; break;
            case "overflowing seed": metadata["seed"] = "18446744073709551616"; break;
            case "missing seed": metadata.Remove("seed"); break;
            case "wrong format": metadata["format"] = "convgen"; break;
            case "other network": metadata["network"] = "Other.Net"; break;
            case "other optimizer": metadata["optimizer"] = "Sgd"; break;
            case "NaN in the last weight tensor": Replace("dense.bias", t => t with { Data = With(t.Data, 2, float.NaN) }); break;
            case "infinite running mean": Replace("batch_normalization.moving_mean", t => t with { Data = With(t.Data, 1, float.PositiveInfinity) }); break;
            case "weight shape mismatch": Replace("dense.weight", t => t with { Shape = new[] { 3, 4 } }); break;
            case "missing weight tensor": tensors.RemoveAll(t => t.Name == "dense.bias"); break;
            case "unknown tensor": tensors.Add(new SafeTensor("dense_2.weight", new[] { 2 }, new[] { 1f, 2f })); break;
            case "NaN optimizer moment": Replace("optimizer.velocity", t => t with { Data = With(t.Data, 5, float.NaN) }); break;
            case "optimizer moment of wrong length": Replace("optimizer.momentum", t => new SafeTensor(t.Name, new[] { 3 }, t.Data[..3])); break;
            case "unexpected optimizer moment": Replace("optimizer.velocity", t => t with { Name = "optimizer.v" }); break;
            case "missing optimizer moment": tensors.RemoveAll(t => t.Name == "optimizer.velocity"); break;
            case "steps without state": tensors.RemoveAll(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal)); break;
            case "truncated file":
                byte[] bytes = File.ReadAllBytes(valid);
                File.WriteAllBytes(path, bytes[..^4]);
                return;
            default: throw new ArgumentException(what);
        }
        SafeTensors.Write(path, tensors, metadata);
    }

    [Fact]
    public void Save_refuses_a_diverged_network_and_keeps_the_previous_checkpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        var (network, optimizer) = Trained(seed: 1);
        TrainingCheckpoint.Save(path, network, optimizer, epochsCompleted: 1, seed: 3);
        byte[] before = File.ReadAllBytes(path);

        network.Parameters[network.ParameterTensors[2].Offset + 3] = float.NaN;
        var weights = Assert.Throws<InvalidOperationException>(() => TrainingCheckpoint.Save(path, network, optimizer, epochsCompleted: 2, seed: 3));
        Assert.Contains($"{path}: not written: tensor 'batch_normalization.gamma' holds NaN at index 3", weights.Message);

        network.Parameters[network.ParameterTensors[2].Offset + 3] = 1f;
        optimizer.State["velocity"][7] = float.NegativeInfinity;
        var moments = Assert.Throws<InvalidOperationException>(() => TrainingCheckpoint.Save(path, network, optimizer, epochsCompleted: 2, seed: 3));
        Assert.Contains($"{path}: not written: tensor 'optimizer.velocity' holds -Infinity at index 7", moments.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "ckpt.safetensors" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_deletes_the_temporary_file_a_killed_checkpoint_write_left()
    {
        // A killed write (e.g. ModelCheckpoint at the end of an epoch) leaves {name}.{hex}.tmp; the next save deletes it.
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        string stale = path + ".0123456789abcdef0123456789abcdef.tmp";
        File.WriteAllBytes(stale, new byte[1000]);
        var (network, optimizer) = Trained(seed: 1);
        TrainingCheckpoint.Save(path, network, optimizer, epochsCompleted: 1, seed: 3);
        Assert.False(File.Exists(stale));
        Assert.Equal(1, TrainingCheckpoint.Load(path, network, optimizer).EpochsCompleted);
    }

    private static (FakeTrainableNetwork Network, Adam Optimizer) Trained(ulong seed)
    {
        var network = new FakeTrainableNetwork();
        var optimizer = new Adam(0.01f);
        network.TrainSteps(seed, optimizer, steps: 3);
        return (network, optimizer);
    }

    /// <summary>Every byte of the state a checkpoint load may change: parameters (running statistics included), moments, step count, learning rate.</summary>
    private static byte[] Snapshot(FakeTrainableNetwork network, Optimizer optimizer)
    {
        var bytes = new List<byte>();
        foreach (float value in network.Parameters)
        {
            bytes.AddRange(BitConverter.GetBytes(value));
        }
        foreach (var (name, values) in optimizer.State.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(name));
            foreach (float value in values)
            {
                bytes.AddRange(BitConverter.GetBytes(value));
            }
        }
        bytes.AddRange(BitConverter.GetBytes(optimizer.StepCount));
        bytes.AddRange(BitConverter.GetBytes(optimizer.LearningRate));
        return bytes.ToArray();
    }
}
