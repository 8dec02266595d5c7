using System;

namespace ConvGen.Training;

/// <summary>One batch of samples gathered into contiguous rows.</summary>
internal sealed class BatchBuffer
{
    public BatchBuffer(int capacity, int inputLength, int targetLength)
    {
        Inputs = new float[capacity * inputLength];
        Targets = new float[capacity * targetLength];
        Samples = new int[capacity];
    }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    /// <summary>Index in the data source of each row's sample, for messages about a sample.</summary>
    public int[] Samples { get; }

    public int Count { get; set; }

    /// <summary>First row holding a NaN or infinity (input or target, after augmentation), or -1.</summary>
    public int NonFiniteRow { get; private set; } = -1;

    /// <summary>Whether that value is in the row's target rather than its input.</summary>
    public bool NonFiniteInTarget { get; private set; }

    /// <summary>Its position within the row's input (or target).</summary>
    public int NonFiniteIndex { get; private set; }

    /// <summary>The value itself.</summary>
    public float NonFiniteValue { get; private set; }

    /// <summary>
    /// Finds the first non-finite value of the first <see cref="Count"/> rows: one SIMD pass over
    /// the batch (cheap next to reading it), a row-by-row search only when it fails.
    /// </summary>
    public void ScanForNonFinite(int inputLength, int targetLength)
    {
        NonFiniteRow = -1;
        if (Finiteness.All(Inputs.AsSpan(0, Count * inputLength)) && Finiteness.All(Targets.AsSpan(0, Count * targetLength)))
        {
            return;
        }
        for (int r = 0; r < Count && NonFiniteRow < 0; r++)
        {
            FindNonFinite(r, inputLength, targetLength);
        }
    }

    /// <summary>Before a batch is read row by row: no non-finite value found yet.</summary>
    public void ClearNonFinite() => NonFiniteRow = -1;

    /// <summary>
    /// Checks row <paramref name="row"/> just after it was read, while it is still in the core's
    /// cache (a second pass over the whole batch would read it back from further away); the first
    /// row found bad is kept, as <see cref="ScanForNonFinite"/> keeps it. Rows are checked in order.
    /// </summary>
    public void CheckRow(int row, int inputLength, int targetLength)
    {
        if (NonFiniteRow >= 0 || IsRowFinite(row, inputLength, targetLength))
        {
            return;
        }
        FindNonFinite(row, inputLength, targetLength);
    }

    /// <summary>Whether row <paramref name="row"/>'s input and target are all finite (records nothing).</summary>
    public bool IsRowFinite(int row, int inputLength, int targetLength) =>
        Finiteness.All(Inputs.AsSpan(row * inputLength, inputLength)) && Finiteness.All(Targets.AsSpan(row * targetLength, targetLength));

    private void FindNonFinite(int r, int inputLength, int targetLength)
    {
        int input = Finiteness.FirstNonFinite(Inputs.AsSpan(r * inputLength, inputLength));
        int target = input < 0 ? Finiteness.FirstNonFinite(Targets.AsSpan(r * targetLength, targetLength)) : -1;
        if (input >= 0 || target >= 0)
        {
            NonFiniteRow = r;
            NonFiniteInTarget = input < 0;
            NonFiniteIndex = input >= 0 ? input : target;
            NonFiniteValue = input >= 0 ? Inputs[r * inputLength + input] : Targets[r * targetLength + target];
        }
    }
}
