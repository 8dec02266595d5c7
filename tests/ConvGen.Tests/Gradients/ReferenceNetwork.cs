using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Reference;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// The training-mode forward pass of a test network in double precision, with the parameters
/// taken from a double vector (laid out like <see cref="INetwork.Parameters"/>) so that they can
/// be perturbed by steps far below float resolution. Built on the same reference loops as the
/// forward tests. Dropout uses fixed masks, drawn once per run from the same
/// <see cref="DropoutContext"/> the generated network sees, so every evaluation of a finite
/// difference sees the same mask.
/// </summary>
/// <remarks>
/// Each layer also records its discrete decisions (the side of zero of every ReLU / leaky ReLU /
/// ELU input, the winner of every max-pool window) in a <see cref="KinkSignature"/>: a finite
/// difference is only meaningful when neither of its two evaluations changes one of them.
/// </remarks>
internal sealed class ReferenceNetwork
{
    private readonly ForwardCase _case;
    private readonly IReadOnlyList<ParameterInfo> _tensors;
    private readonly double[]?[] _dropoutMasks;

    public ReferenceNetwork(ForwardCase testCase, INetwork network, int batch, DropoutContext dropout)
    {
        _case = testCase;
        _tensors = network.ParameterTensors;
        _dropoutMasks = new double[testCase.Layers.Count][];
        LastActivationLayer = FindLastActivationLayer(testCase);

        // The mask is what DropoutForward multiplies a sample's values by, read back by passing
        // ones through it: the reference then needs no knowledge of the random stream.
        for (int i = 0; i < testCase.Layers.Count; i++)
        {
            var layer = testCase.Layers[i];
            if (layer is DropoutLayer d)
            {
                int sampleLength = network.Layers[i].OutputShape.Length;
                var ones = new float[batch * sampleLength];
                ones.AsSpan().Fill(1f);
                var mask = new float[ones.Length];
                var scratch = new float[ones.Length];
                TrainingKernels.DropoutForward(ones, mask, scratch, batch, sampleLength, (float)d.Rate, dropout, i);
                _dropoutMasks[i] = Array.ConvertAll(mask, v => (double)v);
            }
        }
    }

    /// <summary>Index of the layer whose pre-activation values are the network's logits, or -1 when the network ends without activation.</summary>
    public int LastActivationLayer { get; }

    public int LayerCount => _case.Layers.Count;

    /// <summary>Runs the whole network.</summary>
    public ReferenceRun Run(double[] parameters, ReferenceTensor input) => Run(parameters, input, null, 0);

    /// <summary>
    /// Runs from layer <paramref name="firstLayer"/> on, taking the layers below from
    /// <paramref name="baseline"/> (whose parameters below that layer must be the same).
    /// </summary>
    public ReferenceRun Run(double[] parameters, ReferenceTensor input, ReferenceRun? baseline, int firstLayer)
    {
        int count = _case.Layers.Count;
        var run = new ReferenceRun(count);
        for (int i = 0; i < firstLayer; i++)
        {
            run.Inputs[i] = baseline!.Inputs[i];
            run.PreActivations[i] = baseline.PreActivations[i];
            run.Outputs[i] = baseline.Outputs[i];
            run.Signatures[i] = baseline.Signatures[i];
        }
        // Declaration order is a topological order: layers below firstLayer do not depend on it.
        for (int i = firstLayer; i < count; i++)
        {
            var sources = _case.SourcesOf(i).Select(s => s < 0 ? input : run.Outputs[s]).ToArray();
            run.Inputs[i] = sources[0];
            var signature = new KinkSignature();
            var (pre, output) = Layer(i, parameters, sources, signature);
            run.PreActivations[i] = pre;
            run.Outputs[i] = output;
            run.Signatures[i] = signature.Value;
        }
        var current = run.Outputs[count - 1];
        run.Output = current;
        run.Logits = LastActivationLayer >= 0 ? run.PreActivations[LastActivationLayer] : current;
        return run;
    }

