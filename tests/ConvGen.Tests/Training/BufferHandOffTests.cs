using System;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>The prefetcher's buffer queue: first in, first out; a taker waits for an item, and leaves when cancelled.</summary>
public sealed class BufferHandOffTests
{
    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        var queue = new BufferHandOff<string>(2);
        queue.Add("a");
        queue.Add("b");
        queue.Add("c"); // past the first capacity
        Assert.Equal("a", queue.Take());
        Assert.True(queue.TryTake(out var second));
        Assert.Equal("b", second);
        Assert.Equal("c", queue.Take());
        Assert.False(queue.TryTake(out _));
    }

    [Fact]
    public async Task A_waiting_taker_gets_the_item_added_later()
    {
        var queue = new BufferHandOff<string>(2);
        var taker = Task.Run(() => queue.Take());
        await Task.Delay(20);
        queue.Add("late");
        Assert.Equal("late", await taker.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_waiting_taker_leaves_when_its_token_is_cancelled_and_it_is_woken()
    {
        var queue = new BufferHandOff<string>(2);
        using var cancel = new CancellationTokenSource();
        var taker = Task.Run(() => queue.Take(cancel.Token));
        await Task.Delay(20);
        cancel.Cancel();
        queue.Wake();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => taker.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
