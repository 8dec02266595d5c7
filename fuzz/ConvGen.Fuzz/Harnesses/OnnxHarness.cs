using System.IO;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Model;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// ONNX: the protobuf decoder (<see cref="OnnxModel.Parse"/>, which <see cref="OnnxModel.Load"/>
/// calls on the file's bytes), then the importer and both renderings of its result, as
/// <c>convgen import</c> does. Documented refusals: <see cref="ProtobufFormatException"/> for
/// malformed protobuf, <see cref="OnnxImportException"/> for a model ConvGen cannot express, and
/// <see cref="InvalidDataException"/> from <see cref="OnnxTensor"/>'s checks of a tensor's dims and
/// data (the message names the tensor; <c>convgen import</c> reports it as a bad file).
/// </summary>
public static class OnnxHarness
{
    public static void Run(byte[] data)
    {
        try
        {
            OnnxModel model = OnnxModel.Parse(data);
            ImportedNetwork network = OnnxImporter.Import(model, "fuzz.onnx");
            _ = DeclarationWriter.Render(network, "Fuzz", "ImportedNetwork");
            _ = TextFormWriter.Render(network);
        }
        catch (ProtobufFormatException)
        {
        }
        catch (OnnxImportException)
        {
        }
        catch (InvalidDataException)
        {
        }
    }
}
