using System;
using ConvGen.Data;

namespace ConvGen.Fuzz.Harnesses;

/// <summary>
/// CSV: <see cref="CsvDataset.Load(System.IO.Stream, string, CsvOptions?)"/> on a memory stream. The first input byte picks the options (header or not,
/// throw or skip bad rows, ',' or ';' separator, default or first-column target), the rest is the
/// file. Documented refusal: <see cref="DataFileException"/>.
/// </summary>
public static class CsvHarness
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }
        byte choice = data[0];
        var options = new CsvOptions
        {
            HasHeader = (choice & 1) == 0,
            BadRows = (choice & 2) == 0 ? BadInputPolicy.Throw : BadInputPolicy.Skip,
            Separator = (choice & 4) == 0 ? ',' : ';',
            TargetColumnIndices = (choice & 8) == 0 ? null : [0],
        };
        try
        {
            _ = CsvDataset.Load(new System.IO.MemoryStream(data, 1, data.Length - 1, writable: false), "input.csv", options);
        }
        catch (DataFileException)
        {
        }
    }
}
