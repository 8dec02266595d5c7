using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Imaging;

namespace ConvGen.Data;

/// <summary>Finds an image folder's files, labels and class names (from class folders or a labels CSV).</summary>
internal static class ImageFolderDiscovery
{
    private static readonly char[] LabelSeparators = { ' ', ';', '|' };

    public static (string[] Files, int[][] Labels, string[] ClassNames, int Ignored) FromClassFolders(string directory, ImageFolderOptions options, BadInputReport report)
    {
        var walk = new FolderWalk(directory, options.BadFiles, report);
        var folders = walk.ClassFolders();
        if (folders.Count == 0)
        {
            int loose = System.IO.Directory.GetFiles(directory).Count(ImageDecoder.HasImageExtension);
            throw new DataFileException(directory,
                "no class folders: put the images in one sub-folder per class (e.g. " + Path.Combine(directory, "cat", "1.jpg") + ")"
                + (loose > 0 ? $"; the folder holds {(loose == 1 ? "1 image" : $"{loose} images")} directly, which do not say their class" : "")
                + ", or list the images and their labels in a CSV (ImageFolderOptions.LabelsCsv).");
        }
        var byName = folders.ToDictionary(f => f.Name, StringComparer.Ordinal);
        string[] classNames;
        if (options.ClassNames is { } wanted)
        {
            foreach (string name in wanted)
            {
                if (!byName.ContainsKey(name))
                {
                    throw new DataFileException(directory, $"class '{name}' has no folder; the class folders are {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.");
                }
            }
            classNames = wanted.ToArray();
        }
        else
        {
            classNames = folders.Select(f => f.Name).ToArray();
        }
        var files = new List<string>();
        var labels = new List<int[]>();
        int ignored = 0;
        for (int c = 0; c < classNames.Length; c++)
        {
            var folder = byName[classNames[c]];
            int skippedBefore = report.Count;
            var (images, others) = walk.Files(folder);
            ignored += others;
            if (images.Count == 0)
            {
                if (report.Count == skippedBefore)
                {
                    report.Handle(options.BadFiles, new DataFileException(folder.Path,
                        $"class folder '{classNames[c]}' holds no images ({string.Join(", ", ImageDecoder.Extensions)})"
                        + (others > 0 ? $"; its {others} files have other extensions" : "") + "."));
                }
                continue;
            }
            var label = new[] { c };
            foreach (string image in images)
            {
                files.Add(image);
                labels.Add(label);
            }
        }
        return (files.ToArray(), labels.ToArray(), classNames, ignored);
    }

    public static (string[] Files, int[][] Labels, string[] ClassNames, int Ignored) FromCsv(string directory, ImageFolderOptions options, BadInputReport report)
    {
        string csv = Path.IsPathRooted(options.LabelsCsv!) ? options.LabelsCsv! : Path.Combine(directory, options.LabelsCsv!);
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"No labels CSV at '{csv}'.", csv);
        }
        var rows = new List<(int Line, string File, string[] Labels, int LabelColumn)>();
        var fields = new List<string>();
        int fileColumn = -1, labelColumn = -1, columns = 0, lineNumber = 0;
        foreach (string line in File.ReadLines(csv))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            CsvFields.Split(line, ',', fields);
            if (fileColumn < 0)
            {
                var header = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
                fileColumn = header.FindIndex(h => h is "file" or "filename" or "path");
                labelColumn = header.FindIndex(h => h is "labels" or "label");
                columns = fields.Count;
                if (fileColumn < 0 || labelColumn < 0)
                {
                    throw new DataFileException(csv, $"the header must name a 'file' and a 'labels' column; it has {string.Join(", ", fields.Select(f => $"'{f}'"))}.", lineNumber);
                }
                continue;
            }
            if (fields.Count != columns)
            {
                report.Handle(options.BadFiles, new DataFileException(csv, $"the row has {fields.Count} fields but the header has {columns}.", lineNumber));
                continue;
            }
            string file = fields[fileColumn].Trim();
            string[] labels = fields[labelColumn].Split(LabelSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (file.Length == 0)
            {
                report.Handle(options.BadFiles, new DataFileException(csv, "missing value: the file name is empty.", lineNumber, fileColumn + 1, "file"));
                continue;
            }
            if (labels.Length == 0 && options.LabelMode != LabelMode.MultiLabel)
            {
                report.Handle(options.BadFiles, new DataFileException(csv, $"missing value: '{file}' has no label.", lineNumber, labelColumn + 1, "labels"));
                continue;
            }
            if (labels.Length > 1 && options.LabelMode != LabelMode.MultiLabel)
            {
                report.Handle(options.BadFiles, new DataFileException(csv,
                    $"'{file}' has {labels.Length} labels ({string.Join(" ", labels)}) but label mode {options.LabelMode} takes one per image; use LabelMode.MultiLabel.", lineNumber, labelColumn + 1, "labels"));
                continue;
            }
            rows.Add((lineNumber, file, labels, labelColumn));
        }
        if (fileColumn < 0)
        {
            throw new DataFileException(csv, "the file is empty: expected a header 'file,labels' and one row per image.");
        }
        string[] classNames = options.ClassNames?.ToArray()
            ?? rows.SelectMany(r => r.Labels).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var files = new List<string>();
        var labelIndices = new List<int[]>();
        foreach (var row in rows)
        {
            string path = Path.Combine(directory, row.File);
            if (!File.Exists(path))
            {
                report.Handle(options.BadFiles, new DataFileException(csv, $"'{row.File}' does not exist in {directory}.", row.Line, fileColumn + 1, "file"));
                continue;
            }
            string? unknown = row.Labels.FirstOrDefault(l => !index.ContainsKey(l));
            if (unknown is not null)
            {
                report.Handle(options.BadFiles, new DataFileException(csv, $"label '{unknown}' is not one of the classes {string.Join(", ", classNames)}.", row.Line, row.LabelColumn + 1, "labels"));
                continue;
            }
            files.Add(path);
            labelIndices.Add(row.Labels.Select(l => index[l]).Distinct().Order().ToArray());
        }
        return (files.ToArray(), labelIndices.ToArray(), classNames, 0);
    }
}
