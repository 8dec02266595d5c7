using System;
using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Emit;

/// <summary>
/// The inner step shared by the register-tiled convolution kernels: a block of vectors (or
/// scalars) is loaded once, then each tile row broadcasts one input value and multiplies it into
/// its accumulators <c>a{row}_{j}</c>.
/// </summary>
internal static class RegisterTile
{
    /// <summary>Loads <c>{name}{j}</c> for the block's vectors (or scalars) from <paramref name="source"/> at <paramref name="offset"/>(j's first lane).</summary>
    public static void EmitLoads(IndentedTextWriter w, VectorWidth width, ChannelBlock block, string name, string source, Func<int, string> offset, bool declare)
    {
        for (int j = 0; j < block.Vectors; j++)
        {
            w.WriteLine($"{(declare ? $"{width.Type} " : "")}{name}{j} = {width.Name}.LoadUnsafe(ref {source}, {KernelNames.NUInt(offset(j * width.Lanes))});");
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine($"{(declare ? "float " : "")}{name}{s} = Unsafe.Add(ref {source}, {offset(s)});");
        }
    }

    /// <summary><c>a{row}_{j} += broadcast(row) * {loaded}{j}</c> for every row of the tile; <c>s</c> holds the broadcast.</summary>
    public static void EmitMultiplyAdds(IndentedTextWriter w, VectorWidth width, ChannelBlock block, int rows, Func<int, string> broadcast, string loaded, bool declare)
    {
        for (int r = 0; r < rows; r++)
        {
            bool first = declare && r == 0;
            if (block.Vectors > 0)
            {
                w.WriteLine($"{(first ? $"{width.Type} " : "")}s = {width.Name}.Create({broadcast(r)});");
                for (int j = 0; j < block.Vectors; j++)
                {
                    w.WriteLine($"a{r}_{j} = {width.Name}.MultiplyAddEstimate(s, {loaded}{j}, a{r}_{j});");
                }
            }
            else
            {
                w.WriteLine($"{(first ? "float " : "")}s = {broadcast(r)};");
                for (int j = 0; j < block.Scalars; j++)
                {
                    w.WriteLine($"a{r}_{j} += s * {loaded}{j};");
                }
            }
        }
    }
}
