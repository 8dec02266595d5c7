using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Data;

public sealed partial class Dataset
{
    /// <summary>
    /// In-memory data from tensors whose first axis is the sample: <paramref name="inputs"/>
    /// <c>[count, H, W, C]</c> (NHWC images) or <c>[count, N]</c>, <paramref name="targets"/>
    /// <c>[count, T]</c> (or <c>[count]</c> for one value per sample). A contiguous tensor (every
    /// tensor made by <c>Tensor.Create</c> or <c>CreateFromShape</c>, and slices of whole samples) is
    /// used where it lies, not copied: do not modify it afterwards. Any other (a slice with gaps, broadcast strides)
    /// is copied into a dense buffer once, since training reads each sample as one contiguous row.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor has rank 0, no values per sample, or the sample counts differ.</exception>
    public static Dataset FromTensors(Tensor<float> inputs, Tensor<float> targets, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var (count, inputLength) = Samples(inputs, nameof(inputs));
        var (targetCount, targetLength) = Samples(targets, nameof(targets));
        if (targetCount != count)
        {
            throw new ArgumentException($"inputs holds {count} samples (lengths [{string.Join(",", inputs.Lengths.ToArray())}]) but targets holds {targetCount} (lengths [{string.Join(",", targets.Lengths.ToArray())}]); the first axis is the sample.", nameof(targets));
        }
        return new Dataset(Memory(inputs), Memory(targets), count, inputLength, targetLength, classNames);
    }

    /// <summary>
    /// In-memory classification data from an image tensor <c>[count, H, W, C]</c> (or
    /// <c>[count, N]</c>) and one class index per sample (sparse targets, for
    /// <c>SparseSoftmaxCrossEntropy</c>). The images are used in place when the tensor is contiguous
    /// (see <see cref="FromTensors(Tensor{float}, Tensor{float}, IReadOnlyList{string}?)"/>); the labels are copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is not a class index.</exception>
    public static Dataset FromTensors(Tensor<float> images, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(classNames);
        var (count, inputLength) = Samples(images, nameof(images));
        if (labels.Length != count)
        {
            throw new ArgumentException($"images holds {count} samples (lengths [{string.Join(",", images.Lengths.ToArray())}]) but there are {labels.Length} labels; give one label per image.", nameof(labels));
        }
        var targets = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"labels[{i}] is {labels[i]}, not a class index from 0 to {classNames.Count - 1}.");
            }
            targets[i] = labels[i];
        }
        return new Dataset(Memory(images), targets, count, inputLength, 1, classNames);
    }

    private static (int Count, int Length) Samples(Tensor<float> tensor, string name)
    {
        if (tensor.Rank == 0)
        {
            throw new ArgumentException($"{name} has rank 0; expected the sample axis first, e.g. [count,H,W,C].", name);
        }
        ReadOnlySpan<nint> lengths = tensor.Lengths;
        long perSample = 1;
        for (int axis = 1; axis < lengths.Length; axis++)
        {
            perSample *= lengths[axis];
        }
        if (perSample == 0 || perSample > int.MaxValue || lengths[0] > int.MaxValue)
        {
            throw new ArgumentException($"{name} has lengths [{string.Join(",", lengths.ToArray())}]: expected at least one value per sample and fewer than 2^31 samples and values per sample.", name);
        }
        return ((int)lengths[0], (int)perSample);
    }

    private static ReadOnlyMemory<float> Memory(Tensor<float> tensor)
    {
        if (!NetworkTensors.IsContiguous(tensor.Lengths, tensor.Strides))
        {
            var copy = new float[tensor.FlattenedLength];
            tensor.FlattenTo(copy);
            return copy;
        }
        return tensor.FlattenedLength == 0 ? ReadOnlyMemory<float>.Empty : new DenseTensorMemory(tensor).Memory;
    }

    /// <summary>The values of a contiguous tensor as <see cref="Memory{T}"/>, without copying them.</summary>
    private sealed class DenseTensorMemory(Tensor<float> tensor) : MemoryManager<float>
    {
        private readonly int _length = checked((int)tensor.FlattenedLength);

        public override Span<float> GetSpan() => MemoryMarshal.CreateSpan(ref First, _length);

        // Through the span view: Tensor<T>.GetPinnableReference of a slice gives the start of the
        // whole array (System.Numerics.Tensors 10.0.0), TensorSpan's gives the slice's first value.
        private ref float First => ref tensor.AsTensorSpan().GetPinnableReference();

        // The tensor's own handle pins its whole array; the address is taken from the tensor's
        // first value, wherever in that array the handle points.
        public override MemoryHandle Pin(int elementIndex = 0)
        {
            MemoryHandle whole = tensor.GetPinnedHandle();
            unsafe
            {
                float* first = (float*)Unsafe.AsPointer(ref First);
                return new MemoryHandle(first + elementIndex, handle: default, pinnable: new Release(whole));
            }
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }

        /// <summary>Frees the tensor's pin when the handle <see cref="Pin"/> returned is disposed.</summary>
        private sealed class Release(MemoryHandle whole) : IPinnable
        {
            private MemoryHandle _whole = whole;

            public MemoryHandle Pin(int elementIndex) => throw new NotSupportedException();

            public void Unpin() => _whole.Dispose();
        }
    }
}
