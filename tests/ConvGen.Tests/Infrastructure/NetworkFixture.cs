using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Base of the per-test-class fixtures: compiles all of the class's networks in one in-memory
/// compilation when the class starts, and unloads them when it ends.
/// </summary>
public abstract class NetworkFixture : IDisposable
{
    private readonly Dictionary<string, ForwardCase> _cases;

    protected NetworkFixture(string assemblyName, IEnumerable<ForwardCase> cases, bool forceScalarFallback = false, bool forceVector256 = false)
    {
        var list = ForwardCase.Unique(cases);
        _cases = list.ToDictionary(c => c.Name);
        Compiled = InMemoryNetworkCompiler.Compile(assemblyName, ForwardCase.SourceFile(list), forceScalarFallback, forceVector256);
    }

    internal CompiledNetworks Compiled { get; }

    public int CaseCount => _cases.Count;

    public ForwardCase Case(string name) => _cases[name];

    public INetwork Create(string name) => Compiled.Create(name);

    public void Dispose()
    {
        Compiled.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The generated code must compile as cleanly as hand-written code: no errors, no generator
    /// diagnostics for these valid networks, no warnings (documentation warnings included).
    /// </summary>
    public void AssertCompiledCleanly()
    {
        static string List(IReadOnlyList<string> items) => string.Join(Environment.NewLine, items.Take(20));
        Assert.True(Compiled.Errors.Count == 0, $"compilation errors:{Environment.NewLine}{List(Compiled.Errors)}");
        Assert.True(Compiled.GeneratorReports.Count == 0, $"generator diagnostics:{Environment.NewLine}{List(Compiled.GeneratorReports)}");
        Assert.True(Compiled.GeneratedCodeWarnings.Count == 0, $"warnings in generated code:{Environment.NewLine}{List(Compiled.GeneratedCodeWarnings)}");
        Assert.True(Compiled.OtherWarnings.Count == 0, $"warnings in the test declarations:{Environment.NewLine}{List(Compiled.OtherWarnings)}");
        Assert.Equal(CaseCount, Compiled.GeneratedFileCount);
    }
}
