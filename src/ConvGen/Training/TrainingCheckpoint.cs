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
/// The full training state in one safetensors file: every parameter tensor under its own name
/// (BatchNorm running statistics included), every optimizer moment as <c>optimizer.{name}</c>,
/// and the epoch, step count, learning rate and seed in the metadata. Resuming from it continues
/// exactly as an uninterrupted run would, because shuffling and dropout depend only on the seed
/// and the epoch.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Format = "convgen-checkpoint";
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>
    /// Writes the checkpoint atomically (see <see cref="SafeTensors.Write"/>). A NaN or infinite
    /// parameter, optimizer moment or learning rate is refused before anything is written, so
    /// the previous checkpoint stays usable.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is not finite; the message names the tensor and index.</exception>
    public static void Save(string path, ITrainableNetwork network, Optimizer optimizer, int epochsCompleted, ulong seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(epochsCompleted);
        var tensors = new List<SafeTensor>();
        foreach (var t in network.ParameterTensors)
        {
            ReadOnlySpan<float> values = network.Parameters.Slice(t.Offset, t.Length);
            FiniteValues.RequireForWrite(path, t.Name, values);
            tensors.Add(new SafeTensor(t.Name, t.Shape.ToArray(), values.ToArray()));
        }
        foreach (var (name, values) in optimizer.State)
        {
            FiniteValues.RequireForWrite(path, OptimizerPrefix + name, values);
            tensors.Add(new SafeTensor(OptimizerPrefix + name, new[] { values.Length }, values.ToArray()));
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
    /// Restores weights (BatchNorm running statistics included) and optimizer state from the
    /// file at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint for this network and optimizer; nothing was changed.</exception>
    public static CheckpointInfo Load(string path, ITrainableNetwork network, Optimizer optimizer)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        return Load(SafeTensors.Read(path), network, optimizer);
    }

    /// <summary>
    /// Restores weights and optimizer state from an already read checkpoint. Everything is
    /// checked first — format, network and optimizer type, every metadata number (epochs, step
    /// count, a finite learning rate, seed), every tensor's presence, shape and finiteness, no
    /// tensor the network does not have, the optimizer state's names and lengths — and only then
    /// is anything applied, so a refused file changes neither the weights nor the optimizer
    /// (moments, step count, learning rate).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint for this network and optimizer; the message names the file, the entry and the bad value.</exception>
    public static CheckpointInfo Load(SafeTensorFile file, ITrainableNetwork network, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        string path = file.Path;
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{path}: the metadata has no '{key}'; this is not a ConvGen training checkpoint.");
        if (Meta("format") != Format)
        {
            throw new InvalidDataException($"{path}: format is '{SafeTensorsHeader.Quote(Meta("format"))}', expected '{Format}' (a weights-only file loads with WeightsFile.Load).");
        }
        string expectedNetwork = network.GetType().FullName ?? network.GetType().Name;
        if (Meta("network") != expectedNetwork)
        {
            throw new InvalidDataException($"{path}: the checkpoint is of network '{SafeTensorsHeader.Quote(Meta("network"))}', not '{expectedNetwork}'.");
        }
        if (Meta("optimizer") != optimizer.GetType().Name)
        {
            throw new InvalidDataException($"{path}: the checkpoint was written with optimizer {SafeTensorsHeader.Quote(Meta("optimizer"))}, but training resumes with {optimizer.GetType().Name}.");
        }
        int epochs = Number(path, "epochs_completed", Meta("epochs_completed"), (string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value), "a whole number from 0 to " + int.MaxValue);
        long steps = Number(path, "step_count", Meta("step_count"), (string text, out long value) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value), "a whole number from 0 to " + long.MaxValue);
        float rate = Number(path, "learning_rate", Meta("learning_rate"),
            (string text, out float value) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value) && value >= 0,
            "a finite number, 0 or more");
        ulong seed = Number(path, "seed", Meta("seed"), (string text, out ulong value) => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value), "a whole number from 0 to " + ulong.MaxValue);

        List<string> problems = WeightsFile.FitProblems(network, file, isOtherSection: name => name.StartsWith(OptimizerPrefix, StringComparison.Ordinal));
        var state = new Dictionary<string, float[]>();
        foreach (var tensor in file.Tensors.Where(t => t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
        {
            string name = SafeTensorsHeader.Quote(tensor.Name);
            if (tensor.Shape.Length != 1 || tensor.Data.Length != network.Parameters.Length)
            {
                problems.Add($"{path}: optimizer state '{name}' has shape {tensor.ShapeText}; expected [{network.Parameters.Length}], one value per parameter of the network");
            }
            else if (FiniteValues.Describe(tensor.Data) is string notFinite)
            {
                problems.Add($"{path}: optimizer state '{name}' {notFinite}");
            }
            state[tensor.Name.Substring(OptimizerPrefix.Length)] = tensor.Data;
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was changed.");
        }

        // Applied in the order in which a failure is still possible: LoadState checks the state's
        // names and lengths before it changes anything (the optimizers share OptimizerState,
        // which does), and the rest cannot fail any more.
        try
        {
            optimizer.LoadState(state, steps);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the optimizer state does not fit {optimizer.GetType().Name}: {e.Message} Nothing was changed.", e);
        }
        optimizer.LearningRate = rate;
        WeightsFile.CopyInto(network, file);
        return new CheckpointInfo(epochs, seed, rate);
    }

    private delegate bool Parser<T>(string text, out T value);

    private static T Number<T>(string path, string key, string text, Parser<T> parse, string expected) => parse(text, out T value)
        ? value
        : throw new InvalidDataException($"{path}: metadata '{key}' is '{SafeTensorsHeader.Quote(text)}'; expected {expected}.");
}
