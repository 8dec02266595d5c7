using System;
using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Tests.Inference;

/// <summary>
/// A frozen workspace (<see cref="InferenceWorkspace.FreezeWeights"/>) computes with the weights as
/// they were when it was frozen, derived once (the picture plan's packed slices, Winograd filters,
/// folded BatchNorms): the same bits as an unfrozen workspace on those parameters, on any thread
/// count; parameter changes reach it only when it is frozen again, and an unfrozen workspace sees
/// them at once.
/// </summary>
public sealed class FrozenWeightsTests
{
    private static readonly Dictionary<string, Func<INetwork>> Networks = new()
    {
        // The picture plan (strided and blocked) and Winograd F(2x2) at ResNet-18's deep shapes.
        ["resnet-deep"] = () => SplitResNetDeepNet.Create(7),
        // The picture plan with input channels in blocks.
        ["picture-tiled"] = () => SplitDeepNet.Create(6),
        // Winograd F(4x4) with a bias, F(2x2) with a BatchNorm folded in its store.
        ["winograd"] = () => SplitWinogradNet.Create(7),
        // The picture plan with a BatchNorm folded in its store.
        ["folded"] = () => SplitFoldedNet.Create(8),
        // Winograd F(2x2, 5x5) with a bias, with a BatchNorm folded in, and over 64-filter blocks.
        ["winograd-5x5"] = () => SplitWinograd5x5Net.Create(7),
    };

    public static TheoryData<string, int, int> Cases()
    {
        var cases = new TheoryData<string, int, int>();
        foreach (string network in Networks.Keys)
        {
            foreach (int batch in new[] { 1, 3 })
            {
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    cases.Add(network, batch, threads);
                }
            }
        }
        return cases;
    }

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (string network in Networks.Keys)
        {
            names.Add(network);
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_frozen_forward_is_bit_identical_to_an_unfrozen_one(string name, int batch, int threads)
    {
        var network = Networks[name]();
        float[] inputs = PictureSplitTests.Inputs(network, batch, seed: 21);
        float[] expected = Forward(network, inputs, network.CreateInferenceWorkspace(batch));
        using var workspace = (InferenceWorkspace)network.CreateInferenceWorkspace(batch, threads, freezeWeights: true);
        Assert.True(workspace.WeightsFrozen);
        Assert.Equal(expected, Forward(network, inputs, workspace));
        // Twice: the second call runs on what the freeze derived alone.
        Assert.Equal(expected, Forward(network, inputs, workspace));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_frozen_workspace_sees_parameter_changes_only_when_frozen_again(string name)
    {
        var network = Networks[name]();
        float[] inputs = PictureSplitTests.Inputs(network, 2, seed: 5);
        using var frozen = (InferenceWorkspace)network.CreateInferenceWorkspace(2, threads: 2, freezeWeights: true);
        var unfrozen = network.CreateInferenceWorkspace(2);
        float[] before = Forward(network, inputs, unfrozen);

        // Every parameter changes: each layer's weights, biases and BatchNorm statistics.
        var parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = parameters[i] * 0.75f + 0.01f * (i % 7);
        }
        float[] after = Forward(network, inputs, unfrozen);
        Assert.NotEqual(before, after);
        Assert.Equal(before, Forward(network, inputs, frozen));

        frozen.FreezeWeights();
        Assert.Equal(after, Forward(network, inputs, frozen));

        frozen.UnfreezeWeights();
        Assert.False(frozen.WeightsFrozen);
        parameters[0] += 1f;
        Assert.Equal(Forward(network, inputs, unfrozen), Forward(network, inputs, frozen));
    }

    /// <summary>As <see cref="PictureSplitTests.A_forward_pass_allocates_nothing"/>: less than one object per call on the calling thread.</summary>
    [Theory]
    [InlineData("resnet-deep", 1)]
    [InlineData("resnet-deep", 2)]
    [InlineData("winograd-5x5", 1)]
    [InlineData("winograd-5x5", 2)]
    public void A_frozen_forward_allocates_nothing(string name, int threads)
    {
        var network = Networks[name]();
        float[] inputs = PictureSplitTests.Inputs(network, 1, seed: 4);
        var outputs = new float[network.OutputShape.Length];
        using var workspace = (InferenceWorkspace)network.CreateInferenceWorkspace(1, threads, freezeWeights: true);
        PictureSplitTests.AssertLessThanAnObjectPerCall(network, inputs, outputs, workspace, calls: 20, $"frozen forward passes on {threads} thread(s)");
    }

    /// <summary>
    /// A frozen workspace's Winograd layers (3x3 and 5x5) read the filters transformed at the freeze: the kernels
    /// count no filter transform of their own on the calling thread (the one thread that runs the layers), where a
    /// call without transformed filters counts one.
    /// </summary>
    [Theory]
    [InlineData("winograd")]
    [InlineData("winograd-5x5")]
    public void A_frozen_forward_transforms_no_filters_per_call(string name)
    {
        var network = Networks[name]();
        float[] inputs = PictureSplitTests.Inputs(network, 1, seed: 3);
        using var workspace = (InferenceWorkspace)network.CreateInferenceWorkspace(1, threads: 1, freezeWeights: true);
        long before = WinogradDriver.PerCallFilterTransforms;
        float[] outputs = Forward(network, inputs, workspace);
        Assert.Equal(before, WinogradDriver.PerCallFilterTransforms);
        Assert.Contains(outputs, v => v != 0);

        // The count sees a call that transforms its filters.
        Winograd5x5Kernels.Conv5x5(new float[25 * 32 * 64], default, new float[5 * 5 * 32], new float[64], 1, 5, 5, 32, 64, 0);
        Assert.Equal(before + 1, WinogradDriver.PerCallFilterTransforms);
    }

    [Fact]
    public void A_workspace_without_its_network_cannot_be_frozen()
    {
        using var workspace = new SplitWinogradNet.Workspace(1);
        var e = Assert.Throws<InvalidOperationException>(workspace.FreezeWeights);
        Assert.Contains("Workspace", e.Message);
        Assert.Contains("CreateInferenceWorkspace", e.Message);
        Assert.False(workspace.WeightsFrozen);
    }

    private static float[] Forward(INetwork network, float[] inputs, IInferenceWorkspace workspace)
    {
        var outputs = new float[inputs.Length / network.InputShape.Length * network.OutputShape.Length];
        network.Forward(inputs, outputs, workspace);
        return outputs;
    }
}
