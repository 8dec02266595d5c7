using System;
using System.Threading;

namespace ConvGen.Parallel;

/// <summary>
/// The barrier between the layers of a split pass and between BatchNorm's exchanges: a
/// <see cref="Barrier"/> whose waiters spin before they sleep (see <see cref="PhaseSignal"/>).
/// A part that fails calls <see cref="Abort"/>: the others leave their wait with
/// <see cref="OperationCanceledException"/> instead of waiting forever, and the barrier is discarded.
/// </summary>
internal sealed class SpinBarrier
{
    private readonly PhaseSignal _phase;
    private int _participants;
    private int _remaining;

    /// <summary>A barrier for <paramref name="participants"/> threads, of at most <paramref name="threads"/> (those that may spin).</summary>
    public SpinBarrier(int participants, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(participants);
        _phase = new PhaseSignal(threads);
        _participants = participants;
        _remaining = participants;
    }

    /// <summary>Threads that meet at each phase.</summary>
    public int Participants => _participants;

    /// <summary>Changes the number of participants; only while no thread is waiting (between steps).</summary>
    public void SetParticipants(int participants)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(participants);
        _participants = participants;
        Volatile.Write(ref _remaining, participants);
    }

    /// <summary>Waits until every participant has arrived.</summary>
    public void SignalAndWait()
    {
        int phase = _phase.Phase;
        if (_phase.Aborted)
        {
            throw new OperationCanceledException("Another thread of the pass failed.");
        }
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            // The last to arrive re-arms the count before it releases the others, so none can
            // arrive at the next phase and find a stale count.
            Volatile.Write(ref _remaining, _participants);
            _phase.Advance();
            return;
        }
        _phase.WaitPast(phase);
    }

    /// <summary>Releases every waiting and future caller with <see cref="OperationCanceledException"/>.</summary>
    public void Abort() => _phase.Abort();

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool Aborted => _phase.Aborted;
}
