using System;
using System.Runtime.Intrinsics;
using System.Threading;
using ConvGen.Kernels;
using ConvGen.Parallel;

namespace ConvGen;

/// <summary>A generated network's layers on one share of a batch's rows (<see cref="InferenceWorkspace.Run"/>).</summary>
public delegate void RowsForward(ReadOnlySpan<float> inputs, Span<float> outputs, Rows rows);

/// <summary>
/// The base of every generated inference workspace: its buffers, and optionally threads that
/// split each picture. With <see cref="Threads"/> &gt; 1 (<see cref="INetwork.CreateInferenceWorkspace(int, int)"/>)
/// every convolution's output rows are divided among the threads, which wait for each other at a
/// barrier after each layer; the cheap layers (pools, Add, Dense) run on one of them. Each output
/// value is computed by the same code as on one thread, so the results are bit-identical.
/// </summary>
public abstract class InferenceWorkspace : IInferenceWorkspace, IDisposable
{
    private WorkerPool? _pool;
    private Barrier? _barrier;
    private CancellationTokenSource? _abort;

    /// <inheritdoc/>
    public abstract int Capacity { get; }

    /// <summary>Most threads a workspace starts: more than any CPU this runs on needs, few enough to start.</summary>
    public const int MaxThreads = 256;

    /// <summary>Threads that share each forward pass (1: the calling thread alone).</summary>
    public int Threads { get; private set; } = 1;

    /// <summary>Sets the threads that split each forward pass (see <see cref="INetwork.CreateInferenceWorkspace(int, int)"/>).</summary>
    internal void SplitOver(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        Threads = threads;
        if (threads > 1)
        {
            _pool = new WorkerPool(threads);
            _barrier = new Barrier(threads);
            _abort = new CancellationTokenSource();
        }
    }

    /// <summary>
    /// Runs <paramref name="layers"/> on every thread with its share of the rows of
    /// <paramref name="batch"/> samples, and returns when all are done. Without vector hardware
    /// (the generated kernels' scalar fallback works on whole batches) the calling thread runs them all.
    /// </summary>
    public unsafe void Run(ReadOnlySpan<float> inputs, Span<float> outputs, int batch, RowsForward layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (_pool is null || !Vector256.IsHardwareAccelerated)
        {
            layers(inputs, outputs, batch);
            return;
        }
        fixed (float* input = inputs)
        fixed (float* output = outputs)
        {
            nint inputAddress = (nint)input, outputAddress = (nint)output;
            int inputLength = inputs.Length, outputLength = outputs.Length;
            int parts = Threads;
            try
            {
                _pool.Run(part =>
                {
                    try
                    {
                        layers(new ReadOnlySpan<float>((float*)inputAddress, inputLength), new Span<float>((float*)outputAddress, outputLength), new Rows(batch, part, parts, this));
                    }
                    catch
                    {
                        // The others leave their barrier with OperationCanceledException instead of waiting forever.
                        _abort!.Cancel();
                        throw;
                    }
                });
            }
            catch
            {
                // A barrier left by cancelled parts is in an unknown phase: the next run gets a fresh one.
                _barrier!.Dispose();
                _abort!.Dispose();
                _barrier = new Barrier(parts);
                _abort = new CancellationTokenSource();
                throw;
            }
        }
    }

    /// <summary>The barrier between two layers (<see cref="Rows.Wait"/>).</summary>
    internal void Wait() => _barrier!.SignalAndWait(_abort!.Token);

    /// <summary>Stops the threads, if any.</summary>
    public void Dispose()
    {
        _pool?.Dispose();
        _barrier?.Dispose();
        _abort?.Dispose();
        _pool = null;
        GC.SuppressFinalize(this);
    }
}
