using System;

namespace ConvGen.Training.Tests;

public class ScheduleTests
{
    [Fact]
    public void ConstantRate_keeps_the_initial_rate()
    {
        var schedule = new ConstantRate();
        Assert.Equal(0.1f, schedule.Rate(0.1f, 0));
        Assert.Equal(0.1f, schedule.Rate(0.1f, 1000));
    }

    [Fact]
    public void StepDecay_multiplies_every_step_epochs()
    {
        var schedule = new StepDecay(stepEpochs: 2, factor: 0.5f);
        float[] expected = { 0.1f, 0.1f, 0.05f, 0.05f, 0.025f };
        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            Assert.Equal(expected[epoch], schedule.Rate(0.1f, epoch), 7);
        }
    }

    [Fact]
    public void ExponentialDecay_multiplies_every_epoch()
    {
        var schedule = new ExponentialDecay(0.9f);
        Assert.Equal(0.1f, schedule.Rate(0.1f, 0), 7);
        Assert.Equal(0.09f, schedule.Rate(0.1f, 1), 7);
        Assert.Equal(0.081f, schedule.Rate(0.1f, 2), 7);
        Assert.Equal(0.1 * Math.Pow(0.9f, 10), schedule.Rate(0.1f, 10), 7);
    }

    [Fact]
    public void CosineDecay_follows_half_a_cosine_to_the_minimum()
    {
        var schedule = new CosineDecay(totalEpochs: 10, minRate: 0.01f);
        Assert.Equal(0.1f, schedule.Rate(0.1f, 0), 7);
        Assert.Equal(0.055f, schedule.Rate(0.1f, 5), 7); // halfway: (0.1 + 0.01) / 2
        Assert.Equal(0.01 + 0.09 * 0.5 * (1 + Math.Cos(Math.PI * 0.9)), schedule.Rate(0.1f, 9), 7);
        Assert.Equal(0.01f, schedule.Rate(0.1f, 10), 7);
        Assert.Equal(0.01f, schedule.Rate(0.1f, 25), 7); // stays at the minimum afterwards
    }

    [Fact]
    public void CosineDecay_warms_up_linearly_first()
    {
        var schedule = new CosineDecay(totalEpochs: 10, minRate: 0f, warmupEpochs: 2);
        Assert.Equal(0.05f, schedule.Rate(0.1f, 0), 7);
        Assert.Equal(0.1f, schedule.Rate(0.1f, 1), 7);
        Assert.Equal(0.1f, schedule.Rate(0.1f, 2), 7); // decay starts at the top
        Assert.Equal(0.05f, schedule.Rate(0.1f, 6), 7); // (6 - 2) / 8 = halfway
        Assert.Equal(0f, schedule.Rate(0.1f, 10), 7);
    }

    [Fact]
    public void Schedules_validate_their_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0, 0.5f));
        var factor = Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(2, 1.5f));
        Assert.Contains("factor must be greater than 0 and at most 1", factor.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0));
        var warmup = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(5, warmupEpochs: 5));
        Assert.Contains("warmupEpochs must be from 0 to 4", warmup.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(5, minRate: -1f));
        var epoch = Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantRate().Rate(0.1f, -1));
        Assert.Contains("first epoch is 0", epoch.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantRate().Rate(float.NaN, 0));
    }

    [Fact]
    public void PlateauTracker_reduces_after_patience_epochs_without_improvement()
    {
        var tracker = new PlateauTracker(factor: 0.5f, patience: 2, minDelta: 0.01, minRate: 0.03f);
        float rate = 0.1f;
        rate = tracker.Update(rate, 1.0);   // first value is the best so far
        Assert.Equal(0.1f, rate);
        rate = tracker.Update(rate, 0.9);   // improves by 0.1
        Assert.Equal(0.1f, rate);
        rate = tracker.Update(rate, 0.895); // better, but by less than minDelta: wait 1
        Assert.Equal(0.1f, rate);
        Assert.Equal(1, tracker.Wait);
        rate = tracker.Update(rate, 0.95);  // wait 2 = patience: reduce
        Assert.Equal(0.05f, rate);
        Assert.Equal(0, tracker.Wait);
        Assert.Equal(0.9, tracker.Best);
        rate = tracker.Update(rate, 0.92);
        rate = tracker.Update(rate, 0.91);  // reduce again, but not below minRate
        Assert.Equal(0.03f, rate);
        rate = tracker.Update(rate, double.NaN);
        rate = tracker.Update(rate, 0.91);
        Assert.Equal(0.03f, rate);          // already at the floor
        rate = tracker.Update(rate, 0.5);   // an improvement resets the wait
        Assert.Equal(0, tracker.Wait);
        Assert.Equal(0.5, tracker.Best);
    }

    [Fact]
    public void PlateauTracker_can_monitor_a_metric_where_higher_is_better()
    {
        var tracker = new PlateauTracker(0.1f, patience: 1, minDelta: 0, minRate: 0f, higherIsBetter: true);
        Assert.Equal(1f, tracker.Update(1f, 0.80));
        Assert.Equal(1f, tracker.Update(1f, 0.85));
        Assert.Equal(0.1f, tracker.Update(1f, 0.85), 7); // equal is not better
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlateauTracker(1f, 1, 0, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlateauTracker(0.5f, -1, 0, 0f));
    }
}
