using System;
using System.Buffers.Binary;
using System.IO;
using ConvGen.Data;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// IDX (plain or gzip, detected by the reader from the magic bytes). The first input byte picks the
/// entry point, so one corpus covers all three:
/// 0: <see cref="IdxReader.ReadImages"/>; 1: <see cref="IdxReader.ReadLabels"/>;
/// 2: <see cref="IdxDataset.Load"/>, the next two bytes (little-endian) being the length of the
/// images file, the rest the labels file.
/// Documented refusals: <see cref="InvalidDataException"/> from the reader, plus
/// <see cref="DataFileException"/> from the dataset (count mismatch, label out of range).
/// </summary>
public static class IdxHarness
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }
        ReadOnlySpan<byte> rest = data.AsSpan(1);
        try
        {
            switch (data[0] % 3)
            {
                case 0:
                    _ = IdxReader.ReadImages(InputFiles.Write("images.idx", rest));
                    break;
                case 1:
                    _ = IdxReader.ReadLabels(InputFiles.Write("labels.idx", rest));
                    break;
                default:
                    if (rest.Length < 2)
                    {
                        return;
                    }
                    int imagesLength = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(rest), rest.Length - 2);
                    string images = InputFiles.Write("images.idx", rest.Slice(2, imagesLength));
                    string labels = InputFiles.Write("labels.idx", rest[(2 + imagesLength)..]);
                    _ = IdxDataset.Load(images, labels);
                    break;
            }
        }
        catch (InvalidDataException)
        {
        }
        catch (DataFileException) when (data[0] % 3 == 2)
        {
        }
    }
}
