using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Data;

/// <summary>What a loader does with a file or row it cannot use.</summary>
public enum BadInputPolicy
{
    /// <summary>Stop with a <see cref="DataFileException"/> naming the file and the problem (default).</summary>
    Throw,

    /// <summary>Leave the file or row out, record it in the loader's <see cref="BadInputReport"/> and go on.</summary>
    Skip,
}

/// <summary>One file or row a loader left out under <see cref="BadInputPolicy.Skip"/>.</summary>
/// <param name="Path">The file (or folder).</param>
/// <param name="Problem">What was wrong.</param>
/// <param name="Line">1-based line, for text files.</param>
/// <param name="Column">1-based column, for text files.</param>
public sealed record SkippedInput(string Path, string Problem, int? Line = null, int? Column = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Path + (Line is { } l ? $", line {l}" : "") + (Column is { } c ? $", column {c}" : "") + ": " + Problem;
}

/// <summary>What a loader skipped, so skipping is never silent.</summary>
public sealed class BadInputReport
{
    private readonly List<SkippedInput> _skipped = new();
    private readonly object _gate = new();

    /// <summary>Everything skipped, in the order found.</summary>
    public IReadOnlyList<SkippedInput> Skipped
    {
        get
        {
            lock (_gate)
            {
                return _skipped.ToArray();
            }
        }
    }

    /// <summary>Number of skipped files or rows.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _skipped.Count;
            }
        }
    }

    /// <summary>Records one skipped input (thread-safe).</summary>
    public void Add(SkippedInput skipped)
    {
        lock (_gate)
        {
            _skipped.Add(skipped);
        }
    }

    /// <summary>Applies <paramref name="policy"/>: throws <paramref name="problem"/> or records it.</summary>
    public void Handle(BadInputPolicy policy, DataFileException problem)
    {
        if (policy == BadInputPolicy.Throw)
        {
            throw problem;
        }
        Add(problem.ToSkipped());
    }

    /// <summary>"no bad input", or the count and the first few problems.</summary>
    public override string ToString()
    {
        var skipped = Skipped;
        if (skipped.Count == 0)
        {
            return "no bad input";
        }
        var first = skipped.Take(5).Select(s => "  " + s);
        return $"{skipped.Count} skipped:\n" + string.Join("\n", first) + (skipped.Count > 5 ? $"\n  ... and {skipped.Count - 5} more" : "");
    }
}
