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
}
