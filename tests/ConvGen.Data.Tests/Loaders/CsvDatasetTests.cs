using System;
using System.IO;
using System.Linq;

namespace ConvGen.Data.Tests.Loaders;

public class CsvDatasetTests
{
    private static string Write(TempDirectory dir, string text, string name = "data.csv")
    {
        string path = dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Features_and_the_last_column_as_target_by_default()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "size,rooms,price\n50,2,100.5\n\n80,3.5,1.5e2\n\"120\",4,300\n");

        var csv = CsvDataset.Load(path);

        Assert.Equal(3, csv.Dataset.Count);
        Assert.Equal(new[] { "size", "rooms" }, csv.FeatureNames);
        Assert.Equal(new[] { "price" }, csv.TargetNames);
        Assert.Equal(new[] { 50f, 2f, 80f, 3.5f, 120f, 4f }, csv.Dataset.Inputs.ToArray());
        Assert.Equal(new[] { 100.5f, 150f, 300f }, csv.Dataset.Targets.ToArray());
        Assert.Null(csv.Dataset.ClassNames);
        Assert.Equal(0, csv.Report.Count);
    }

    [Fact]
    public void Targets_by_name_or_index_and_ignored_columns()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "id;x;y1;y2\n1;0.5;10;20\n2;0.25;11;21\n");

        var byName = CsvDataset.Load(path, new CsvOptions { Separator = ';', TargetColumns = new[] { "y2", "y1" }, IgnoreColumns = new[] { "id" } });
        Assert.Equal(new[] { "x" }, byName.FeatureNames);
        Assert.Equal(new[] { 20f, 10f, 21f, 11f }, byName.Dataset.Targets.ToArray());

        var byIndex = CsvDataset.Load(path, new CsvOptions { Separator = ';', TargetColumnIndices = new[] { 0 } });
        Assert.Equal(new[] { "x", "y1", "y2" }, byIndex.FeatureNames);
        Assert.Equal(new[] { 1f, 2f }, byIndex.Dataset.Targets.ToArray());

        string noHeader = Write(dir, "1,2,3\n4,5,6\n", "plain.csv");
        var plain = CsvDataset.Load(noHeader, new CsvOptions { HasHeader = false });
        Assert.Equal(2, plain.Dataset.Count);
        Assert.Equal(new[] { "column 3" }, plain.TargetNames);
    }

    [Fact]
    public void A_missing_value_names_file_line_and_column()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b,target\n1,2,3\n4,,6\n");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal($"{path}, line 3, column 2 ('b'): missing value (the field is empty).", e.Message);
        Assert.Equal((3, 2), (e.Line!.Value, e.Column!.Value));
    }

    [Fact]
    public void A_non_numeric_value_names_file_line_and_column()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b,target\n1,2,3\n4,5,six\n");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal($"{path}, line 3, column 3 ('target'): 'six' is not a number.", e.Message);
        string nan = Write(dir, "a,b\nNaN,1\n", "nan.csv");
        Assert.Contains("'NaN' is not a finite", Assert.Throws<DataFileException>(() => CsvDataset.Load(nan)).Message);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_reported()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b,target\n1,2,3\n4,5\n");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal($"{path}, line 3: the row has 2 fields but the header has 3.", e.Message);
    }

    [Fact]
    public void Skip_policy_leaves_out_and_counts_bad_rows()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b,target\n1,2,3\n4,,6\n7,8,x\n9,10\n11,12,13\n");

        var csv = CsvDataset.Load(path, new CsvOptions { BadRows = BadInputPolicy.Skip });

        Assert.Equal(2, csv.Dataset.Count);
        Assert.Equal(new[] { 1f, 2f, 11f, 12f }, csv.Dataset.Inputs.ToArray());
        Assert.Equal(new[] { 3f, 13f }, csv.Dataset.Targets.ToArray());
        Assert.Equal(new int?[] { 3, 4, 5 }, csv.Report.Skipped.Select(s => s.Line).ToArray());
        Assert.Equal(new int?[] { 2, 3, null }, csv.Report.Skipped.Select(s => s.Column).ToArray());
    }

    [Fact]
    public void Whole_file_problems_are_reported()
    {
        using var dir = new TempDirectory();
        Assert.Contains("the file is empty", Assert.Throws<DataFileException>(() => CsvDataset.Load(Write(dir, "", "empty.csv"))).Message);
        Assert.Contains("no data rows", Assert.Throws<DataFileException>(() => CsvDataset.Load(Write(dir, "a,b\n", "header.csv"))).Message);
        var unknown = Assert.Throws<DataFileException>(() => CsvDataset.Load(Write(dir, "a,b\n1,2\n", "cols.csv"), new CsvOptions { TargetColumns = new[] { "c" } }));
        Assert.Contains("there is no column named 'c'; the header has 'a', 'b'", unknown.Message);
        var allBad = Assert.Throws<DataFileException>(() => CsvDataset.Load(Write(dir, "a,b\nx,1\n", "bad.csv"), new CsvOptions { BadRows = BadInputPolicy.Skip }));
        Assert.Contains("no usable rows: all 1 rows were skipped", allBad.Message);
        Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(dir.File("missing.csv")));
    }

    [Fact]
    public void A_megabyte_of_quote_characters_is_read_in_linear_time_and_clipped_in_the_message()
    {
        using var dir = new TempDirectory();
        // An even run of quotes is one quoted field of escaped quotes: 499,999 quote characters.
        string path = Write(dir, "a,b\n" + new string('"', 1_000_000) + ",1\n", "quotes.csv");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal($"{path}, line 2, column 1 ('a'): '{new string('"', 40)}…' (499999 characters) is not a number.", e.Message);
    }

    [Fact]
    public void Alternating_quotes_and_separators_finish_with_a_row_error()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n" + string.Concat(Enumerable.Repeat("\",", 100_000)) + "\n", "alternating.csv");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal(path, e.FilePath);
        Assert.Equal(2, e.Line);
        Assert.True(e.Message.Length < 300, e.Message);
    }

    [Fact]
    public void Control_characters_in_a_number_are_refused_not_dropped()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n1\0,2\n", "nul.csv");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));

        Assert.Equal($"{path}, line 2, column 1 ('a'): '1\\u0000' holds the control character U+0000 at character 2; a number cannot.", e.Message);
        string bell = Write(dir, "a,b\n1,2\u00073\n", "bell.csv");
        Assert.Contains("U+0007", Assert.Throws<DataFileException>(() => CsvDataset.Load(bell)).Message);
    }

    [Theory]
    [InlineData("Infinity", "is not a finite")]
    [InlineData("-Infinity", "is not a finite")]
    [InlineData("1e39", "is not a finite")]
    [InlineData("\"1,000\"", "'1,000' is not a number")]
    [InlineData("0x10", "'0x10' is not a number")]
    [InlineData("1 2", "'1 2' is not a number")]
    [InlineData("(5)", "'(5)' is not a number")]
    public void Numbers_are_parsed_strictly_in_the_invariant_culture(string field, string expected)
    {
        using var dir = new TempDirectory();
        string path = Write(dir, $"a,b\n{field},1\n");
        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Equal((2, 1), (e.Line!.Value, e.Column!.Value));
    }

    [Fact]
    public void Quoted_line_breaks_keep_the_line_numbers_of_later_rows()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n\"x\ny\",1\n\r\n 2 , \" -3.5e1 \" \r\n3,oops\n");

        var csv = CsvDataset.Load(path, new CsvOptions { BadRows = BadInputPolicy.Skip });

        Assert.Equal(new[] { 2f }, csv.Dataset.Inputs.ToArray());
        Assert.Equal(new[] { -35f }, csv.Dataset.Targets.ToArray());
        Assert.Equal(new int?[] { 2, 6 }, csv.Report.Skipped.Select(s => s.Line).ToArray());
        Assert.Contains("'x\\u000Ay' holds the control character U+000A", csv.Report.Skipped[0].Problem);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_naming_the_line()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n1,2\n" + new string('0', 5000) + ",1\n4,5\n");

        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path, new CsvOptions { MaxLineLength = 1000, BadRows = BadInputPolicy.Skip }));

        Assert.Equal(3, e.Line);
        Assert.Contains("the line is longer than 1000 characters (CsvOptions.MaxLineLength)", e.Message);
        Assert.Equal(3, CsvDataset.Load(path, new CsvOptions { MaxLineLength = 5002 }).Dataset.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { MaxLineLength = CsvOptions.MaxSupportedLineLength + 1 });
    }

    [Fact]
    public void An_unterminated_quote_is_stopped_by_the_line_limit_in_bounded_memory()
    {
        using var dir = new TempDirectory();
        // 20 MB in one quoted field: refused at the default limit, before it is buffered whole.
        string path = Write(dir, "a,b\n\"" + new string('1', 20_000_000) + "\n", "unterminated.csv");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, e.Line);
        Assert.True(e.Message.Length < 400, e.Message);
        Assert.True(allocated < 64L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_stream_loads_like_a_file_and_is_named_in_messages()
    {
        using var good = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("x,y\n1,2\n"));
        Assert.Equal(new[] { 2f }, CsvDataset.Load(good, "memory.csv").Dataset.Targets.ToArray());

        using var bad = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("x,y\n1,z\n"));
        var e = Assert.Throws<DataFileException>(() => CsvDataset.Load(bad, "memory.csv"));
        Assert.Equal("memory.csv, line 2, column 2 ('y'): 'z' is not a number.", e.Message);
    }

    [Fact]
    public void The_line_splitter_of_label_lists_is_linear_in_quote_characters()
    {
        var fields = new System.Collections.Generic.List<string>();
        // Quotes after other text are plain characters; each one used to copy the field so far.
        CsvFields.Split("x" + new string('"', 1_000_000), ',', fields);
        Assert.Equal(1_000_001, Assert.Single(fields).Length);

        CsvFields.Split(string.Concat(Enumerable.Repeat("a\",", 100_000)), ',', fields);
        Assert.Equal(100_001, fields.Count);

        CsvFields.Split(" \"a\"\"b\", c", ',', fields);
        Assert.Equal(new[] { "a\"b", " c" }, fields);
    }
}
