using System.IO;
using ConvGen.Serialization;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// safetensors: <see cref="SafeTensors.Read"/> and, on the same file, <see cref="SavedNetwork.Read"/>
/// with its layer table summary (what <c>convgen inspect</c> shows). Both document
/// <see cref="InvalidDataException"/> for a bad file.
/// </summary>
public static class SafeTensorsHarness
{
    public static void Run(byte[] data)
    {
        string path = InputFiles.Write("input.safetensors", data);
        try
        {
            SafeTensorFile file = SafeTensors.Read(path);
            foreach (SafeTensor tensor in file.Tensors)
            {
                _ = file.Get(tensor.Name);
            }
            SavedNetwork saved = SavedNetwork.Read(path);
            _ = saved.Summary();
        }
        catch (InvalidDataException)
        {
            // Documented refusal of a bad file.
        }
    }
}
