using System;
using System.Threading;

namespace ConvGen.Distributed;

/// <summary>
/// Data-parallel collectives over MPI (MPICH or Open MPI, found at run time). Create one per
/// process after <c>mpirun -np N</c> started it; dispose it at the end (MPI_Finalize).
/// MPI has no time-out of its own: a collective waiting for a rank that died would hang for
/// ever, so every collective runs under a watchdog that aborts the whole job, with a message
/// naming the operation, once <see cref="Timeout"/> has passed.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    private static readonly object s_gate = new();
    private static MpiLibrary? s_library;
    private static bool s_initializedHere;

    private readonly MpiLibrary _mpi;
    private readonly Thread _watchdog;
    private long _deadlineTicks = long.MaxValue;
    private string _operation = "";
    private volatile bool _disposed;

    // Non-blocking sums in flight: MPI request handles (an int for MPICH, a pointer for Open MPI,
    // so a native-sized slot zero-extended either way), the pinned values and completion flags.
    private nint[] _requests = new nint[64];
    private System.Buffers.MemoryHandle[] _pins = new System.Buffers.MemoryHandle[64];
    private bool[] _done = new bool[64];
    private int _started;
    private int _outstanding;

    /// <summary>Initialises MPI (once per process) and reads this process's rank and the job size.</summary>
    public MpiCommunicator(TimeSpan? timeout = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(120);
        lock (s_gate)
        {
            s_library ??= MpiLibrary.Load();
            _mpi = s_library;
            int initialized;
            Check(_mpi.Initialized(&initialized), "MPI_Initialized");
            if (initialized == 0)
            {
                Check(_mpi.Init(null, null), "MPI_Init");
                s_initializedHere = true;
            }
        }
        int rank, size;
        Check(_mpi.CommRank(_mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(_mpi.CommSize(_mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        _watchdog = new Thread(Watch) { IsBackground = true, Name = "ConvGen MPI watchdog" };
        _watchdog.Start();
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>How long one collective may take before the job is aborted (default 120 s).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The MPI library in use, e.g. <c>libmpi.so.12 (MPICH)</c>.</summary>
    public string Library => $"{_mpi.Path} ({(_mpi.IsOpenMpi ? "Open MPI" : "MPICH")})";

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values)
    {
        Begin("MPI_Allreduce");
        fixed (float* data = values)
        {
            for (int offset = 0; offset < values.Length; offset += Piece)
            {
                Check(_mpi.Allreduce((void*)_mpi.InPlace, data + offset, Math.Min(Piece, values.Length - offset), _mpi.Float, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
            }
        }
        End();
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values)
    {
        Begin("MPI_Allreduce");
        fixed (double* data = values)
        {
            for (int offset = 0; offset < values.Length; offset += Piece)
            {
                Check(_mpi.Allreduce((void*)_mpi.InPlace, data + offset, Math.Min(Piece, values.Length - offset), _mpi.Double, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
            }
        }
        End();
    }

    /// <inheritdoc/>
    /// <remarks>Values beyond 2^30 are summed at once, like <see cref="AllReduceSum(Span{float})"/>.</remarks>
    public PendingSum StartAllReduceSum(Memory<float> values)
    {
        if (values.Length > Piece)
        {
            AllReduceSum(values.Span);
            return PendingSum.Done;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started == _requests.Length)
        {
            Array.Resize(ref _requests, _requests.Length * 2);
            Array.Resize(ref _pins, _pins.Length * 2);
            Array.Resize(ref _done, _done.Length * 2);
        }
        int slot = _started;
        if (_outstanding == 0)
        {
            // One deadline covers every sum in flight: the first start arms it, the last completion disarms it.
            Begin("MPI_Iallreduce");
        }
        _pins[slot] = values.Pin();
        fixed (nint* request = &_requests[slot])
        {
            Check(_mpi.Iallreduce((void*)_mpi.InPlace, _pins[slot].Pointer, values.Length, _mpi.Float, _mpi.Sum, _mpi.CommWorld, request), "MPI_Iallreduce");
        }
        _started++;
        _outstanding++;
        _done[slot] = false;
        return new PendingSum(slot);
    }

    /// <inheritdoc/>
    public bool Poll(PendingSum sum)
    {
        if (sum.Slot < 0 || _done[sum.Slot]) return true;
        int flag;
        fixed (nint* request = &_requests[sum.Slot])
        {
            Check(_mpi.Test(request, &flag, _mpi.StatusIgnore), "MPI_Test");
        }
        _done[sum.Slot] = flag != 0;
        return flag != 0;
    }

    /// <inheritdoc/>
    public void Complete(PendingSum sum)
    {
        if (sum.Slot < 0) return;
        if (!_done[sum.Slot])
        {
            fixed (nint* request = &_requests[sum.Slot])
            {
                Check(_mpi.Wait(request, _mpi.StatusIgnore), "MPI_Wait");
            }
            _done[sum.Slot] = true;
        }
        _pins[sum.Slot].Dispose();
        _pins[sum.Slot] = default;
        if (--_outstanding == 0)
        {
            // Every sum of this round is complete: slots are reused from the start.
            _started = 0;
            End();
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root = 0)
    {
        Begin("MPI_Bcast");
        fixed (float* data = values)
        {
            for (int offset = 0; offset < values.Length; offset += Piece)
            {
                Check(_mpi.Bcast(data + offset, Math.Min(Piece, values.Length - offset), _mpi.Float, root, _mpi.CommWorld), "MPI_Bcast");
            }
        }
        End();
    }

    /// <inheritdoc/>
    public void Broadcast(Span<long> values, int root = 0)
    {
        Begin("MPI_Bcast");
        fixed (long* data = values)
        {
            for (int offset = 0; offset < values.Length; offset += Piece)
            {
                Check(_mpi.Bcast(data + offset, Math.Min(Piece, values.Length - offset), _mpi.Long, root, _mpi.CommWorld), "MPI_Bcast");
            }
        }
        End();
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        Begin("MPI_Barrier");
        Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
        End();
    }

    /// <summary>MPI counts are 32-bit: very long buffers go in pieces of at most 2^30 values.</summary>
    private const int Piece = 1 << 30;

    /// <summary>Arms the watchdog for one collective (an exception leaves it armed, and the job then ends by time-out, which is right: the ranks disagree).</summary>
    private void Begin(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _operation = name;
        Interlocked.Exchange(ref _deadlineTicks, DateTime.UtcNow.Ticks + Timeout.Ticks);
    }

    private void End() => Interlocked.Exchange(ref _deadlineTicks, long.MaxValue);

    private void Watch()
    {
        while (!_disposed)
        {
            Thread.Sleep(200);
            if (DateTime.UtcNow.Ticks > Interlocked.Read(ref _deadlineTicks))
            {
                Console.Error.WriteLine(
                    $"ConvGen: rank {Rank} of {Size}: {_operation} did not complete within {Timeout.TotalSeconds:0} s; "
                    + "another rank has probably died. Aborting the job; the last checkpoint is intact and training can resume from it, with any number of processes.");
                Console.Error.Flush();
                _mpi.Abort(_mpi.CommWorld, 3);
                Environment.Exit(3);
            }
        }
    }

    private static void Check(int code, string function)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{function} failed with MPI error code {code}.");
        }
    }

    /// <summary>Stops the watchdog and finalises MPI if this communicator initialised it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        lock (s_gate)
        {
            int finalized;
            if (s_initializedHere && _mpi.Finalized(&finalized) == 0 && finalized == 0)
            {
                _mpi.Finalize();
            }
        }
    }
}
