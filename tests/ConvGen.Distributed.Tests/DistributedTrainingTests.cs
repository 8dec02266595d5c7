using System;
using System.IO;
using ConvGen.Serialization;

namespace ConvGen.Distributed.Tests;

/// <summary>Data-parallel training under <c>mpirun -np 2</c> against one process doing the same work.</summary>
public sealed class DistributedTrainingTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-mpi-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name) => Path.Combine(_directory, name);

    [RequiresMpiFact]
    public void All_reduce_and_broadcast_match_reference_sums_from_1_to_3_million_values()
    {
        var run = MpiRun.Ranks(2, "allreduce", Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("rank 0 of 2", run.Output);
        Assert.Contains("rank 1 of 2", run.Output);
    }

    [RequiresMpiFact]
    public void Two_processes_with_batch_32_end_with_the_weights_of_one_process_with_batch_64()
    {
        // Ranks start from different seeds' weights; the start-up broadcast must erase that.
        var distributed = MpiRun.Ranks(2, $"train --batch 32 --threads 1 --epochs 3 --out \"{File("two.safetensors")}\"", Limit);
        Assert.True(distributed.ExitCode == 0, distributed.Output);
        var single = MpiRun.Alone($"train --local --batch 64 --threads 2 --epochs 3 --out \"{File("one.safetensors")}\"", Limit);
        Assert.True(single.ExitCode == 0, single.Output);

        // One process makes the batch's gradient in a fixed tree over chunks of 8 samples; two
        // processes each make one half of that tree and the all-reduce adds the two halves: the
        // same floats in the same order, so the same bytes.
        Assert.Equal(System.IO.File.ReadAllBytes(File("one.safetensors")), System.IO.File.ReadAllBytes(File("two.safetensors")));

        // Whatever the thread count of either side.
        var oneThread = MpiRun.Alone($"train --local --batch 64 --threads 1 --epochs 3 --out \"{File("one-thread.safetensors")}\"", Limit);
        Assert.True(oneThread.ExitCode == 0, oneThread.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("one-thread.safetensors")), System.IO.File.ReadAllBytes(File("two.safetensors")));
        var twoThreadsEach = MpiRun.Ranks(2, $"train --batch 32 --threads 2 --epochs 3 --out \"{File("two-by-two.safetensors")}\"", Limit);
        Assert.True(twoThreadsEach.ExitCode == 0, twoThreadsEach.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("one.safetensors")), System.IO.File.ReadAllBytes(File("two-by-two.safetensors")));
    }

    [RequiresMpiFact]
    public void Gradients_summed_in_small_buckets_during_backward_give_the_weights_of_one_process()
    {
        // 64-value buckets split this network's 2,544 parameters into its 3 layers with weights, so
        // the dense layers' sums start while the convolution's gradient is still being computed.
        var bucketed = MpiRun.Ranks(2, $"train --batch 32 --threads 1 --epochs 2 --bucket 64 --out \"{File("bucketed.safetensors")}\"", Limit);
        Assert.True(bucketed.ExitCode == 0, bucketed.Output);
        var single = MpiRun.Alone($"train --local --batch 64 --threads 2 --epochs 2 --out \"{File("one.safetensors")}\"", Limit);
        Assert.True(single.ExitCode == 0, single.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("one.safetensors")), System.IO.File.ReadAllBytes(File("bucketed.safetensors")));
    }

    [RequiresMpiFact]
    public void BatchNorm_running_statistics_stay_identical_on_every_replica()
    {
        // Each rank normalises its own share of the batch, so its running statistics drift
        // apart from the other's unless they are averaged after every step.
        var run = MpiRun.Ranks(2, $"train --net batchnorm --batch 32 --threads 1 --epochs 2 --every-rank --out \"{File("bn.safetensors")}\"", Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        var rank0 = SafeTensors.Read(File("bn.safetensors.rank0"));
        var rank1 = SafeTensors.Read(File("bn.safetensors.rank1"));
        foreach (var tensor in rank0.Tensors)
        {
            Assert.Equal(tensor.Data, rank1.Get(tensor.Name).Data);
        }
        // The running statistics did move away from their initial 0 / 1.
        Assert.Contains(rank0.Get("batch_normalization.running_mean").Data, v => v != 0);
        Assert.Contains(rank0.Get("batch_normalization.running_var").Data, v => v != 1);
    }

    [RequiresMpiFact]
    public void SyncBatchNorm_makes_two_processes_train_what_one_process_trains_on_the_whole_batch()
    {
        // One process with two threads normalises over the whole batch of 64 (its threads share
        // their statistics); two processes of 32 do so only with SyncBatchNorm.
        var single = MpiRun.Alone($"train --local --net batchnorm --batch 64 --threads 2 --epochs 2 --out \"{File("one.safetensors")}\"", Limit);
        Assert.True(single.ExitCode == 0, single.Output);
        var synced = MpiRun.Ranks(2, $"train --net batchnorm --batch 32 --threads 1 --epochs 2 --sync-bn --out \"{File("synced.safetensors")}\"", Limit);
        Assert.True(synced.ExitCode == 0, synced.Output);
        var separate = MpiRun.Ranks(2, $"train --net batchnorm --batch 32 --threads 1 --epochs 2 --out \"{File("separate.safetensors")}\"", Limit);
        Assert.True(separate.ExitCode == 0, separate.Output);

        var one = SafeTensors.Read(File("one.safetensors"));
        float LargestDifference(string file)
        {
            float largest = 0;
            foreach (var tensor in SafeTensors.Read(file).Tensors)
            {
                var other = one.Get(tensor.Name).Data;
                for (int i = 0; i < tensor.Data.Length; i++) largest = Math.Max(largest, Math.Abs(tensor.Data[i] - other[i]));
            }
            return largest;
        }
        // Synchronised: the statistics and every gradient are the same chunk tree's sums, so the same bytes.
        Assert.Equal(System.IO.File.ReadAllBytes(File("one.safetensors")), System.IO.File.ReadAllBytes(File("synced.safetensors")));
        float without = LargestDifference(File("separate.safetensors"));
        Assert.True(without > 1e-4f, $"each process on its own share should train other weights; they differ by only {without}");
    }

    [RequiresMpiFact]
    public void A_rank_that_stops_answering_ends_the_job_by_time_out_and_the_checkpoint_resumes_on_one_process()
    {
        string checkpoint = File("checkpoint.safetensors");
        // The job must end through the 5 s collective time-out; 90 s is only the harness's backstop.
        var hung = MpiRun.Ranks(2, $"train --batch 32 --threads 1 --epochs 4 --hang-at-epoch 2 --timeout 5 --checkpoint \"{checkpoint}\" --out \"{File("never.safetensors")}\"", TimeSpan.FromSeconds(90));
        Assert.NotEqual(0, hung.ExitCode);
        Assert.NotEqual(MpiRun.KilledAtLimit, hung.ExitCode); // ended by the watchdog, not by the backstop
        Assert.Contains("did not complete within 5 s", hung.Output);
        Assert.False(System.IO.File.Exists(File("never.safetensors")));

        var resumed = MpiRun.Alone($"train --local --batch 64 --threads 2 --epochs 4 --resume \"{checkpoint}\" --out \"{File("resumed.safetensors")}\"", Limit);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("resumed after epoch 2 with 1 process(es)", resumed.Output);
        var uninterrupted = MpiRun.Alone($"train --local --batch 64 --threads 2 --epochs 4 --out \"{File("uninterrupted.safetensors")}\"", Limit);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("uninterrupted.safetensors")), System.IO.File.ReadAllBytes(File("resumed.safetensors")));
    }

    [RequiresMpiFact]
    public void A_rank_that_dies_ends_the_job_and_leaves_an_intact_checkpoint()
    {
        string checkpoint = File("checkpoint.safetensors");
        var crashed = MpiRun.Ranks(2, $"train --batch 32 --threads 1 --epochs 4 --die-at-epoch 2 --timeout 10 --checkpoint \"{checkpoint}\" --out \"{File("never.safetensors")}\"", Limit);
        Assert.NotEqual(0, crashed.ExitCode);
        Assert.NotEqual(MpiRun.KilledAtLimit, crashed.ExitCode);
        // Rank 1 dies at the end of epoch 2, perhaps while rank 0 is writing that epoch's
        // checkpoint: the file is then epoch 1's or epoch 2's, never a torn one (written atomically).
        var file = SafeTensors.Read(checkpoint);
        Assert.Contains(file.Metadata["epochs_completed"], new[] { "1", "2" });
        var info = ConvGen.Training.TrainingCheckpoint.Load(checkpoint, DistributedTestNet.Create(0), new ConvGen.Training.Adam(0.01f));
        Assert.InRange(info.EpochsCompleted, 1, 2);
    }
}
