using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConvGen.Parallel;

/// <summary>
/// A small persistent pool: <c>threads - 1</c> dedicated workers plus the calling thread run
/// <c>work(t)</c> for t = 0..threads-1 and <see cref="Run"/> returns when all are done. Per-step
/// cost is two phase signals, no allocation; <see cref="System.Threading.Tasks.Parallel"/>
/// per layer or step costs more than these small networks' layers take. Idle workers and the
/// waiting caller spin briefly before they sleep (<see cref="PhaseSignal"/>): a training step
/// runs the pool three times, and a sleeping worker's wake-up would cost more than a small
/// network's step takes to split.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly PhaseSignal _start;
    private readonly PhaseSignal _done;
    private int _running;
    private Action<int>? _work;
    // One slot per thread index: the failure rethrown is that of the lowest index, whichever
    // thread failed first in time, so the same bad input always gives the same exception.
    private readonly Exception?[] _failures;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> - 1 background workers.</summary>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        _workers = new Thread[threads - 1];
        _start = new PhaseSignal(threads);
        _done = new PhaseSignal(threads);
        _failures = new Exception?[threads];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i + 1;
            _workers[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"ConvGen worker {index}" };
            _workers[i].Start();
        }
    }

    /// <summary>Number of parallel parts, including the calling thread.</summary>
    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="work"/> once per thread index and waits. If any failed, rethrows the
    /// failure of the lowest thread index itself (not wrapped, with its original stack trace),
    /// preferring a failure that is not an <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Run(Action<int> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _work = work;
        Array.Clear(_failures);
        int done = _done.Phase;
        Volatile.Write(ref _running, _workers.Length);
        // The phase's increment publishes the work and the cleared failures to the workers.
        _start.Advance();
        try
        {
            work(0);
        }
        catch (Exception e)
        {
            _failures[0] = e;
        }
        if (_workers.Length > 0)
        {
            _done.WaitPast(done);
        }
        _work = null;
        // A part released from a barrier because another part failed (OperationCanceledException,
        // see BatchParts.Abort) reports a consequence, not the cause: the cause is rethrown.
        Exception? rethrown = Array.Find(_failures, f => f is not null and not OperationCanceledException)
            ?? Array.Find(_failures, f => f is not null);
        if (rethrown is not null)
        {
            ExceptionDispatchInfo.Capture(rethrown).Throw();
        }
    }

    private void Loop(int index)
    {
        int seen = 0;
        while (true)
        {
            _start.WaitPast(seen);
            seen++;
            if (_disposed)
            {
                return;
            }
            try
            {
                _work!(index);
            }
            catch (Exception e)
            {
                _failures[index] = e; // published to Run by the decrement below
            }
            finally
            {
                if (Interlocked.Decrement(ref _running) == 0)
                {
                    _done.Advance();
                }
            }
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _start.Advance();
        foreach (var worker in _workers)
        {
            worker.Join();
        }
    }

    /// <summary>Splits <paramref name="count"/> items into <paramref name="parts"/> contiguous ranges whose sizes differ by at most one.</summary>
    public static (int Start, int Count) Partition(int count, int parts, int part)
    {
        int baseSize = count / parts;
        int extra = count % parts;
        int start = part * baseSize + Math.Min(part, extra);
        return (start, baseSize + (part < extra ? 1 : 0));
    }
}
