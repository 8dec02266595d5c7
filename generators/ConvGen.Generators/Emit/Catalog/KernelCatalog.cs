using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Emit.Catalog;

/// <summary>
/// The kernel bodies one network's file needs, each described once by a <see cref="KernelKey"/>
/// and written once however many layers (or uses within a layer) require it. Per-layer entry
/// points (the methods the network class calls, with that layer's parameter offsets, bias and
/// activation) call <see cref="Require"/> and use the name it returns; <see cref="WriteAll"/>
/// then writes the bodies in first-use order, so a layer's forward and backward bodies stand
/// together, each under a comment naming the entry points that use it.
/// </summary>
internal sealed class KernelCatalog
{
    private readonly Dictionary<KernelKey, Entry> _entries = new();
    private readonly List<Entry> _order = new();

    /// <summary>
    /// The method (or type) name of the body described by <paramref name="key"/>, recording
    /// <paramref name="user"/> (an entry point's name, e.g. <c>Layer2Conv2D</c>) as a user. The
    /// first user names a kernel: <c>{user}{key.Suffix}</c>.
    /// </summary>
    public string Require(KernelKey key, string user)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(key, key.NameFor(user));
            _entries.Add(key, entry);
            _order.Add(entry);
        }
        if (!entry.Users.Contains(user))
        {
            entry.Users.Add(user);
        }
        return entry.Name;
    }

    /// <summary>The name of the epilogue type for a bias (or a folded BatchNorm's <paramref name="scale"/> and shift, which include it) and fused activation (and the contracts it implements); a <paramref name="residual"/> one also adds a residual Add's other summand (<see cref="ResidualEpilogueContract"/>).</summary>
    public string RequireEpilogue(bool bias, Model.ActivationKind activation, double alpha, string user, bool scale = false, bool residual = false)
    {
        Require(EpilogueContract.Instance, user);
        if (residual)
        {
            Require(new ResidualEpilogueContract(scale), user);
        }
        else if (scale)
        {
            Require(ScaledEpilogueContract.Instance, user);
        }
        return Require(new Epilogue(bias && !scale, activation, activation == Model.ActivationKind.LeakyRelu ? alpha : 0, scale, residual), user);
    }

    /// <summary>Bodies in first-use order; then the helper types they take as type arguments.</summary>
    public void WriteAll(IndentedTextWriter w)
    {
        // Epilogues implement a Vector128 member only in files whose bodies have a Vector128 tail.
        bool vector128 = _order.Exists(e => e.Key.UsesVector128);
        foreach (var entry in _order.Where(e => !e.Key.IsHelperType).Concat(_order.Where(e => e.Key.IsHelperType)))
        {
            w.WriteLine();
            if (!entry.Key.IsHelperType)
            {
                w.WriteLine($"// {entry.Key.Describe()}; {(entry.Users.Count == 1 ? "used by" : "shared by")} {string.Join(", ", entry.Users)}");
            }
            if (entry.Key.IsHelperType)
            {
                entry.Key.WriteHelper(w, entry.Name, vector128);
            }
            else
            {
                // Optimised at the first call: a large network calls each body once per pass, too
                // few times for tiering to promote its loops past on-stack replacement (ResNet-18
                // inference ran 1.6x slower in those versions).
                w.WriteLine("[MethodImpl(AggressiveOptimization)]");
                entry.Key.Write(w, entry.Name);
            }
        }
    }

    private sealed class Entry
    {
        public Entry(KernelKey key, string name)
        {
            Key = key;
            Name = name;
        }

        public KernelKey Key { get; }

        public string Name { get; }

        public List<string> Users { get; } = new();
    }
}

/// <summary>
/// A kernel body, described by value: two keys that are equal write the same code, so the
/// catalogue writes one. Subclasses are records of exactly what the body depends on.
/// </summary>
internal abstract record KernelKey
{
    /// <summary>The body's name when <paramref name="user"/> is the first to require it.</summary>
    public abstract string NameFor(string user);

    /// <summary>One line for the comment above the body (what it computes, on which shapes).</summary>
    public abstract string Describe();

    /// <summary>Writes the body (a method or a type) under <paramref name="name"/>.</summary>
    public abstract void Write(IndentedTextWriter w, string name);

    /// <summary>Types (epilogues) are written after the methods, without a users comment.</summary>
    public virtual bool IsHelperType => false;

    /// <summary>Whether the body has a Vector128 block, so the epilogue types it takes need a Vector128 member.</summary>
    public virtual bool UsesVector128 => false;

    /// <summary>Writes a helper type; <paramref name="vector128"/> when some body of the file needs its Vector128 members.</summary>
    public virtual void WriteHelper(IndentedTextWriter w, string name, bool vector128) => Write(w, name);
}
