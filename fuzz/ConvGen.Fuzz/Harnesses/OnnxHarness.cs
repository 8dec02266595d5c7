using ConvGen.Onnx.Import;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// ONNX: <see cref="OnnxImporter.Import(System.ReadOnlySpan{byte}, string)"/> (the protobuf decoder,
/// then the importer), then both renderings of its result, as <c>convgen import</c> does.
/// Documented refusals: <see cref="ProtobufFormatException"/> for malformed protobuf and
/// <see cref="OnnxImportException"/> for a model ConvGen cannot express. The importer wraps an
/// unexpected failure (an exception of its own code) as an "internal importer error" issue with that
/// exception inside: such a refusal is a finding too.
/// </summary>
public static class OnnxHarness
{
    public static void Run(byte[] data)
    {
        ImportedNetwork network;
        try
        {
            network = OnnxImporter.Import(data, "fuzz.onnx");
        }
        catch (ProtobufFormatException)
        {
            return;
        }
        catch (OnnxImportException e) when (e.InnerException is null)
        {
            return;
        }
        _ = DeclarationWriter.Render(network, "Fuzz", "ImportedNetwork");
        _ = TextFormWriter.Render(network);
    }
}
