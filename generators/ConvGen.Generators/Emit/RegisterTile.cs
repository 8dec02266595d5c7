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
    /// <summary>
    /// Rows of a tile of <paramref name="block"/> in a body of width <paramref name="body"/>: as many as
    /// <paramref name="accumulators"/> allow, and no more than the body's registers hold beside the
    /// block's loaded vectors (or scalars) and the broadcast (<see cref="VectorWidth.Registers"/>; a
    /// tail block of narrower vectors or scalars shares the body's registers). One more and the JIT
    /// keeps an accumulator on the stack, loaded and stored at every step of the inner loop.
    /// </summary>
    public static int Rows(VectorWidth body, ChannelBlock block, int accumulators) =>
        Math.Max(1, Math.Min(accumulators, body.Registers - block.Accumulators - 1) / block.Accumulators);

    /// <summary>Loads <c>{name}{j}</c> for the block's vectors (or scalars) from <paramref name="source"/> at <paramref name="offset"/>(j's first lane).</summary>
    public static void EmitLoads(IndentedTextWriter w, VectorWidth width, ChannelBlock block, string name, string source, Func<int, string> offset, bool declare)
    {
        for (int j = 0; j < block.Vectors; j++)
        {
            w.WriteLine($"{(declare ? $"{width.Type} " : "")}{name}{j} = {width.Name}.LoadUnsafe(ref {source}{KernelNames.VectorOffset(offset(j * width.Lanes))});");
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine($"{(declare ? "float " : "")}{name}{s} = {KernelNames.At(source, offset(s))};");
        }
    }

    /// <summary>
    /// <c>a{row}_{j} += broadcast(row) * {loaded}{j}</c> for every row of the tile, where
    /// <paramref name="broadcast"/>(row) names the input value as a ref and an offset. With several
    /// accumulators per row the broadcast is held in <c>s</c> for all of them; with one it is a
    /// call of the runtime's <c>Tile.MultiplyAdd</c>, which the JIT inlines to the same broadcast
    /// and FMA.
    /// </summary>
    public static void EmitMultiplyAdds(IndentedTextWriter w, VectorWidth width, ChannelBlock block, int rows, Func<int, (string Source, string Offset)> broadcast, string loaded, bool declare)
    {
        bool shared = block.Accumulators > 1;
        for (int r = 0; r < rows; r++)
        {
            bool first = declare && r == 0;
            var (source, offset) = broadcast(r);
            string value = KernelNames.At(source, offset);
            if (block.Vectors > 0)
            {
                if (shared)
                {
                    w.WriteLine($"{(first ? $"{width.Type} " : "")}s = {width.Name}.Create({value});");
                }
                for (int j = 0; j < block.Vectors; j++)
                {
                    w.WriteLine(shared
                        ? $"a{r}_{j} = {width.Name}.MultiplyAddEstimate(s, {loaded}{j}, a{r}_{j});"
                        : $"a{r}_{j} = Tile.MultiplyAdd(ref {source}, {offset}, {loaded}{j}, a{r}_{j});");
                }
            }
            else
            {
                if (shared)
                {
                    w.WriteLine($"{(first ? "float " : "")}s = {value};");
                    value = "s";
                }
                for (int j = 0; j < block.Scalars; j++)
                {
                    w.WriteLine($"a{r}_{j} += {value} * {loaded}{j};");
                }
            }
        }
    }
}
