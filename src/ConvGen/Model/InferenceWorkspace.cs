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
/// split each picture. With <see cref="Threads"/> &gt; 1 (<see cref="InferenceThreads.CreateInferenceWorkspace"/>)
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

    /// <summary>Sets the threads that split each forward pass (see <see cref="InferenceThreads.CreateInferenceWorkspace"/>).</summary>
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

/// <summary>Inference workspaces whose threads split each picture.</summary>
public static class InferenceThreads
{
    /// <summary>
    /// Allocates inference buffers for up to <paramref name="capacity"/> samples whose
    /// <see cref="INetwork.Forward"/> splits each picture over <paramref name="threads"/> threads
    /// (every convolution's output rows divided among them, a barrier between layers), for batches
    /// smaller than the thread count; the results are bit-identical to one thread's. Dispose it
    /// to stop its threads. One thread gives the same workspace as <see cref="INetwork.CreateInferenceWorkspace(int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is not 1 to <see cref="InferenceWorkspace.MaxThreads"/>.</exception>
    /// <exception cref="NotSupportedException">The network's workspace cannot be split (a network not generated by ConvGen).</exception>
    public static IInferenceWorkspace CreateInferenceWorkspace(this INetwork network, int capacity, int threads)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, InferenceWorkspace.MaxThreads);
        var workspace = network.CreateInferenceWorkspace(capacity);
        if (threads > 1)
        {
            if (workspace is not InferenceWorkspace split)
            {
                throw new NotSupportedException($"{network.GetType().Name}: its inference workspace ({workspace.GetType().Name}) cannot split a picture over threads.");
            }
            split.SplitOver(threads);
        }
        return workspace;
    }
}
