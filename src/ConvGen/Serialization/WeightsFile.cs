using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConvGen.Serialization;

/// <summary>
/// A network's parameters as a safetensors file, one tensor per entry of
/// <see cref="INetwork.ParameterTensors"/> (names such as <c>conv2d.weight</c>, shapes in the
/// network's layouts: HWIO kernels, IO dense weights, O biases, as Keras stores them).
/// </summary>
public static class WeightsFile
{
    /// <summary>Value of the <c>format</c> metadata entry.</summary>
    public const string Format = "convgen";

    /// <summary>
    /// Writes every parameter tensor of <paramref name="network"/> to <paramref name="path"/>
    /// (atomically, see <see cref="SafeTensors.Write"/>). The metadata records
    /// <c>format: convgen</c>, the network type, its input and output shapes, the layer table
    /// (with each layer's <see cref="LayerInfo.Config"/>), each tensor's layout and the frozen layers; <see cref="SavedNetwork.Read(string)"/> reads them back.
    /// A network holding a NaN or an infinity is refused before anything is written.
    /// </summary>
    /// <exception cref="InvalidOperationException">A parameter is not finite; the message names the tensor and the index, and the file on disk is unchanged.</exception>
    public static void Save(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyList<ParameterInfo> infos = network.ParameterTensors;
        ReadOnlySpan<float> parameters = network.Parameters;
        var tensors = new List<SafeTensor>(infos.Count);
        foreach (ParameterInfo info in infos)
        {
            CheckLayout(network, info, parameters.Length);
            FiniteValues.RequireForWrite(path, info.Name, parameters.Slice(info.Offset, info.Length));
            tensors.Add(new SafeTensor(info.Name, info.Shape.ToArray(), parameters.Slice(info.Offset, info.Length).ToArray()));
        }
        SafeTensors.Write(path, tensors, Describe(network));
    }

    /// <summary>
    /// Copies the tensors of the file at <paramref name="path"/> into <paramref name="network"/>'s
    /// parameters. The file must hold exactly the network's tensors with the same shapes and only
    /// finite values; a missing tensor, an unexpected extra one, a shape mismatch or a NaN or
    /// infinity (named with its first index) is refused (all of them listed, one per line)
    /// before any parameter changes.
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not fit the network, or is not a valid safetensors file.</exception>
    public static void Load(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Load(network, SafeTensors.Read(path));
    }

    /// <summary>
    /// Copies the tensors of an already read <paramref name="file"/> into
    /// <paramref name="network"/>'s parameters, with the checks of <see cref="Load(INetwork, string)"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not fit the network.</exception>
    public static void Load(INetwork network, SafeTensorFile file)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(file);
        List<string> problems = FitProblems(network, file, isOtherSection: _ => false);
        if (problems.Count > 0)
        {
            string networkName = network.GetType().FullName ?? network.GetType().Name;
            string origin = file.Metadata.TryGetValue("network", out string? savedFrom) && savedFrom != networkName
                ? $" (the file was saved from {SafeTensorsHeader.Quote(savedFrom)}, this network is {networkName})"
                : "";
            throw new InvalidDataException(
                string.Join(Environment.NewLine, problems) + Environment.NewLine
                + $"No parameter was changed{origin}.");
        }
        CopyInto(network, file);
    }

    /// <summary>
    /// Everything that keeps <paramref name="file"/> from loading into <paramref name="network"/>,
    /// one message per problem: missing tensors, shape mismatches, NaN or infinite values, and
    /// tensors that are no parameter (unless <paramref name="isOtherSection"/> claims them, as
    /// a checkpoint does for its optimizer state). Empty when the file fits.
    /// </summary>
    internal static List<string> FitProblems(INetwork network, SafeTensorFile file, Func<string, bool> isOtherSection)
    {
        string path = file.Path;
        IReadOnlyList<ParameterInfo> infos = network.ParameterTensors;
        int parameterCount = network.Parameters.Length;
        var problems = new List<string>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterInfo info in infos)
        {
            CheckLayout(network, info, parameterCount);
            expectedNames.Add(info.Name);
            string expectedShape = SafeTensor.FormatShape(info.Shape);
            if (!file.TryGet(info.Name, out SafeTensor? tensor))
            {
                problems.Add($"{path}: tensor '{info.Name}' is missing; the network expects shape {expectedShape}");
            }
            else if (!tensor.Shape.SequenceEqual(info.Shape))
            {
                problems.Add($"{path}: tensor '{info.Name}' has shape {tensor.ShapeText} but the network expects {expectedShape}");
            }
            else if (FiniteValues.Describe(tensor.Data) is string notFinite)
            {
                problems.Add($"{path}: tensor '{info.Name}' {notFinite}");
            }
        }
        foreach (SafeTensor tensor in file.Tensors.Where(t => !expectedNames.Contains(t.Name) && !isOtherSection(t.Name)))
        {
            problems.Add($"{path}: tensor '{SafeTensorsHeader.Quote(tensor.Name)}' {tensor.ShapeText} is not a parameter of the network");
        }
        return problems;
    }

    /// <summary>Copies every parameter tensor of a file that <see cref="FitProblems"/> accepted.</summary>
    internal static void CopyInto(INetwork network, SafeTensorFile file)
    {
        Span<float> parameters = network.Parameters;
        foreach (ParameterInfo info in network.ParameterTensors)
        {
            file.Get(info.Name).Data.CopyTo(parameters.Slice(info.Offset, info.Length));
        }
    }

    private static Dictionary<string, string> Describe(INetwork network)
    {
        var inv = CultureInfo.InvariantCulture;
        var layers = network.Layers.Select(l => string.Create(inv,
            $"{l.Index} {l.Name} {l.Kind} {l.InputShape}->{l.OutputShape} params={l.ParameterCount} ({l.Description})"));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["network"] = network.GetType().FullName ?? network.GetType().Name,
            ["input_shape"] = network.InputShape.ToString(),
            ["output_shape"] = network.OutputShape.ToString(),
            ["parameter_count"] = network.Parameters.Length.ToString(inv),
            ["layers"] = string.Join("\n", layers),
            ["layouts"] = string.Join(",", network.ParameterTensors.Select(p => $"{p.Name}={p.Layout}")),
        };
        if (network.Layers.Any(l => l.Config is not null))
        {
            // Absent in files written before it existed (and for tables without configurations): readers then leave LayerInfo.Config null.
            metadata[LayerConfigJson.Key] = LayerConfigJson.Write(network.Layers);
        }
        if (network is ITrainableNetwork trainable)
        {
            // Absent in files written before it existed: readers treat that as "nothing frozen".
            metadata[SavedNetwork.FrozenLayersKey] = string.Join(",", network.Layers.Where(l => trainable.IsFrozen(l.Index)).Select(l => l.Index.ToString(inv)));
        }
        return metadata;
    }

    // A network whose tensor table disagrees with its buffer is a generator bug; say so plainly
    // rather than failing with an index error halfway through a copy.
    private static void CheckLayout(INetwork network, ParameterInfo info, int parameterCount)
    {
        long elements = info.Shape.Aggregate(1L, (product, dimension) => product * dimension);
        if (info.Offset < 0 || info.Length != elements || (long)info.Offset + info.Length > parameterCount)
        {
            throw new InvalidOperationException(
                $"{network.GetType().Name}: parameter '{info.Name}' (offset {info.Offset}, length {info.Length}, shape {SafeTensor.FormatShape(info.Shape)}) does not fit the {parameterCount}-float parameter buffer.");
        }
    }
}
