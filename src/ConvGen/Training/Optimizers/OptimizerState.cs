using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Training;

/// <summary>
/// The named per-parameter buffers of one optimizer: allocated lazily on the first step (the
/// optimizer does not know the network size before), never reallocated per step, and checked
/// on load so that a checkpoint from another network or optimizer is refused.
/// </summary>
internal sealed class OptimizerState
{
    private static readonly IReadOnlyDictionary<string, float[]> Empty = new Dictionary<string, float[]>();

    private readonly string _owner;
    private readonly string[] _names;
    private float[][]? _buffers;
    private IReadOnlyDictionary<string, float[]> _view = Empty;

    public OptimizerState(string owner, params string[] names)
    {
        _owner = owner;
        _names = names;
    }

    public IReadOnlyDictionary<string, float[]> View => _view;

    /// <summary>
    /// Throws when the state was sized for another buffer. Called before the step is counted, so
    /// a refused step leaves <see cref="Optimizer.StepCount"/> unchanged.
    /// </summary>
    public void CheckLength(int length)
    {
        if (_buffers is { Length: > 0 } && _buffers[0].Length != length)
        {
            throw new ArgumentException(
                $"{_owner}.Step: the optimizer state holds {_buffers[0].Length} floats per tensor (from earlier steps or LoadState) but parameters holds {length}; use one optimizer per network.",
                "parameters");
        }
    }

    /// <summary>Returns buffer <paramref name="index"/>, allocating all of them at <paramref name="length"/> on first use.</summary>
    public float[] Get(int index, int length)
    {
        if (_buffers is null)
        {
            Allocate(length);
        }
        else
        {
            CheckLength(length);
        }
        return _buffers![index];
    }

    // Kept out of Get: a lambda capturing Get's parameter would make the compiler allocate its
    // closure on every call, i.e. on every training step, even though it runs only once.
    private void Allocate(int length)
    {
        _buffers = new float[_names.Length][];
        for (int i = 0; i < _names.Length; i++)
        {
            _buffers[i] = new float[length];
        }
        _view = _names.Zip(_buffers).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    public void Load(IReadOnlyDictionary<string, float[]> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stepCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, $"{_owner}.LoadState: stepCount must be 0 or more.");
        }
        if (state.Count == 0)
        {
            if (stepCount > 0 && _names.Length > 0)
            {
                throw new ArgumentException(
                    $"{_owner}.LoadState: stepCount is {stepCount} but no state tensors were given; expected {Describe(_names)}.",
                    nameof(state));
            }
            _buffers = null;
            _view = Empty;
            return;
        }
        string[] unexpected = state.Keys.Where(name => !_names.Contains(name)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (unexpected.Length > 0)
        {
            throw new ArgumentException(
                $"{_owner}.LoadState: unexpected state tensor(s) {Describe(unexpected)}; {_owner} keeps {(_names.Length == 0 ? "no state" : Describe(_names))}.",
                nameof(state));
        }
        string[] missing = _names.Where(name => !state.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"{_owner}.LoadState: missing state tensor(s) {Describe(missing)}.", nameof(state));
        }
        int length = -1;
        foreach (string name in _names)
        {
            float[] buffer = state[name] ?? throw new ArgumentException($"{_owner}.LoadState: state tensor '{name}' is null.", nameof(state));
            if (length >= 0 && buffer.Length != length)
            {
                throw new ArgumentException(
                    $"{_owner}.LoadState: state tensor '{name}' holds {buffer.Length} floats but '{_names[0]}' holds {length}; all must have the length of the parameters.",
                    nameof(state));
            }
            length = buffer.Length;
        }
        // Copy: the caller's arrays (often just read from a checkpoint) must not alias live state.
        _buffers = _names.Select(name => (float[])state[name].Clone()).ToArray();
        _view = _names.Zip(_buffers).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
