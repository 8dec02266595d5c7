using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConvGen.Parallel;

/// <summary>
/// A small persistent pool: <c>threads - 1</c> dedicated workers plus the calling thread run
/// <c>work(t)</c> for t = 0..threads-1 and <see cref="Run"/> returns when all are done. Per-step
/// cost is two signals per worker, no allocation; <see cref="System.Threading.Tasks.Parallel"/>
/// per layer or step costs more than these small networks' layers take.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
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
        _start = new SemaphoreSlim[threads - 1];
        _done = new CountdownEvent(1);
        _failures = new Exception?[threads];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i + 1;
            _start[i] = new SemaphoreSlim(0);
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
        _done.Reset(_workers.Length);
        foreach (var start in _start)
        {
            start.Release();
        }
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
            _done.Wait();
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
        var start = _start[index - 1];
        while (true)
        {
            start.Wait();
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
                _failures[index] = e; // published to Run by the countdown's signal
            }
            finally
            {
                _done.Signal();
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
        foreach (var start in _start)
        {
            start.Release();
        }
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        foreach (var start in _start)
        {
            start.Dispose();
        }
        _done.Dispose();
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
