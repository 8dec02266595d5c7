using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ConvGen;

/// <summary>
/// <see cref="INetwork.Predict"/> and <see cref="INetwork.Forward"/> on System.Numerics.Tensors
/// values. Inputs are <c>[batch, H, W, C]</c> (NHWC, batch first) for a network with a rank-3
/// input, <c>[batch, N]</c> for a rank-1 input; outputs likewise after the network's output shape.
/// A contiguous tensor (one run of memory in row-major order, as <see cref="Tensor.Create{T}(T[], ReadOnlySpan{nint})"/>
/// and every unsliced tensor are) is read and written in place, with no copy. Any other (a
/// slice with gaps, broadcast strides) is copied into a dense buffer first — outputs are
/// computed into one and copied back — because the generated kernels read and write whole NHWC
/// rows with unit stride; the copy is one pass over the data, small beside the forward pass.
/// </summary>
public static class NetworkTensors
{
    /// <summary>Inference on a batch, as <see cref="INetwork.Predict"/>; the shapes are checked against the network's.</summary>
    /// <exception cref="ArgumentException">A tensor's lengths are not <c>[batch, ...]</c> of the network's shape, or the batches differ.</exception>
    public static void Predict(this INetwork network, ReadOnlyTensorSpan<float> inputs, TensorSpan<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        int batch = CheckedBatch(network.InputShape, inputs.Lengths, nameof(inputs), "input");
        CheckOutputs(network, outputs, batch);
        Run(network, inputs, outputs, workspace: null);
    }

    /// <summary>Inference on a batch into a new dense tensor <c>[batch, ...OutputShape]</c>.</summary>
    /// <exception cref="ArgumentException">The input's lengths are not <c>[batch, ...]</c> of the network's input shape.</exception>
    public static Tensor<float> Predict(this INetwork network, ReadOnlyTensorSpan<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        int batch = CheckedBatch(network.InputShape, inputs.Lengths, nameof(inputs), "input");
        var outputs = Tensor.Create(new float[(long)batch * network.OutputShape.Length], Lengths(batch, network.OutputShape));
        Run(network, inputs, outputs, workspace: null);
        return outputs;
    }

    /// <summary><see cref="Predict(INetwork, ReadOnlyTensorSpan{float})"/> on a <see cref="Tensor{T}"/>.</summary>
    public static Tensor<float> Predict(this INetwork network, Tensor<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return network.Predict(inputs.AsReadOnlyTensorSpan());
    }

    /// <summary><see cref="Predict(INetwork, ReadOnlyTensorSpan{float}, TensorSpan{float})"/> on <see cref="Tensor{T}"/> values.</summary>
    public static void Predict(this INetwork network, Tensor<float> inputs, Tensor<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        network.Predict(inputs.AsReadOnlyTensorSpan(), outputs.AsTensorSpan());
    }

    /// <summary>
    /// Inference with one workspace per thread, as <see cref="INetwork.Forward"/>: at most the
    /// workspace's capacity of samples; the shapes are checked against the network's.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor's lengths are not <c>[batch, ...]</c> of the network's shape, the batches differ, or the batch exceeds the workspace.</exception>
    public static void Forward(this INetwork network, ReadOnlyTensorSpan<float> inputs, TensorSpan<float> outputs, IInferenceWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(workspace);
        int batch = CheckedBatch(network.InputShape, inputs.Lengths, nameof(inputs), "input");
        CheckOutputs(network, outputs, batch);
        if (batch > workspace.Capacity)
        {
            throw new ArgumentException($"inputs holds a batch of {batch} samples but the workspace holds at most {workspace.Capacity}; create one with CreateInferenceWorkspace({batch}) or split the batch.", nameof(inputs));
        }
        Run(network, inputs, outputs, workspace);
    }

    /// <summary><see cref="Forward(INetwork, ReadOnlyTensorSpan{float}, TensorSpan{float}, IInferenceWorkspace)"/> on <see cref="Tensor{T}"/> values.</summary>
    public static void Forward(this INetwork network, Tensor<float> inputs, Tensor<float> outputs, IInferenceWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        network.Forward(inputs.AsReadOnlyTensorSpan(), outputs.AsTensorSpan(), workspace);
    }

