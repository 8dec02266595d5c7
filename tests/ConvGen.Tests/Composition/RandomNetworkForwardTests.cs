using System;
using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Seeded random networks of two to four layers. The per-layer grids vary one option at a
/// time; these mix them (dilated non-square same-padded convolutions feeding pools feeding
/// wide dense layers, ...) to catch interactions between the generator's code paths. The
/// seed is fixed, so the networks and their names are the same on every run.
/// </summary>
public sealed class RandomNetworkForwardTests(RandomNetworkForwardTests.Networks networks)
    : IClassFixture<RandomNetworkForwardTests.Networks>
{
    public sealed class Networks() : NetworkFixture(nameof(RandomNetworkForwardTests), Cases);

    private const int NetworkCount = 24;
    private const int Seed = 20240611;

    // Before Cases: static fields initialise in textual order.
    private static readonly int[] Channels = { 1, 2, 3, 5, 8, 9, 16, 24, 33, 72 };
    private static readonly Activation[] Activations = Enum.GetValues<Activation>();

    internal static readonly IReadOnlyList<ForwardCase> Cases = ForwardCase.Unique(RandomCases());

    public static TheoryData<string, int> Rows => ForwardCase.Rows(Cases);

    [Fact]
    public void Generated_code_compiles_without_errors_or_warnings() => networks.AssertCompiledCleanly();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_matches_reference(string network, int batch) => ForwardCheck.Run(networks, network, batch);

    private static IEnumerable<ForwardCase> RandomCases()
    {
        var random = new Random(Seed);
        for (int n = 0; n < NetworkCount; n++)
        {
            int height = random.Next(4, 13), width = random.Next(4, 13), channels = Pick(random, Channels);
            var layers = new List<TestLayer>();
            // Track the spatial size so every window fits (valid) and the network stays valid.
            int h = height, w = width;
            int spatialLayers = random.Next(1, 4);
            for (int i = 0; i < spatialLayers; i++)
            {
                if (random.Next(3) > 0)
                {
                    int kh = random.Next(1, 6), kw = random.Next(1, 6), stride = random.Next(1, 4), dilation = random.Next(1, 3);
                    bool same = random.Next(2) == 0 || h < (kh - 1) * dilation + 1 || w < (kw - 1) * dilation + 1;
                    var activation = Pick(random, Activations);
                    double alpha = activation is Activation.LeakyRelu or Activation.Elu && random.Next(2) == 0 ? Math.Round(random.NextDouble(), 2) : double.NaN;
                    var conv = new Conv2DLayer(Pick(random, Channels), kh, kw, stride, dilation, same, activation, alpha, UseBias: random.Next(4) > 0);
                    layers.Add(conv);
                    (h, w) = (Size(h, kh, stride, dilation, same), Size(w, kw, stride, dilation, same));
                }
                else
                {
                    int ph = random.Next(1, 4), pw = random.Next(1, 4), stride = random.Next(0, 4);
                    bool same = random.Next(2) == 0 || h < ph || w < pw;
                    layers.Add(new Pool2DLayer(random.Next(2) == 0, ph, pw, stride, same));
                    (h, w) = (Size(h, ph, stride == 0 ? ph : stride, 1, same), Size(w, pw, stride == 0 ? pw : stride, 1, same));
                }
            }
            switch (random.Next(3))
            {
                case 0:
                    layers.Add(new GlobalPool2DLayer(random.Next(2) == 0));
                    layers.Add(new DenseLayer(Pick(random, Channels), Pick(random, Activations)));
                    break;
                case 1:
                    layers.Add(new FlattenLayer());
                    layers.Add(new DropoutLayer(0.5));
                    layers.Add(new DenseLayer(Pick(random, Channels), Pick(random, Activations), UseBias: random.Next(2) == 0));
                    break;
                default:
                    layers.Add(new ActivationLayer(Pick(random, Activations)));
                    break;
            }
            yield return new ForwardCase($"Random{n:D2}", height, width, channels, layers);
        }
    }

    private static int Size(int input, int kernel, int stride, int dilation, bool same) =>
        Reference.ReferenceGeometry.Axis(input, kernel, stride, dilation, same).Output;

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
