using System.IO;
using ConvGen.Serialization;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// safetensors: <see cref="SafeTensors.Read(System.ReadOnlySpan{byte}, string)"/> on the bytes, every
/// tensor's data, and <see cref="SavedNetwork.Read(SafeTensorFile)"/> with its layer table summary (what
/// <c>convgen summary</c> shows). Both document <see cref="InvalidDataException"/> for a bad file.
/// </summary>
public static class SafeTensorsHarness
{
    public static void Run(byte[] data)
    {
        try
        {
            SafeTensorFile file = SafeTensors.Read(data, "input.safetensors");
            foreach (SafeTensor tensor in file.Tensors)
            {
                _ = file.Get(tensor.Name);
            }
            SavedNetwork saved = SavedNetwork.Read(file);
            _ = saved.Summary();
        }
        catch (InvalidDataException)
        {
            // Documented refusal of a bad file.
        }
    }
}
