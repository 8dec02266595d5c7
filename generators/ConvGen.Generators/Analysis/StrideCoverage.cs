using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Analysis;

/// <summary>
/// With valid padding the output is <c>floor((in - window) / stride) + 1</c>, so when the stride
/// does not divide <c>in - window</c> the last rows / columns are never read. The user should know
/// how many. Non-overlapping pooling (stride = window, the Keras default) that leaves out a
/// partial window on an odd-sized map is the textbook behaviour (the lecture's own network does
/// it), so that case is information (CG0105), not a warning (CG0104).
/// </summary>
internal static class StrideCoverage
{
    /// <param name="remainderIsExpected">The layer is a pool, for which stride = window (non-overlapping) is the textbook default.</param>
    public static DiagnosticInfo? Check(LayerContext context, Shape input, Window window, Shape output, Shape sameOutput, bool remainderIsExpected)
    {
        if (context.Layer.Padding != PaddingKind.Valid)
        {
            return null;
        }
        int droppedRows = Dropped(input.Height, window.KernelHeight, window.StrideHeight, window.DilationHeight, window.OutHeight);
        int droppedColumns = Dropped(input.Width, window.KernelWidth, window.StrideWidth, window.DilationWidth, window.OutWidth);
        if (droppedRows == 0 && droppedColumns == 0)
        {
            return null;
        }
        bool nonOverlappingPool = remainderIsExpected
            && window.StrideHeight == window.KernelHeight && window.StrideWidth == window.KernelWidth;
        var descriptor = nonOverlappingPool ? DiagnosticDescriptors.PoolingDropsRemainder : DiagnosticDescriptors.StrideSkipsInput;
        return DiagnosticInfo.Create(descriptor, context.Layer.Location,
                context.Index, context.Kind, context.Name, context.WindowText(window.StrideHeight, window.StrideWidth, withStride: true),
                DroppedText(droppedRows, droppedColumns), input.ToText(), context.SamePadding, sameOutput.ToText(), output.ToText())
            .WithProperty(DiagnosticProperties.SamePaddingFixes, "true");
    }

    /// <summary>Input cells after the end of the last window along one axis.</summary>
    private static int Dropped(int input, int kernel, int stride, int dilation, int output)
    {
        long covered = (long)(output - 1) * stride + (long)(kernel - 1) * dilation + 1;
        return (int)(input - covered);
    }

    /// <summary><c>1 row and 2 columns</c>, <c>3 rows</c>, <c>1 column</c>.</summary>
    private static string DroppedText(int rows, int columns)
    {
        string rowText = rows == 1 ? "1 row" : $"{rows} rows";
        string columnText = columns == 1 ? "1 column" : $"{columns} columns";
        return rows == 0 ? columnText : columns == 0 ? rowText : rowText + " and " + columnText;
    }
}
