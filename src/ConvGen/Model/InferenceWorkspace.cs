using System;
using System.Runtime.Intrinsics;
using System.Threading;
using ConvGen.Kernels;
using ConvGen.Parallel;

namespace ConvGen;

/// <summary>
/// A generated network's layers on one share of a batch's rows (<see cref="InferenceWorkspace.Run{TWorkspace}"/>).
/// Everything they read comes in as arguments, so the generated lambda is static: a forward pass
/// allocates no closure.
/// </summary>
public delegate void RowsForward<TWorkspace>(float[] parameters, TWorkspace workspace, ReadOnlySpan<float> inputs, Span<float> outputs, Rows rows);

/// <summary>
/// The base of every generated inference workspace: its buffers, and optionally threads that
/// split each picture. With <see cref="Threads"/> &gt; 1 (<see cref="InferenceThreads.CreateInferenceWorkspace(INetwork, int, int)"/>)
/// every convolution's output rows are divided among the threads, which wait for each other at a
/// barrier after each layer; the cheap layers (pools, Add, Dense) run on one of them. Each output
/// value is computed by the same code as on one thread, so the results are bit-identical.
/// </summary>
public abstract class InferenceWorkspace : IInferenceWorkspace, IDisposable
{
    private WorkerPool? _pool;
    private SpinBarrier? _barrier;

    /// <inheritdoc/>
    public abstract int Capacity { get; }

    /// <summary>Most threads a workspace starts: more than any CPU this runs on needs, few enough to start.</summary>
    public const int MaxThreads = 256;

    /// <summary>Threads that share each forward pass (1: the calling thread alone).</summary>
    public int Threads { get; private set; } = 1;

    /// <summary>
    /// The network that created the workspace, whose parameters <see cref="FreezeWeights"/> reads
    /// (set by the generated <c>CreateInferenceWorkspace</c>).
    /// </summary>
    public INetwork? Network { get; init; }

    /// <summary>The parameters as they were at <see cref="FreezeWeights"/>, or null: the network's current ones.</summary>
    private float[]? _frozen;

    /// <summary>
    /// Whether forward passes on this workspace use the weights as they were at the last
    /// <see cref="FreezeWeights"/> (true) or the network's current parameters (false, the default).
    /// </summary>
    public bool WeightsFrozen => _frozen is not null;

    /// <summary>
    /// Freezes the weights this workspace computes with, like an ONNX Runtime session (which prepacks
    /// the weights when it is created) or <c>torch.jit.freeze</c>: copies the network's parameters as
    /// they are now into the workspace and derives from them, once, everything a forward pass would
    /// otherwise derive on every call (the picture plan's packed weight slices, Winograd layers'
    /// transformed filters, the BatchNorms folded into convolutions). Later forward passes on this
    /// workspace use them as they are. <b>Parameters changed afterwards (training, loading a file,
    /// writing <see cref="INetwork.Parameters"/>) are not seen</b> until <see cref="FreezeWeights"/>
    /// is called again or the workspace is unfrozen (<see cref="UnfreezeWeights"/>). The results are
    /// bit-identical to an unfrozen workspace's on the same parameters. The workspace holds its own
    /// copy of the parameters (<see cref="INetwork.Parameters"/>' length) besides the derived weights.
    /// Like a forward pass, not thread-safe with another call on the same workspace.
    /// </summary>
    /// <exception cref="InvalidOperationException">The workspace was not created by a network's <c>CreateInferenceWorkspace</c> (no <see cref="Network"/>).</exception>
    public void FreezeWeights()
    {
        var network = Network ?? throw new InvalidOperationException(
            $"{GetType().Name}: the workspace knows no network to freeze the weights of; create it with the network's CreateInferenceWorkspace.");
        // One forward pass of a zero sample on the unfrozen workspace derives every weight from the
        // current parameters into the workspace, by the very code of an unfrozen call; the copy
        // taken with it is what the layers that read the parameters directly use from then on.
        _frozen = null;
        var parameters = network.Parameters;
        var frozen = _frozenStore is { } store && store.Length == parameters.Length ? store : new float[parameters.Length];
        parameters.CopyTo(frozen);
        _frozenStore = frozen;
        network.Forward(new float[network.InputShape.Length], new float[network.OutputShape.Length], this);
        _frozen = frozen;
    }

    /// <summary>The copy of <see cref="FreezeWeights"/>, kept for the next freeze after <see cref="UnfreezeWeights"/>.</summary>
    private float[]? _frozenStore;

    /// <summary>
    /// Floats of the buffer a split workspace's threads share for a Winograd layer's transformed input tiles (<see cref="SharedTiles"/>):
    /// the largest picture's of the layers that can divide their filters among the threads, as the generator counts them; 0 for none.
    /// </summary>
    protected virtual int SharedTilesLength => 0;

    /// <summary>
    /// The transformed input tiles of one picture, which the threads of a Winograd layer split by filters make together (each its
    /// share of the tiles, then a barrier) and all read: allocated with the threads (<see cref="SplitOver"/>), empty on one thread.
    /// </summary>
    internal Span<float> SharedTiles => _sharedTiles;

    private float[]? _sharedTiles;

