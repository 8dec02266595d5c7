using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Training;

/// <summary>What a checkpoint says about where training stood.</summary>
/// <param name="EpochsCompleted">Epochs finished when it was written: pass as <see cref="TrainingOptions.InitialEpoch"/> to resume.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="LearningRate">The optimizer's rate at that point.</param>
public sealed record CheckpointInfo(int EpochsCompleted, ulong Seed, float LearningRate);

/// <summary>
/// The full training state in one safetensors file: every parameter tensor under its own name,
/// every optimizer moment as <c>optimizer.{name}</c>, and the epoch, step count, learning rate
/// and seed in the metadata. Resuming from it continues exactly as an uninterrupted run would,
/// because shuffling and dropout depend only on the seed and the epoch.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Format = "convgen-checkpoint";

    /// <summary>Writes the checkpoint atomically.</summary>
    public static void Save(string path, ITrainableNetwork network, Optimizer optimizer, int epochsCompleted, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = new List<SafeTensor>();
        foreach (var t in network.ParameterTensors)
        {
            tensors.Add(new SafeTensor(t.Name, t.Shape.ToArray(), network.Parameters.Slice(t.Offset, t.Length).ToArray()));
        }
        foreach (var (name, values) in optimizer.State)
        {
            tensors.Add(new SafeTensor("optimizer." + name, new[] { values.Length }, values.ToArray()));
        }
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["network"] = network.GetType().FullName ?? network.GetType().Name,
            ["optimizer"] = optimizer.GetType().Name,
            ["epochs_completed"] = epochsCompleted.ToString(CultureInfo.InvariantCulture),
            ["step_count"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Restores weights and optimizer state. Everything is checked first — format, network type,
    /// every tensor's presence and shape, the optimizer type — so a refused file changes nothing.
    /// </summary>
    public static CheckpointInfo Load(string path, ITrainableNetwork network, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        var file = SafeTensors.Read(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{path}: the metadata has no '{key}'; this is not a ConvGen training checkpoint.");
        if (Meta("format") != Format)
        {
            throw new InvalidDataException($"{path}: format is '{Meta("format")}', expected '{Format}' (a weights-only file loads with WeightsFile.Load).");
        }
        string expectedNetwork = network.GetType().FullName ?? network.GetType().Name;
        if (Meta("network") != expectedNetwork)
        {
            throw new InvalidDataException($"{path}: the checkpoint is of network '{Meta("network")}', not '{expectedNetwork}'.");
        }
        if (Meta("optimizer") != optimizer.GetType().Name)
        {
            throw new InvalidDataException($"{path}: the checkpoint was written with optimizer {Meta("optimizer")}, but training resumes with {optimizer.GetType().Name}.");
        }
        var byName = file.Tensors.ToDictionary(t => t.Name);
        foreach (var info in network.ParameterTensors)
        {
            if (!byName.TryGetValue(info.Name, out var tensor))
            {
                throw new InvalidDataException($"{path}: tensor '{info.Name}' is missing.");
            }
            if (!tensor.Shape.SequenceEqual(info.Shape))
            {
                throw new InvalidDataException($"{path}: tensor '{info.Name}' has shape [{string.Join(",", tensor.Shape)}] but the network expects [{string.Join(",", info.Shape)}].");
            }
        }
        var state = new Dictionary<string, float[]>();
        foreach (var tensor in file.Tensors.Where(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal)))
        {
            if (tensor.Data.Length != network.Parameters.Length)
            {
                throw new InvalidDataException($"{path}: optimizer state '{tensor.Name}' holds {tensor.Data.Length} values, the network has {network.Parameters.Length} parameters.");
            }
            state[tensor.Name.Substring("optimizer.".Length)] = tensor.Data;
        }
        int epochs = int.Parse(Meta("epochs_completed"), CultureInfo.InvariantCulture);
        long steps = long.Parse(Meta("step_count"), CultureInfo.InvariantCulture);
        float rate = float.Parse(Meta("learning_rate"), CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(Meta("seed"), CultureInfo.InvariantCulture);

        var parameters = network.Parameters;
        foreach (var info in network.ParameterTensors)
        {
            byName[info.Name].Data.CopyTo(parameters.Slice(info.Offset, info.Length));
        }
        optimizer.LoadState(state, steps);
        optimizer.LearningRate = rate;
        return new CheckpointInfo(epochs, seed, rate);
    }
}