    /// <summary>The tensor lengths of <paramref name="batch"/> samples of <paramref name="shape"/>: <c>[batch, H, W, C]</c> or <c>[batch, N]</c>.</summary>
    public static nint[] Lengths(int batch, TensorShape shape) =>
        shape.Rank == 1 ? new nint[] { batch, shape.Length } : new nint[] { batch, shape.Height, shape.Width, shape.Channels };

    /// <summary>The batch size of <paramref name="lengths"/>, which must be <c>[batch, ...]</c> of <paramref name="shape"/>.</summary>
    internal static int CheckedBatch(TensorShape shape, ReadOnlySpan<nint> lengths, string parameter, string what)
    {
        nint[] expected = Lengths(0, shape);
        bool matches = lengths.Length == expected.Length;
        for (int axis = 1; matches && axis < expected.Length; axis++)
        {
            matches = lengths[axis] == expected[axis];
        }
        string expectedText = shape.Rank == 1 ? $"[batch,{shape.Length}]" : $"[batch,{shape.Height},{shape.Width},{shape.Channels}]";
        if (!matches)
        {
            string layout = shape.Rank == 1 ? "[batch,N]" : "NHWC [batch,H,W,C]";
            throw new ArgumentException(
                $"{parameter} has lengths [{string.Join(",", lengths.ToArray())}] but the network's {what} is {shape}: expected {layout} = {expectedText}, batch first.", parameter);
        }
        if (lengths[0] > int.MaxValue / Math.Max(1, shape.Length))
        {
            throw new ArgumentException($"{parameter} holds a batch of {lengths[0]} samples of {shape.Length} floats, more than one buffer holds; split the batch.", parameter);
        }
        return (int)lengths[0];
    }

    private static void CheckOutputs(INetwork network, ReadOnlyTensorSpan<float> outputs, int batch)
    {
        int outputBatch = CheckedBatch(network.OutputShape, outputs.Lengths, nameof(outputs), "output");
        if (outputBatch != batch)
        {
            throw new ArgumentException($"outputs has room for a batch of {outputBatch} samples but inputs holds {batch}; give both the same batch.", nameof(outputs));
        }
    }

    private static void Run(INetwork network, ReadOnlyTensorSpan<float> inputs, TensorSpan<float> outputs, IInferenceWorkspace? workspace)
    {
        ReadOnlySpan<float> inputValues = DenseOrCopy(inputs);
        if (outputs.FlattenedLength == 0 || IsContiguous(outputs.Lengths, outputs.Strides))
        {
            Compute(network, inputValues, WholeSpan(outputs), workspace);
            return;
        }
        var dense = new float[outputs.FlattenedLength];
        Compute(network, inputValues, dense, workspace);
        new ReadOnlyTensorSpan<float>(dense, outputs.Lengths).CopyTo(outputs);
    }

    private static void Compute(INetwork network, ReadOnlySpan<float> inputs, Span<float> outputs, IInferenceWorkspace? workspace)
    {
        if (workspace is null)
        {
            network.Predict(inputs, outputs);
        }
        else
        {
            network.Forward(inputs, outputs, workspace);
        }
    }

    /// <summary>The values of a contiguous tensor in place, or those of any other gathered into a new array.</summary>
    internal static ReadOnlySpan<float> DenseOrCopy(ReadOnlyTensorSpan<float> tensor)
    {
        if (tensor.FlattenedLength == 0)
        {
            return ReadOnlySpan<float>.Empty;
        }
        if (IsContiguous(tensor.Lengths, tensor.Strides))
        {
            return MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
        }
        var copy = new float[tensor.FlattenedLength];
        tensor.FlattenTo(copy);
        return copy;
    }

    private static Span<float> WholeSpan(TensorSpan<float> tensor) =>
        MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));

    /// <summary>
    /// Whether the values lie in one run, row-major, from the tensor's first value: each axis's
    /// stride is the product of the later axes' lengths. Axes of length 1 are never stepped
    /// along, so their stride does not matter. (Checked here rather than through IsDense, which
    /// is false for some slices that are contiguous, e.g. samples 2..4 of an NHWC batch with C = 1.)
    /// </summary>
    internal static bool IsContiguous(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        long expected = 1;
        for (int axis = lengths.Length - 1; axis >= 0; axis--)
        {
            if (lengths[axis] != 1 && strides[axis] != expected)
            {
                return false;
            }
            expected *= lengths[axis];
        }
        return true;
    }
}