    /// <summary>Makes forward passes use the network's current parameters again (the default; see <see cref="FreezeWeights"/>).</summary>
    public void UnfreezeWeights() => _frozen = null;

    /// <summary>Sets the threads that split each forward pass (see <see cref="InferenceThreads.CreateInferenceWorkspace(INetwork, int, int)"/>).</summary>
    internal void SplitOver(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        Threads = threads;
        if (threads > 1)
        {
            _pool = new WorkerPool(threads);
            _runPart = RunPart;
            _barrier = new SpinBarrier(threads, threads);
        }
        _sharedTiles = threads > 1 && SharedTilesLength > 0 ? new float[SharedTilesLength] : null;
    }

    /// <summary>
    /// Runs <paramref name="layers"/> on every thread with its share of the rows of
    /// <paramref name="batch"/> samples, and returns when all are done. Without vector hardware
    /// (the generated kernels' scalar fallback works on whole batches) the calling thread runs them all.
    /// </summary>
    public unsafe void Run<TWorkspace>(float[] parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, RowsForward<TWorkspace> layers)
        where TWorkspace : InferenceWorkspace
    {
        ArgumentNullException.ThrowIfNull(layers);
        // A frozen workspace's layers read its copy of the parameters, not the network's.
        parameters = _frozen ?? parameters;
        if (this is not TWorkspace self)
        {
            throw new ArgumentException($"{GetType().Name}: the layers were written for a {typeof(TWorkspace).Name}.", nameof(layers));
        }
        if (_pool is null || !Vector256.IsHardwareAccelerated)
        {
            layers(parameters, self, inputs, outputs, batch);
            return;
        }
        fixed (float* input = inputs)
        fixed (float* output = outputs)
        {
            // The call's arguments in fields, read by the parts through one delegate made once:
            // no closure per call. Run returns only when every part is done with them.
            _call = new Call(parameters, (nint)input, inputs.Length, (nint)output, outputs.Length, batch, layers, Parts<TWorkspace>.Run);
            try
            {
                _pool.Run(_runPart!);
            }
            catch
            {
                // A barrier left by cancelled parts is in an unknown phase: the next run gets a fresh one.
                _barrier = new SpinBarrier(Threads, Threads);
                throw;
            }
            finally
            {
                _call = default;
            }
        }
    }

    /// <summary>One <see cref="Run{TWorkspace}"/> call's arguments, for its parts.</summary>
    private readonly record struct Call(float[] Parameters, nint Inputs, int InputLength, nint Outputs, int OutputLength, int Batch, object Layers,
        Action<InferenceWorkspace, int> RunPart);

    private Call _call;

    /// <summary>Runs one part of the current call (made once per workspace in <see cref="SplitOver"/>).</summary>
    private Action<int>? _runPart;

    /// <summary>The typed call of a part, one static delegate per workspace type.</summary>
    private static class Parts<TWorkspace> where TWorkspace : InferenceWorkspace
    {
        public static readonly Action<InferenceWorkspace, int> Run = static (workspace, part) =>
        {
            var call = workspace._call;
            unsafe
            {
                ((RowsForward<TWorkspace>)call.Layers)(call.Parameters, (TWorkspace)workspace, new ReadOnlySpan<float>((float*)call.Inputs, call.InputLength),
                    new Span<float>((float*)call.Outputs, call.OutputLength), new Rows(call.Batch, part, workspace.Threads, workspace));
            }
        };
    }

    private void RunPart(int part)
    {
        try
        {
            _call.RunPart(this, part);
        }
        catch
        {
            // The others leave their barrier with OperationCanceledException instead of waiting forever.
            _barrier!.Abort();
            throw;
        }
    }

    /// <summary>The barrier between two layers (<see cref="Rows.Wait"/>).</summary>
    internal void Wait() => _barrier!.SignalAndWait();

    /// <summary>Stops the threads, if any.</summary>
    public void Dispose()
    {
        _pool?.Dispose();
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
    public static IInferenceWorkspace CreateInferenceWorkspace(this INetwork network, int capacity, int threads) =>
        CreateInferenceWorkspace(network, capacity, threads, freezeWeights: false);

    /// <summary>
    /// <see cref="CreateInferenceWorkspace(INetwork, int, int)"/>, with the weights frozen as they are now when
    /// <paramref name="freezeWeights"/> (see <see cref="InferenceWorkspace.FreezeWeights"/>: like an ONNX Runtime
    /// session, later parameter changes are not seen until the workspace is frozen again).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is not 1 to <see cref="InferenceWorkspace.MaxThreads"/>.</exception>
    /// <exception cref="NotSupportedException">The network's workspace cannot be split or frozen (a network not generated by ConvGen).</exception>
    public static IInferenceWorkspace CreateInferenceWorkspace(this INetwork network, int capacity, int threads, bool freezeWeights)
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
        if (freezeWeights)
        {
            if (workspace is not InferenceWorkspace frozen)
            {
                throw new NotSupportedException($"{network.GetType().Name}: its inference workspace ({workspace.GetType().Name}) cannot freeze weights.");
            }
            frozen.FreezeWeights();
        }
        return workspace;
    }
}
