using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen.Onnx.Model;

/// <summary>
/// <c>ModelProto</c>: an ONNX file. Only the fields ConvGen needs are kept; unknown fields are
/// skipped on read (protobuf's forward-compatibility rule) and therefore not written back.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>ONNX IR version (field 1); 8 is ONNX 1.10+, understood by every current runtime.</summary>
    public long IrVersion { get; set; } = 8;

    /// <summary>Operator sets the graph uses (field 8).</summary>
    public List<OnnxOpsetImport> OpsetImports { get; } = new();

    /// <summary>Field 2.</summary>
    public string ProducerName { get; set; } = "";

    /// <summary>Field 3.</summary>
    public string ProducerVersion { get; set; } = "";

    /// <summary>Field 4.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Field 5.</summary>
    public long ModelVersion { get; set; }

    /// <summary>Field 6.</summary>
    public string DocString { get; set; } = "";

    /// <summary>The computation (field 7).</summary>
    public OnnxGraph Graph { get; set; } = new();

    /// <summary>Version of the default ("" or "ai.onnx") operator set, or 0 when none is declared.</summary>
    public long DefaultOpsetVersion
    {
        get
        {
            foreach (OnnxOpsetImport import in OpsetImports)
            {
                if (import.Domain is "" or "ai.onnx")
                {
                    return import.Version;
                }
            }
            return 0;
        }
    }

    /// <summary>
    /// Deepest nesting of sub-graphs (a <c>GraphProto</c> in a node attribute <c>g</c>, as If and
    /// Loop use) that <see cref="Load"/> and <see cref="Parse(ReadOnlySpan{byte}, string)"/> accept.
    /// Real models nest a few levels; the bound keeps a hostile file from exhausting the stack.
    /// </summary>
    public const int MaxGraphNesting = 64;

    /// <summary>
    /// Reads an ONNX file. Malformed input of any kind raises a <see cref="Protobuf.ProtobufFormatException"/>
    /// whose message starts with the file name and names the field and byte offset; reading the
    /// file itself may raise <see cref="IOException"/>.
    /// </summary>
    public static OnnxModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OnnxDecoder.DecodeModel(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Decodes a serialized <c>ModelProto</c>; errors name it <c>ModelProto</c>.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes) => Parse(bytes, "ModelProto");

    /// <summary>
    /// Decodes a serialized <c>ModelProto</c>. Any malformed input raises only
    /// <see cref="Protobuf.ProtobufFormatException"/>, its message starting with <paramref name="sourceName"/>.
    /// Time and memory are linear in <c>bytes.Length</c>.
    /// </summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return OnnxDecoder.DecodeModel(bytes, sourceName);
    }

    /// <summary>Serializes this model as a <c>ModelProto</c>.</summary>
    public byte[] ToBytes() => OnnxEncoder.EncodeModel(this);

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToBytes());
}

/// <summary><c>OperatorSetIdProto</c>: domain (field 1) and version (field 2).</summary>
public sealed record OnnxOpsetImport(string Domain, long Version);
