using System;
using System.Threading;
using ConvGen.Parallel;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// The spinning barrier and phase signal under the thread counts the runtime uses: as many
/// threads as cores (waiters spin) and more (waiters sleep at once).
/// </summary>
public class SpinBarrierTests
{
    public static TheoryData<int> ThreadCounts => new() { 2, 3, Environment.ProcessorCount + 2 };

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void No_thread_leaves_a_phase_before_every_thread_has_arrived(int threads)
    {
        var barrier = new SpinBarrier(threads, threads);
        const int phases = 400;
        var arrived = new int[phases];
        var early = 0;
        RunThreads(threads, t =>
        {
            for (int phase = 0; phase < phases; phase++)
            {
                if ((phase + t) % 7 == 0)
                {
                    Thread.Sleep(1); // some arrive late, past the spin, so that the others sleep
                }
                Interlocked.Increment(ref arrived[phase]);
                barrier.SignalAndWait();
                if (Volatile.Read(ref arrived[phase]) != threads)
                {
                    Interlocked.Increment(ref early);
                }
            }
        });
        Assert.Equal(0, early);
        Assert.All(arrived, count => Assert.Equal(threads, count));
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void An_abort_releases_the_waiters_and_every_later_arrival(int threads)
    {
        var barrier = new SpinBarrier(threads, threads);
        int cancelled = 0;
        RunThreads(threads, t =>
        {
            if (t == 0)
            {
                Thread.Sleep(20); // the others are asleep by now
                barrier.Abort();
                return;
            }
            try
            {
                barrier.SignalAndWait();
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
            }
        });
        Assert.Equal(threads - 1, cancelled);
        Assert.True(barrier.Aborted);
        Assert.Throws<OperationCanceledException>(barrier.SignalAndWait);
    }

    [Fact]
    public void Fewer_participants_meet_after_a_change_between_phases()
    {
        var barrier = new SpinBarrier(3, 3);
        int passed = 0;
        RunThreads(3, _ =>
        {
            barrier.SignalAndWait();
            Interlocked.Increment(ref passed);
        });
        barrier.SetParticipants(2);
        RunThreads(2, _ =>
        {
            barrier.SignalAndWait();
            Interlocked.Increment(ref passed);
        });
        Assert.Equal(5, passed);
    }

    [Fact]
    public void A_pool_runs_every_part_once_per_run_whether_its_workers_spin_or_sleep()
    {
        using var pool = new WorkerPool(3);
        var counts = new int[3];
        for (int run = 0; run < 300; run++)
        {
            if (run % 50 == 0)
            {
                Thread.Sleep(5); // the workers' spin runs out: the next run wakes sleepers
            }
            pool.Run(part => Interlocked.Increment(ref counts[part]));
            Assert.Equal([run + 1, run + 1, run + 1], counts);
        }
    }

    private static void RunThreads(int count, Action<int> body)
    {
        var threads = new Thread[count];
        var failures = new Exception?[count];
        for (int t = 0; t < count; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    body(index);
                }
                catch (Exception e)
                {
                    failures[index] = e;
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a thread did not finish: the barrier lost a wake-up");
        }
        Assert.All(failures, Assert.Null);
    }
}
