using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;

namespace ConvGen.Data.Tests.Loaders;

/// <summary>Properties of the IDX and CSV loaders over random inputs (CsCheck; a failure prints its seed).</summary>
public class LoaderPropertyTests
{
    private static readonly Gen<float> FiniteFloat = Gen.Float.Where(float.IsFinite);

    [Fact]
    public void Random_numeric_tables_written_as_csv_with_random_quoting_read_back_exactly()
    {
        var tables =
            from columns in Gen.Int[2, 6]
            from rows in Gen.Int[1, 12]
            from values in FiniteFloat.Array[rows * columns]
            from quoted in Gen.Bool.Array[rows * columns]
            from padded in Gen.Bool.Array[rows * columns]
            from crlf in Gen.Bool
            select (columns, rows, values, quoted, padded, crlf);

        tables.Sample(t =>
        {
            var text = new StringBuilder();
            string newline = t.crlf ? "\r\n" : "\n";
            text.Append(string.Join(",", Enumerable.Range(0, t.columns).Select(c => $"\"c{c}\""))).Append(newline);
            for (int r = 0; r < t.rows; r++)
            {
                for (int c = 0; c < t.columns; c++)
                {
                    int i = r * t.columns + c;
                    string number = t.values[i].ToString(CultureInfo.InvariantCulture);
                    string field = t.quoted[i] ? $"\"{number}\"" : number;
                    text.Append(c > 0 ? "," : "").Append(t.padded[i] ? $" {field} " : field);
                }
                text.Append(newline);
            }
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));

            var data = CsvDataset.Load(stream, "table.csv").Dataset;

            Assert.Equal(t.rows, data.Count);
            for (int r = 0; r < t.rows; r++)
            {
                Assert.Equal(t.values.AsSpan(r * t.columns, t.columns - 1).ToArray(), data.Input(r).ToArray());
                Assert.Equal(t.values[r * t.columns + t.columns - 1], data.Target(r)[0]);
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Any_bytes_either_load_as_csv_or_fail_with_a_data_file_error()
    {
        // Bytes drawn mostly from CSV's own alphabet, so quotes, separators and numbers meet often.
        var alphabet = Encoding.ASCII.GetBytes("0123456789.,-+eE\"\n\r \t\0x");
        var bytes = Gen.OneOf(Gen.Int[0, alphabet.Length - 1].Select(i => alphabet[i]), Gen.Byte).Array[0, 200];
        bytes.Sample(content =>
        {
            using var stream = new MemoryStream(content);
            try
            {
                var csv = CsvDataset.Load(stream, "fuzz.csv", new CsvOptions { BadRows = BadInputPolicy.Skip });
                Assert.True(csv.Dataset.Count > 0);
                Assert.All(csv.Dataset.Inputs.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
            catch (DataFileException e)
            {
                Assert.Equal("fuzz.csv", e.FilePath);
            }
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Any_bytes_either_load_as_idx_or_fail_with_a_data_file_error()
    {
        // A valid header with random data half the time, so the reader gets past the magic number.
        var header = Gen.OneOf(
            Gen.Const(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2 }),
            Gen.Const(new byte[] { 0, 0, 8, 1, 0, 0, 0, 8 }),
            Gen.Const(Array.Empty<byte>()));
        var files = from start in header
                    from rest in Gen.Byte.Array[0, 40]
                    select start.Concat(rest).ToArray();
        files.Sample(content =>
        {
            foreach (bool images in new[] { true, false })
            {
                using var stream = new MemoryStream(content);
                try
                {
                    if (images)
                    {
                        IdxImages read = IdxReader.ReadImages(stream, "fuzz.idx");
                        Assert.Equal(read.Count * read.ImageLength, read.Pixels.Length);
                    }
                    else
                    {
                        Assert.Equal(content.Length - 8, IdxReader.ReadLabels(stream, "fuzz.idx").Length);
                    }
                }
                catch (DataFileException e)
                {
                    Assert.Equal("fuzz.idx", e.FilePath);
                }
            }
        }, iter: 2000, threads: 1);
    }
}
