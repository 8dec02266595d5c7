using System;
using System.Diagnostics;
using System.Threading;

namespace ConvGen.Parallel;

/// <summary>
/// A phase number that threads wait to see move on: they spin for a short while, then sleep.
/// </summary>
/// <remarks>
/// The threads of one forward pass or training step meet dozens of times (a barrier between
/// the layers of a split picture, three pool runs per training step). A thread that went to
/// sleep takes tens of microseconds to wake up, more on a virtual machine: a perf profile of
/// ResNet-18 with one picture split over two threads (50 barriers in 11 ms) on the project
/// machine counted about a sixth of the two threads' time off the CPU. A spinning waiter sees
/// the new phase within a fraction of a microsecond. The spin is bounded so that an idle pool does not hold a
/// core, and it is skipped when there are more threads than cores: there spinning only delays
/// the thread being waited for.
/// </remarks>
internal sealed class PhaseSignal
{
    /// <summary>How long a waiter spins before it sleeps: longer than a layer's imbalance, far shorter than an idle pool's gap.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private readonly object _gate = new();
    private readonly bool _spins;
    private int _phase;
    private int _sleepers;
    private int _aborted;

    /// <summary>A signal for <paramref name="threads"/> threads (they spin only if each can have a core).</summary>
    public PhaseSignal(int threads) => _spins = threads <= Environment.ProcessorCount;

    /// <summary>The current phase.</summary>
    public int Phase => Volatile.Read(ref _phase);

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool Aborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Moves to the next phase and wakes the waiters.</summary>
    public void Advance()
    {
        // The increment is a full fence: a waiter that registered as a sleeper before it is seen
        // below, and one that registers after it sees the new phase before it sleeps.
        Interlocked.Increment(ref _phase);
        WakeSleepers();
    }

    /// <summary>Makes every present and future <see cref="WaitPast"/> throw <see cref="OperationCanceledException"/>.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _aborted, 1);
        WakeSleepers();
    }

    /// <summary>Returns once the phase is no longer <paramref name="phase"/>; throws if aborted first.</summary>
    public void WaitPast(int phase)
    {
        if (Volatile.Read(ref _phase) == phase && _spins)
        {
            Spin(phase);
        }
        if (Volatile.Read(ref _phase) == phase)
        {
            Sleep(phase);
        }
    }

    private void Spin(int phase)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        for (int i = 1; Volatile.Read(ref _phase) == phase; i++)
        {
            ThrowIfAborted();
            Thread.SpinWait(8);
            if ((i & 31) == 0 && Stopwatch.GetTimestamp() > deadline)
            {
                return;
            }
        }
    }

    private void Sleep(int phase)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (Volatile.Read(ref _phase) == phase)
                {
                    ThrowIfAborted();
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    private void WakeSleepers()
    {
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void ThrowIfAborted()
    {
        if (Volatile.Read(ref _aborted) != 0)
        {
            throw new OperationCanceledException("Another thread of the pass failed.");
        }
    }
}