    private (ReferenceTensor PreActivation, ReferenceTensor Output) Layer(int index, double[] parameters, ReferenceTensor[] sources, KinkSignature signature)
    {
        var input = sources[0];
        switch (_case.Layers[index])
        {
            case AddLayer add:
            {
                var sum = AddLayer.Sum(sources[0], sources[1]);
                return (sum, Activate(sum, add.Activation, add.Alpha, signature));
            }
            case ConcatenateLayer:
                return Same(ReferenceSegmentation.Concatenate(sources));
            case Conv2DTransposeLayer t:
            {
                var pre = t.Linear(input, Slice(parameters, index, "HWOI"), t.UseBias ? Slice(parameters, index, "O") : null);
                return (pre, Activate(pre, t.Activation, t.Alpha, signature));
            }
            case UpSampling2DLayer u:
                return Same(u.Reference(null!, index, input));
            case Cropping2DLayer c:
                return Same(c.Reference(null!, index, input));
            case BatchNormLayer bn:
            {
                // Training mode: the statistics of the whole batch, through which the gradient flows.
                var gamma = Named(parameters, index, "gamma");
                var beta = Named(parameters, index, "beta");
                return Same(ReferenceBatchNorm.Training(input, gamma, beta, bn.EffectiveEpsilon));
            }
            case Conv2DLayer c:
            {
                var weights = Slice(parameters, index, "HWIO");
                var bias = c.UseBias ? Slice(parameters, index, "O") : null;
                var pre = ReferenceConv2D.Forward(input, weights, bias, c.Filters, c.KernelHeight, c.KernelWidth, c.Stride, c.Dilation, c.Same, c.Pads);
                return (pre, Activate(pre, c.Activation, c.Alpha, signature));
            }
            case DepthwiseConv2DLayer d:
            {
                var weights = Slice(parameters, index, "HWIM");
                var bias = d.UseBias ? Slice(parameters, index, "O") : null;
                var pre = ReferenceDepthwise.Forward(input, weights, bias, d.Multiplier, d.KernelHeight, d.KernelWidth, d.Stride, d.Dilation, d.Same, d.Pads);
                return (pre, Activate(pre, d.Activation, d.Alpha, signature));
            }
            case SeparableConv2DLayer s:
            {
                var middle = ReferenceDepthwise.Forward(input, Slice(parameters, index, "HWIM"), null, s.Multiplier, s.KernelHeight, s.KernelWidth, s.Stride, s.Dilation, s.Same);
                var bias = s.UseBias ? Slice(parameters, index, "O") : null;
                var pre = ReferenceConv2D.Forward(middle, Slice(parameters, index, "HWIO"), bias, s.Filters, 1, 1, 1, 1, false);
                return (pre, Activate(pre, s.Activation, s.Alpha, signature));
            }
            case ZeroPadding2DLayer z:
                return Same(ReferenceDepthwise.ZeroPadding(input, z.Top, z.Bottom, z.Left, z.Right));
            case DenseLayer d:
            {
                var weights = Slice(parameters, index, "IO");
                var bias = d.UseBias ? Slice(parameters, index, "O") : null;
                var pre = ReferenceDense.Forward(input, weights, bias, d.Units);
                return (pre, Activate(pre, d.Activation, d.Alpha, signature));
            }
            case ActivationLayer a:
                return (input, Activate(input, a.Activation, a.Alpha, signature));
            case Pool2DLayer p:
                if (p.Max)
                {
                    RecordWindowWinners(input, p, signature);
                }
                return Same(ReferencePooling.Window(input, p.Max, p.PoolHeight, p.PoolWidth, p.Stride, p.Same, p.Pads));
            case GlobalPool2DLayer g:
                if (g.Max)
                {
                    RecordGlobalWinners(input, signature);
                }
                return Same(g.Pool(input));
            case GroupNormLayer gn:
                return Same(gn.Apply(input, gn.Scale ? Named(parameters, index, "gamma") : null, gn.Center ? Named(parameters, index, "beta") : null));
            case MultiplyLayer:
                return Same(ReferenceMultiply.Product(sources[0], sources[1]));
            case ReshapeLayer r:
                return Same(r.Reference(null!, index, input));
            case FlattenLayer:
                return Same(input.Flatten());
            case DropoutLayer:
            {
                var mask = _dropoutMasks[index]!;
                var output = new ReferenceTensor(input.Batch, input.Height, input.Width, input.Channels, input.Rank);
                for (int i = 0; i < mask.Length; i++)
                {
                    output.Values[i] = input.Values[i] * mask[i];
                }
                return Same(output);
            }
            default:
                throw new NotSupportedException(_case.Layers[index].GetType().Name);
        }
    }

    private static (ReferenceTensor, ReferenceTensor) Same(ReferenceTensor t) => (t, t);

    private static ReferenceTensor Activate(ReferenceTensor pre, Activation activation, double alpha, KinkSignature signature)
    {
        if (activation is Activation.Relu or Activation.LeakyRelu or Activation.Elu)
        {
            foreach (double z in pre.Values)
            {
                signature.Add(z > 0 ? 1 : 0);
            }
        }
        else if (activation is Activation.Relu6 or Activation.HardSigmoid or Activation.HardSwish)
        {
            // Two kinks each: 0 and 6 for relu6, -3 and 3 (x + 3 at 0 and 6) for the hard ones.
            double shift = activation == Activation.Relu6 ? 0 : 3;
            foreach (double z in pre.Values)
            {
                signature.Add(z + shift <= 0 ? 0 : z + shift < 6 ? 1 : 2);
            }
        }
        return activation == Activation.Linear ? pre : ReferenceActivations.Apply(pre, activation, alpha);
    }

