using System;
using System.Threading;
using ConvGen.Parallel;

namespace ConvGen.Training.Tests;

public class WorkerPoolTests
{
    [Fact]
    public void A_worker_failure_is_rethrown_itself_and_the_lowest_thread_index_wins()
    {
        using var pool = new WorkerPool(4);
        for (int run = 0; run < 50; run++)
        {
            var e = Assert.Throws<InvalidOperationException>(() => pool.Run(thread =>
            {
                if (thread == 3)
                {
                    throw new InvalidOperationException("thread 3");
                }
                if (thread == 1)
                {
                    Thread.Sleep(run % 3); // thread 1 often fails last in time, yet is the one reported
                    throw new InvalidOperationException("thread 1");
                }
            }));
            Assert.Equal("thread 1", e.Message);
            Assert.Contains(nameof(A_worker_failure_is_rethrown_itself_and_the_lowest_thread_index_wins), e.StackTrace);
        }
        int sum = 0;
        pool.Run(thread => Interlocked.Add(ref sum, thread)); // the pool works after failures
        Assert.Equal(6, sum);
    }
}
