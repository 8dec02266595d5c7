using System;

namespace ConvGen.Onnx.Protobuf;

/// <summary>
/// Malformed protobuf input. The message names the field being decoded (e.g.
/// <c>ModelProto.graph/GraphProto.node[3]/NodeProto.attribute</c>) and the byte offset in the
/// file, so a truncated or corrupted model can be located with a hex dump.
/// </summary>
public sealed class ProtobufFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ProtobufFormatException(string message, long offset) : base($"{message} (at byte offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the whole input where the problem was found.</summary>
    public long Offset { get; }
}
