using System;

namespace ConvGen.Training.Tests;

/// <summary>
/// Steady-state training steps must not allocate (DESIGN.md §5): the optimizer allocates its
/// state once, on the first step, and a loss never allocates. Measured with the exact per-thread
/// allocation counter, so the check is deterministic (no timing).
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    public void Optimizer_steps_after_the_first_allocate_nothing(string kind)
    {
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(0.1f),
            "nesterov" => new Sgd(0.1f, 0.9f, nesterov: true),
            "adam" => new Adam(0.01f),
            "adamw" => new AdamW(0.01f),
            _ => new RmsProp(0.01f, momentum: 0.5f),
        };
        var parameters = new float[1000];
        var gradients = new float[1000];
        gradients.AsSpan().Fill(0.5f);
        ParameterRange[] ranges = { new(0, 600, false), new(600, 100, true), new(800, 200, false) };
        optimizer.Step(parameters, gradients, ranges); // allocates the state

        Assert.Equal(0, AllocatedBytes(() => optimizer.Step(parameters, gradients, ranges)));
    }

    [Theory]
    [InlineData("categorical_crossentropy")]
    [InlineData("sparse_categorical_crossentropy")]
    [InlineData("binary_crossentropy")]
    [InlineData("mse")]
    [InlineData("mae")]
    public void Loss_computation_allocates_nothing(string name)
    {
        Loss loss = Losses.For(name);
        var predictions = new float[32 * 10];
        var targets = new float[32 * loss.TargetLength(10)];
        var gradient = new float[32 * 10];
        Assert.Equal(0, AllocatedBytes(() => loss.Compute(predictions, targets, gradient, 32, 10, 1f / 32)));
    }

    /// <summary>
    /// Bytes allocated by 20 calls of <paramref name="action"/> after warm-up calls, the least of
    /// three rounds: an allocation per call shows in every round (20 calls of it at least), while
    /// a one-off allocation by the runtime on this thread (a class initialiser, a tiering step;
    /// seen once in a full Debug run) shows in one round only.
    /// </summary>
    private static long AllocatedBytes(Action action)
    {
        action();
        action();
        GC.GetAllocatedBytesForCurrentThread(); // its first call in a process allocates
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                action();
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
