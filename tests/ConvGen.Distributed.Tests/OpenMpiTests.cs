using System;
using System.IO;

namespace ConvGen.Distributed.Tests;

/// <summary>
/// The same MPI layer over Open MPI, whose ABI differs from MPICH's (handles are addresses of
/// exported objects, requests are pointers): the library is chosen from the launcher's environment.
/// </summary>
public sealed class OpenMpiTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("convgen-ompi-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name) => Path.Combine(_directory, name);

    [RequiresOpenMpiFact]
    public void All_reduce_blocking_and_in_flight_and_broadcast_match_reference_sums()
    {
        var run = MpiRun.OpenMpiRanks(2, "allreduce", Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("rank 0 of 2 (libmpi.so.40 (Open MPI))", run.Output);
        Assert.Contains("rank 1 of 2 (libmpi.so.40 (Open MPI))", run.Output);
    }

    [RequiresOpenMpiFact]
    public void Two_processes_with_bucketed_sums_end_with_the_weights_of_one_process_with_two_threads()
    {
        var distributed = MpiRun.OpenMpiRanks(2, $"train --batch 32 --threads 1 --epochs 2 --bucket 64 --out \"{File("two.safetensors")}\"", Limit);
        Assert.True(distributed.ExitCode == 0, distributed.Output);
        var single = MpiRun.Alone($"train --local --batch 64 --threads 2 --epochs 2 --out \"{File("one.safetensors")}\"", Limit);
        Assert.True(single.ExitCode == 0, single.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(File("one.safetensors")), System.IO.File.ReadAllBytes(File("two.safetensors")));
    }

    [RequiresOpenMpiFact]
    public void A_rank_that_stops_answering_ends_the_job_by_time_out()
    {
        // The job must end through the 5 s collective time-out; 90 s is only the harness's backstop.
        var hung = MpiRun.OpenMpiRanks(2, $"train --batch 32 --threads 1 --epochs 4 --hang-at-epoch 2 --timeout 5 --out \"{File("never.safetensors")}\"", TimeSpan.FromSeconds(90));
        Assert.NotEqual(0, hung.ExitCode);
        Assert.NotEqual(MpiRun.KilledAtLimit, hung.ExitCode);
        Assert.Contains("did not complete within 5 s", hung.Output);
        Assert.False(System.IO.File.Exists(File("never.safetensors")));
    }
}
