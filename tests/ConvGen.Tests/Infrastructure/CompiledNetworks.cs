using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// The outcome of one in-memory compilation: its diagnostics and, when it succeeded, the
/// networks it defines, loaded into a collectible context that is unloaded on dispose.
/// </summary>
internal sealed class CompiledNetworks : IDisposable
{
    public const string Namespace = "ConvGen.Tests.InMemory";

    private readonly byte[]? _image;
    private readonly object _gate = new();
    private NetworkLoadContext? _context;
    private Assembly? _assembly;

    public CompiledNetworks(
        string assemblyName,
        byte[]? image,
        int generatedFileCount,
        int forcedScalarFallbacks,
        IReadOnlyList<string> errors,
        IReadOnlyList<string> generatorReports,
        IReadOnlyList<string> generatedCodeWarnings,
        IReadOnlyList<string> otherWarnings)
    {
        AssemblyName = assemblyName;
        _image = image;
        GeneratedFileCount = generatedFileCount;
        ForcedScalarFallbacks = forcedScalarFallbacks;
        Errors = errors;
        GeneratorReports = generatorReports;
        GeneratedCodeWarnings = generatedCodeWarnings;
        OtherWarnings = otherWarnings;
    }

    public string AssemblyName { get; }

    /// <summary>Number of <c>.g.cs</c> files the generator produced (one per network).</summary>
    public int GeneratedFileCount { get; }

    /// <summary>How many vector-capability guards were rewritten to take the scalar path (0 unless requested).</summary>
    public int ForcedScalarFallbacks { get; }

    /// <summary>Compiler and generator errors, formatted with file, line and the offending source line.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Warnings and errors the generator itself reported (CGxxxx): a valid network must produce none.</summary>
    public IReadOnlyList<string> GeneratorReports { get; }

    /// <summary>Compiler warnings located in generated files.</summary>
    public IReadOnlyList<string> GeneratedCodeWarnings { get; }

    /// <summary>Compiler warnings in the test's own declarations (a sign of a broken test source).</summary>
    public IReadOnlyList<string> OtherWarnings { get; }

    /// <summary>Instantiates the generated network class <paramref name="className"/>.</summary>
    public INetwork Create(string className)
    {
        var assembly = Load();
        var type = assembly.GetType($"{Namespace}.{className}")
            ?? throw new InvalidOperationException($"{AssemblyName} has no network class {className}.");
        return (INetwork)Activator.CreateInstance(type)!;
    }

    private Assembly Load()
    {
        lock (_gate)
        {
            if (_assembly is not null)
            {
                return _assembly;
            }
            if (_image is null)
            {
                throw new InvalidOperationException(
                    $"{AssemblyName} did not compile:{Environment.NewLine}{string.Join(Environment.NewLine, Errors)}");
            }
            _context = new NetworkLoadContext(AssemblyName);
            _assembly = _context.LoadFromStream(new MemoryStream(_image));
            return _assembly;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _assembly = null;
            _context?.Unload();
            _context = null;
        }
    }

    /// <summary>
    /// Loads only the compiled test assembly. Every other reference (ConvGen above all) falls
    /// back to the default context, so <see cref="INetwork"/> is the same type on both sides.
    /// </summary>
    private sealed class NetworkLoadContext : AssemblyLoadContext
    {
        public NetworkLoadContext(string name) : base(name, isCollectible: true) { }

        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
