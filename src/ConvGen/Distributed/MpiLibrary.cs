using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace ConvGen.Distributed;

/// <summary>
/// Finds the MPI shared library at run time and binds the handful of functions ConvGen calls.
/// MPICH and Open MPI differ in their ABI: MPICH's handles (communicator, datatype, operation)
/// are 32-bit integer constants, Open MPI's are addresses of exported global objects. Both are
/// passed as a native-sized integer here: on x86-64 and ARM64 a 32-bit argument travels in a
/// 64-bit register, so one set of function pointers serves both.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    /// <summary>Library names tried in order (override with CONVGEN_MPI_LIBRARY).</summary>
    public static readonly string[] Candidates =
    {
        "libmpi.so.12",       // MPICH (Debian: mpich)
        "libmpich.so.12",
        "libmpi.so.40",       // Open MPI 4 and 5 (Debian: openmpi-bin)
        "libmpi.so",
        "libmpich.so",
    };

    public delegate* unmanaged<int*, byte***, int> Init;
    public delegate* unmanaged<int*, int> Initialized;
    public delegate* unmanaged<int*, int> Finalized;
    public delegate* unmanaged<int> Finalize;
    public delegate* unmanaged<nint, int*, int> CommRank;
    public delegate* unmanaged<nint, int*, int> CommSize;
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int> Iallreduce;
    public delegate* unmanaged<nint*, int*, nint, int> Test;
    public delegate* unmanaged<nint*, nint, int> Wait;
    public delegate* unmanaged<nint, int> Barrier;
    public delegate* unmanaged<nint, int, int> Abort;

    public string Path { get; private init; } = "";
    public bool IsOpenMpi { get; private init; }
    public nint CommWorld { get; private init; }
    public nint Float { get; private init; }
    public nint Double { get; private init; }
    public nint Long { get; private init; }
    public nint Sum { get; private init; }
    public nint InPlace { get; private init; }
    public nint StatusIgnore { get; private init; }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint DlOpen(string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern nint DlError();

    public static MpiLibrary Load()
    {
        var tried = new List<string>();
        string? overridePath = Environment.GetEnvironmentVariable("CONVGEN_MPI_LIBRARY");
        foreach (string name in overridePath is null ? CandidatesForLauncher() : new[] { overridePath })
        {
            // RTLD_GLOBAL: Open MPI loads plug-ins that resolve symbols against libmpi itself.
            nint handle = OperatingSystem.IsLinux() ? DlOpen(name, RtldNow | RtldGlobal) : 0;
            if (handle == 0 && !NativeLibrary.TryLoad(name, out handle))
            {
                string? reason = OperatingSystem.IsLinux() ? Marshal.PtrToStringAnsi(DlError()) : null;
                tried.Add(reason is null ? name : $"{name} ({reason})");
                continue;
            }
            return Bind(handle, name);
        }
        throw new DllNotFoundException(
            "ConvGen could not find an MPI library. Tried: " + string.Join("; ", tried) + ". "
            + "Install MPICH (sudo apt-get install mpich) or Open MPI (sudo apt-get install openmpi-bin), "
            + "or set CONVGEN_MPI_LIBRARY to the path of libmpi.so, and launch with mpirun -np N.");
    }

    /// <summary>
    /// Where both MPICH and Open MPI are installed, the library must match the launcher that
    /// started the process (each implementation's processes only find each other through their
    /// own launcher): Open MPI's mpirun sets <c>OMPI_COMM_WORLD_SIZE</c>, so its library comes first then.
    /// </summary>
    private static IEnumerable<string> CandidatesForLauncher()
    {
        bool openMpiLauncher = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;
        return openMpiLauncher
            ? Candidates.Where(c => c.StartsWith("libmpi.so", StringComparison.Ordinal) && c != "libmpi.so.12").Concat(Candidates)
            : Candidates;
    }

    private static MpiLibrary Bind(nint handle, string name)
    {
        nint Symbol(string symbol) => NativeLibrary.TryGetExport(handle, symbol, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{name} has no symbol '{symbol}'; is it an MPI library?");
        bool openMpi = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _);
        var library = new MpiLibrary
        {
            Path = name,
            IsOpenMpi = openMpi,
            // MPICH's mpi.h constants; Open MPI's exported objects.
            CommWorld = openMpi ? Symbol("ompi_mpi_comm_world") : 0x44000000,
            Float = openMpi ? Symbol("ompi_mpi_float") : 0x4c00040a,
            Double = openMpi ? Symbol("ompi_mpi_double") : 0x4c00080b,
            Long = openMpi ? Symbol("ompi_mpi_long") : 0x4c000807,
            Sum = openMpi ? Symbol("ompi_mpi_op_sum") : 0x58000003,
            InPlace = openMpi ? 1 : -1,
            StatusIgnore = openMpi ? 0 : 1,
        };
        library.Init = (delegate* unmanaged<int*, byte***, int>)Symbol("MPI_Init");
        library.Initialized = (delegate* unmanaged<int*, int>)Symbol("MPI_Initialized");
        library.Finalized = (delegate* unmanaged<int*, int>)Symbol("MPI_Finalized");
        library.Finalize = (delegate* unmanaged<int>)Symbol("MPI_Finalize");
        library.CommRank = (delegate* unmanaged<nint, int*, int>)Symbol("MPI_Comm_rank");
        library.CommSize = (delegate* unmanaged<nint, int*, int>)Symbol("MPI_Comm_size");
        library.Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Symbol("MPI_Allreduce");
        library.Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Symbol("MPI_Bcast");
        library.Iallreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int>)Symbol("MPI_Iallreduce");
        library.Test = (delegate* unmanaged<nint*, int*, nint, int>)Symbol("MPI_Test");
        library.Wait = (delegate* unmanaged<nint*, nint, int>)Symbol("MPI_Wait");
        library.Barrier = (delegate* unmanaged<nint, int>)Symbol("MPI_Barrier");
        library.Abort = (delegate* unmanaged<nint, int, int>)Symbol("MPI_Abort");
        return library;
    }
}
