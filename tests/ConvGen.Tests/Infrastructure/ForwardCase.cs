using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// A network to generate and check: its name (also the class name and the theory row), its
/// input shape and its layers. <see cref="InputScale"/> widens the random inputs, e.g. to reach
/// the tails of an activation.
/// </summary>
public sealed record ForwardCase(string Name, int Height, int Width, int Channels, IReadOnlyList<TestLayer> Layers, double InputScale = 1.0)
{
    public ForwardCase(string name, int height, int width, int channels, params TestLayer[] layers)
        : this(name, height, width, channels, (IReadOnlyList<TestLayer>)layers)
    {
    }

    /// <summary>The class declaration for the in-memory compilation.</summary>
    public string Declaration
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine($"/// <summary>Test network {Name}.</summary>");
            text.AppendLine($"[Network(Input = \"{Height}x{Width}x{Channels}\")]");
            foreach (var layer in Layers)
            {
                text.AppendLine($"[{WithRouting(layer)}]");
            }
            text.AppendLine($"public sealed partial class {Name};");
            return text.ToString();
        }
    }

    /// <summary>The attribute with the layer's <c>Input</c> and <c>Name</c> options added.</summary>
    private static string WithRouting(TestLayer layer)
    {
        string options = (layer.Input is null ? "" : $"Input = \"{layer.Input}\"")
            + (layer.Name is null ? "" : (layer.Input is null ? "" : ", ") + $"Name = \"{layer.Name}\"");
        string attribute = layer.Attribute;
        if (options.Length == 0)
        {
            return attribute;
        }
        return attribute.EndsWith(')') ? attribute[..^1] + ", " + options + ")" : attribute + "(" + options + ")";
    }

    /// <summary>Indices of the layers layer <paramref name="index"/> reads (-1: the network input), as the generator resolves names.</summary>
    public int[] SourcesOf(int index)
    {
        int Find(string name)
        {
            for (int j = 0; j < index; j++)
            {
                if (Layers[j].Name == name)
                {
                    return j;
                }
            }
            return name == "input" ? -1 : throw new System.InvalidOperationException($"{Name}: layer {index} reads unknown '{name}'");
        }
        var layer = Layers[index];
        return layer switch
        {
            AddLayer add => new[] { Find(add.First), Find(add.Second) },
            ConcatenateLayer concatenate => System.Array.ConvertAll(concatenate.Sources, Find),
            MultiplyLayer multiply => new[] { Find(multiply.First), Find(multiply.Second) },
            _ when layer.Input is not null => new[] { Find(layer.Input) },
            _ => new[] { index - 1 },
        };
    }

    /// <summary>The whole network's reference output: each layer's reference applied to the outputs it reads.</summary>
    public ReferenceTensor Reference(INetwork network, ReferenceTensor input)
    {
        var outputs = new ReferenceTensor[Layers.Count];
        ReferenceTensor Output(int source) => source < 0 ? input : outputs[source];
        for (int i = 0; i < Layers.Count; i++)
        {
            var sources = SourcesOf(i);
            outputs[i] = Layers[i] switch
            {
                AddLayer add => ReferenceActivations.Apply(AddLayer.Sum(Output(sources[0]), Output(sources[1])), add.Activation, add.Alpha),
                ConcatenateLayer => ReferenceSegmentation.Concatenate(sources.Select(Output).ToList()),
                MultiplyLayer => ReferenceMultiply.Product(Output(sources[0]), Output(sources[1])),
                _ => Layers[i].Reference(network, i, Output(sources[0])),
            };
        }
        return outputs[^1];
    }

    public override string ToString() => Name;

    /// <summary>One source file declaring every case's network.</summary>
    public static string SourceFile(IEnumerable<ForwardCase> cases)
    {
        var text = new StringBuilder();
        text.AppendLine("using ConvGen;");
        text.AppendLine();
        text.AppendLine($"namespace {CompiledNetworks.Namespace};");
        foreach (var c in cases)
        {
            text.AppendLine();
            text.Append(c.Declaration);
        }
        return text.ToString();
    }

    /// <summary>Theory rows: every case at batch 1 and at a batch of several samples.</summary>
    public static TheoryData<string, int> Rows(IEnumerable<ForwardCase> cases, params int[] batches)
    {
        var rows = new TheoryData<string, int>();
        foreach (var c in cases)
        {
            foreach (int batch in batches.Length == 0 ? DefaultBatches : batches)
            {
                rows.Add(c.Name, batch);
            }
        }
        return rows;
    }

    /// <summary>Batch 1 and a batch of 3, which catches per-sample offsets that are wrong after the first sample.</summary>
    public static readonly int[] DefaultBatches = { 1, 3 };

    /// <summary>Checks that names are unique, because they become class names in one compilation.</summary>
    public static IReadOnlyList<ForwardCase> Unique(IEnumerable<ForwardCase> cases)
    {
        var list = cases.ToList();
        var duplicate = list.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new System.InvalidOperationException($"duplicate test network name {duplicate.Key}");
        }
        return list;
    }
}
