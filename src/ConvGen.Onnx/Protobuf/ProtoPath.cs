using System.Collections.Generic;
using System.Text;

namespace ConvGen.Onnx.Protobuf;

/// <summary>
/// The chain of fields from the file to the message being decoded, shared by all the readers of
/// one decode. Readers only record (field, index) pairs when they enter a sub-message; the text
/// (<c>model.onnx/graph/node[3]/attribute[0]</c>) is built only when an error needs it. Building
/// it eagerly at every level made a deeply nested file cost memory quadratic in its depth.
/// </summary>
internal sealed class ProtoPath(string source)
{
    /// <summary>Deeper paths keep their first and last levels; the middle is elided in messages.</summary>
    private const int ShownLevels = 6;

    private readonly List<(string Field, int Index)> _segments = new();

    /// <summary>The file (or stream) name every path starts with.</summary>
    public string Source { get; } = source;

    /// <summary>
    /// Records that the reader at <paramref name="depth"/> entered a sub-message. Readers are
    /// strictly nested, so any deeper segments belong to a sibling that has already finished.
    /// </summary>
    public void Enter(int depth, string field, int index)
    {
        if (_segments.Count > depth)
        {
            _segments.RemoveRange(depth, _segments.Count - depth);
        }
        _segments.Add((field, index));
    }

    /// <summary>The path of the message at <paramref name="depth"/>, for an error message.</summary>
    public string Render(int depth)
    {
        var text = new StringBuilder(Source);
        for (int i = 0; i < depth && i < _segments.Count; i++)
        {
            if (depth > 2 * ShownLevels && i == ShownLevels)
            {
                text.Append($"/…({depth - 2 * ShownLevels} levels)…");
                i = depth - ShownLevels - 1;
                continue;
            }
            (string field, int index) = _segments[i];
            text.Append('/').Append(field);
            if (index >= 0)
            {
                text.Append('[').Append(index).Append(']');
            }
        }
        return text.ToString();
    }
}
