using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Imaging;
using ConvGen.Training.Metrics;
using SkiaSharp;

namespace ConvGen.Plots;

/// <summary>
/// A confusion matrix as a PNG heat map: rows are the actual classes, columns the predicted ones;
/// each cell shows its count and is shaded by its share of the row (the recall of the diagonal),
/// white for none to dark blue for all, so a good classifier shows a dark diagonal.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/> as PNG.</summary>
    /// <param name="matrix">The counts, e.g. <c>Evaluate(..., confusionMatrix: true).Confusion</c>.</param>
    /// <param name="classNames">Row and column labels; null uses the matrix's names, or the class numbers.</param>
    /// <param name="path">Where the PNG goes (written atomically).</param>
    /// <param name="cellSize">Side of one cell in pixels (at least 24).</param>
    public static void Save(ConfusionMatrix matrix, IReadOnlyList<string>? classNames, string path, int cellSize = 56)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var names = classNames ?? matrix.ClassNames ?? Enumerable.Range(0, matrix.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != matrix.Classes)
        {
            throw new ArgumentException($"{names.Count} class names for a {matrix.Classes}-class confusion matrix; give one name per class.", nameof(classNames));
        }
        var layout = new ConfusionMatrixLayout(matrix.Classes, cellSize);
        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            string? fontFile = FontFiles.FindSans();
            using var typeface = (fontFile is not null ? SKTypeface.FromFile(fontFile) : null) ?? SKTypeface.Default;
            using var font = new SKFont(typeface, Math.Clamp(cellSize / 4.5f, 9, 16));
            using var small = new SKFont(typeface, Math.Clamp(cellSize / 6f, 8, 12));
            using var title = new SKFont(typeface, 14);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var light = new SKPaint { Color = SKColors.White, IsAntialias = true };
            using var grid = new SKPaint { Color = new SKColor(0xC8, 0xC8, 0xC8), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };

            canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"Confusion matrix: {matrix.Total:N0} samples, accuracy {matrix.Accuracy:0.0000}"),
                ConfusionMatrixLayout.Margin, 24, SKTextAlign.Left, title, ink);
            canvas.DrawText("predicted", layout.GridLeft + layout.GridSide / 2f, layout.GridTop - 28, SKTextAlign.Center, font, ink);
            for (int actual = 0; actual < matrix.Classes; actual++)
            {
                long rowTotal = matrix.Support(actual);
                var row = layout.Cell(actual, 0);
                canvas.DrawText(Fit(names[actual], ConfusionMatrixLayout.LabelWidth - 8, font), layout.GridLeft - 6, row.MidY + font.Size / 3, SKTextAlign.Right, font, ink);
                for (int predicted = 0; predicted < matrix.Classes; predicted++)
                {
                    long count = matrix.Count(actual, predicted);
                    double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                    var cell = layout.Cell(actual, predicted);
                    using var fill = new SKPaint { Color = Shade(share) };
                    canvas.DrawRect(cell, fill);
                    canvas.DrawRect(cell, grid);
                    var text = share > 0.5 ? light : ink;
                    canvas.DrawText(count.ToString("N0", CultureInfo.InvariantCulture), cell.MidX, cell.MidY, SKTextAlign.Center, font, text);
                    if (rowTotal > 0)
                    {
                        canvas.DrawText(share.ToString("0%", CultureInfo.InvariantCulture), cell.MidX, cell.MidY + small.Size + 2, SKTextAlign.Center, small, text);
                    }
                }
            }
            for (int predicted = 0; predicted < matrix.Classes; predicted++)
            {
                var column = layout.Cell(0, predicted);
                canvas.DrawText(Fit(names[predicted], cellSize - 2, small), column.MidX, layout.GridTop - 8, SKTextAlign.Center, small, ink);
            }
            canvas.Save();
            canvas.RotateDegrees(-90, 14, layout.GridTop + layout.GridSide / 2f);
            canvas.DrawText("actual", 14, layout.GridTop + layout.GridSide / 2f + 4, SKTextAlign.Center, font, ink);
            canvas.Restore();
        }
        ImageWriter.WritePng(path, bitmap);
    }

    /// <summary>White for 0, dark blue (matplotlib's "Blues" end, #08306B) for 1.</summary>
    internal static SKColor Shade(double share)
    {
        double t = Math.Clamp(share, 0, 1);
        byte Mix(byte to) => (byte)Math.Round(255 + (to - 255) * t);
        return new SKColor(Mix(0x08), Mix(0x30), Mix(0x6B));
    }

    private static string Fit(string text, float width, SKFont font)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }
        for (int length = text.Length - 1; length > 0; length--)
        {
            string shortened = text[..length] + "…";
            if (font.MeasureText(shortened) <= width)
            {
                return shortened;
            }
        }
        return "…";
    }
}

/// <summary>Where the cells of a confusion-matrix picture are.</summary>
internal sealed record ConfusionMatrixLayout(int Classes, int CellSize)
{
    public const int Margin = 16;
    public const int LabelWidth = 110;
    private const int TitleHeight = 36;
    private const int ColumnLabelHeight = 40;

    public int GridLeft => Margin + 20 + LabelWidth;

    public int GridTop => TitleHeight + ColumnLabelHeight;

    public int GridSide => Classes * CellSize;

    // Wide enough for the title line even with two or three classes.
    public int Width => Math.Max(GridLeft + GridSide + Margin, 400);

    public int Height => GridTop + GridSide + Margin;

    public SKRect Cell(int actual, int predicted) =>
        SKRect.Create(GridLeft + predicted * CellSize, GridTop + actual * CellSize, CellSize, CellSize);
}