    /// <summary>The first input cell holding each window's maximum, in the generated scan order (rows, then columns).</summary>
    private static void RecordWindowWinners(ReferenceTensor input, Pool2DLayer p, KinkSignature signature)
    {
        int strideHeight = p.Stride == 0 ? p.PoolHeight : p.Stride;
        int strideWidth = p.Stride == 0 ? p.PoolWidth : p.Stride;
        var ((outHeight, padTop), (outWidth, padLeft)) =
            ReferenceGeometry.Window(input.Height, input.Width, p.PoolHeight, p.PoolWidth, strideHeight, strideWidth, 1, p.Same, p.Pads);
        for (int n = 0; n < input.Batch; n++)
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < input.Channels; c++)
        {
            double best = double.NegativeInfinity;
            int at = -1;
            for (int ky = 0; ky < p.PoolHeight; ky++)
            for (int kx = 0; kx < p.PoolWidth; kx++)
            {
                int iy = oy * strideHeight - padTop + ky;
                int ix = ox * strideWidth - padLeft + kx;
                if (iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width && input[n, iy, ix, c] > best)
                {
                    best = input[n, iy, ix, c];
                    at = ky * p.PoolWidth + kx;
                }
            }
            signature.Add(at);
        }
    }

    private static void RecordGlobalWinners(ReferenceTensor input, KinkSignature signature)
    {
        for (int n = 0; n < input.Batch; n++)
        for (int c = 0; c < input.Channels; c++)
        {
            double best = double.NegativeInfinity;
            int at = -1;
            for (int y = 0; y < input.Height; y++)
            for (int x = 0; x < input.Width; x++)
            {
                if (input[n, y, x, c] > best)
                {
                    best = input[n, y, x, c];
                    at = y * input.Width + x;
                }
            }
            signature.Add(at);
        }
    }

    private double[] Named(double[] parameters, int layerIndex, string role)
    {
        var tensor = _tensors.Single(t => t.LayerIndex == layerIndex && t.Name.EndsWith("." + role, StringComparison.Ordinal));
        return parameters.AsSpan(tensor.Offset, tensor.Length).ToArray();
    }

    private double[] Slice(double[] parameters, int layerIndex, string layout)
    {
        var tensor = _tensors.Single(t => t.LayerIndex == layerIndex && t.Layout == layout);
        return parameters.AsSpan(tensor.Offset, tensor.Length).ToArray();
    }

    /// <summary>As the generator defines it: the last layer that is not Flatten or Dropout, if it has an activation.</summary>
    private static int FindLastActivationLayer(ForwardCase testCase)
    {
        var layers = testCase.Layers;
        for (int i = layers.Count - 1; i >= 0; i = testCase.SourcesOf(i)[0])
        {
            switch (layers[i])
            {
                case FlattenLayer or DropoutLayer or ReshapeLayer:
                    continue;
                case Conv2DLayer { Activation: not Activation.Linear }:
                case DenseLayer { Activation: not Activation.Linear }:
                case ActivationLayer { Activation: not Activation.Linear }:
                case AddLayer { Activation: not Activation.Linear }:
                case Conv2DTransposeLayer { Activation: not Activation.Linear }:
                case DepthwiseConv2DLayer { Activation: not Activation.Linear }:
                case SeparableConv2DLayer { Activation: not Activation.Linear }:
                    return i;
                default:
                    return -1;
            }
        }
        return -1;
    }
}

/// <summary>One reference evaluation: every layer's input and pre-activation, the output, the logits and the decisions taken.</summary>
internal sealed class ReferenceRun
{
    public ReferenceRun(int layers)
    {
        Inputs = new ReferenceTensor[layers];
        PreActivations = new ReferenceTensor[layers];
        Outputs = new ReferenceTensor[layers];
        Signatures = new ulong[layers];
    }

    public ReferenceTensor[] Inputs { get; }
    public ReferenceTensor[] PreActivations { get; }
    public ReferenceTensor[] Outputs { get; }
    public ulong[] Signatures { get; }
    public ReferenceTensor Output { get; set; } = null!;
    public ReferenceTensor Logits { get; set; } = null!;

    /// <summary>Whether layers from <paramref name="firstLayer"/> on took the same decisions in both runs.</summary>
    public bool SameDecisions(ReferenceRun other, int firstLayer)
    {
        for (int i = firstLayer; i < Signatures.Length; i++)
        {
            if (Signatures[i] != other.Signatures[i])
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>A hash of a sequence of discrete decisions (FNV-1a over the values).</summary>
internal sealed class KinkSignature
{
    public ulong Value { get; private set; } = 14695981039346656037UL;

    public void Add(int decision) => Value = (Value ^ (uint)decision) * 1099511628211UL;
}
