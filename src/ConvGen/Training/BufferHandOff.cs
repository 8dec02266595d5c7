using System.Collections.Generic;
using System.Threading;

namespace ConvGen.Training;

/// <summary>
/// The queue that passes batch buffers between the prefetcher's producer and the training loop.
/// A taker with nothing to take blocks at once. <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>
/// (a SemaphoreSlim) first spins and yields the processor dozens of times: the producer, which
/// waits for a free buffer once per step, spent that spin on a core that the training threads
/// need when they take every core (a perf profile of two-thread training showed sched_yield), and
/// it has a whole step to gather the next batch, so its wake-up latency never matters.
/// Nothing is allocated per item.
/// </summary>
internal sealed class BufferHandOff<T> where T : class?
{
    private readonly Queue<T> _items;

    public BufferHandOff(int capacity) => _items = new Queue<T>(capacity);

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Enqueue(item);
            System.Threading.Monitor.Pulse(_items);
        }
    }

    /// <summary>The first item, waiting for one; throws <see cref="System.OperationCanceledException"/> once <paramref name="token"/> is cancelled and <see cref="Wake"/> called.</summary>
    public T Take(CancellationToken token = default)
    {
        lock (_items)
        {
            while (_items.Count == 0)
            {
                token.ThrowIfCancellationRequested();
                System.Threading.Monitor.Wait(_items);
            }
            return _items.Dequeue();
        }
    }

    public bool TryTake(out T item)
    {
        lock (_items)
        {
            return _items.TryDequeue(out item!);
        }
    }

    /// <summary>Wakes every waiting taker, so that one whose token was cancelled sees it.</summary>
    public void Wake()
    {
        lock (_items)
        {
            System.Threading.Monitor.PulseAll(_items);
        }
    }
}
