using System;
using System.Collections.Generic;
using ConvGen.Generators.Helpers;
using static ConvGen.Generators.Emit.KernelNames;

namespace ConvGen.Generators.Emit;

/// <summary>
/// How a layer's channel axis is split into register tiles: repeated blocks of up to
/// <see cref="MaxVectors"/> vector accumulators, then one smaller vector block, then (where the
/// caller asks for it) one Vector128 for a tail of 4 or more channels, then scalar accumulators
/// for the channels that do not fill a vector.
/// </summary>
internal readonly record struct ChannelBlock(int Start, int Vectors, int Scalars, int Repeat, VectorWidth Vector)
{
    /// <summary>Lanes of the default (Vector256) width, as the size estimates count them.</summary>
    public const int Lanes = 8;
    public const int MaxVectors = 8;

    /// <summary>Channels covered by one repetition, in this block's own vector width.</summary>
    public int Width => Vectors * Vector.Lanes + Scalars;

    /// <summary>Whether the block is a loop over <c>cb</c> rather than one literal position.</summary>
    public bool IsLoop => Repeat > 1;

    /// <summary>The first channel of the current repetition: <c>cb</c> or a literal.</summary>
    public string First => IsLoop ? "cb" : I(Start);

    /// <summary>Channel <paramref name="k"/> of the current repetition, as an index expression.</summary>
    public string Offset(int k) => Arithmetic.Plus(First, k);

    /// <summary>Element <paramref name="k"/> of the block's accumulators: vector <c>j</c> starts at lane <c>j * lanes</c>.</summary>
    public int Lane(int j) => j * Vector.Lanes;

    /// <summary>Accumulators per tile row: vectors, or scalars when the block has no vector.</summary>
    public int Accumulators => Vectors > 0 ? Vectors : Scalars;

    /// <summary><c>2 Vector256</c> or <c>3 scalar</c>, for tile comments.</summary>
    public string Describe() => Vectors > 0 ? $"{Vectors} {Vector.Name}" : $"{Scalars} scalar";

    /// <summary><c>[cb, cb + 64)</c> or <c>[0, 16)</c>, for tile comments.</summary>
    public string Range() => IsLoop ? $"[cb, cb + {Width})" : $"[{Start}, {Start + Width})";

    public static List<ChannelBlock> Split(int channels) => Split(channels, VectorWidth.V256, MaxVectors);

    /// <summary>
    /// The split for vectors of <paramref name="width"/> and blocks of at most <paramref name="maxVectors"/>.
    /// With <paramref name="narrowTail"/>, 8 to 15 channels left after Vector512 vectors take a
    /// Vector256 block, and 4 to 7 channels left after the wider vectors take a
    /// Vector128 block before the scalars: a 12-channel layer's last 4 channels are one FMA per
    /// step instead of four scalar ones (the caller writes each block in its own width). Layers
    /// of fewer than 8 channels keep their scalar tiles.
    /// </summary>
    public static List<ChannelBlock> Split(int channels, VectorWidth width, int maxVectors, bool narrowTail = false)
    {
        int lanes = width.Lanes;
        var blocks = new List<ChannelBlock>();
        int vectors = channels / lanes;
        int fullBlocks = vectors / maxVectors;
        int start = 0;
        if (fullBlocks > 0)
        {
            blocks.Add(new ChannelBlock(0, maxVectors, 0, fullBlocks, width));
            start = fullBlocks * maxVectors * lanes;
        }
        int restVectors = vectors - fullBlocks * maxVectors;
        if (restVectors > 0)
        {
            blocks.Add(new ChannelBlock(start, restVectors, 0, 1, width));
            start += restVectors * lanes;
        }
        // A Vector512 body of a layer whose channels are not whole 512-bit vectors (MobileNet's
        // 72 and 120) ends in one Vector256 block rather than up to 15 scalar lanes.
        if (narrowTail && start > 0 && width.Lanes > VectorWidth.V256.Lanes && channels - start >= VectorWidth.V256.Lanes)
        {
            blocks.Add(new ChannelBlock(start, 1, 0, 1, VectorWidth.V256));
            start += VectorWidth.V256.Lanes;
        }
        // Only after wider vectors: a layer of fewer than 8 channels keeps its scalar tile, whose
        // rows are few and short (a Vector128 block plus a scalar one would double its code).
        if (narrowTail && start > 0 && width.Lanes > VectorWidth.V128.Lanes && channels - start >= VectorWidth.V128.Lanes)
        {
            blocks.Add(new ChannelBlock(start, 1, 0, 1, VectorWidth.V128));
            start += VectorWidth.V128.Lanes;
        }
        int scalars = channels - start;
        if (scalars > 0)
        {
            blocks.Add(new ChannelBlock(start, 0, scalars, 1, width));
        }
        return blocks;
    }

    /// <summary>
    /// As <see cref="Split(int)"/>, for a kernel that stores each channel's result once and adds
    /// into nothing (pooling): the channels the Vector256 vectors leave are one more vector that
    /// ends at the last channel, overlapping the one before it (an overlapped lane computes and
    /// stores the same value twice), and a layer of 4 to 7 channels is two such Vector128 (LeNet's
    /// 6: [0, 4) and [2, 6)). Scalar channels cost a compare or max each, four to eight times the
    /// instructions.
    /// </summary>
    public static List<ChannelBlock> SplitStoring(int channels)
    {
        var blocks = Split(channels);
        if (blocks[blocks.Count - 1].Vectors == 0)
        {
            var tail = OverlappingTail(channels);
            if (tail.Count > 0)
            {
                blocks.RemoveAt(blocks.Count - 1);
                blocks.AddRange(tail);
            }
        }
        return blocks;
    }

    /// <summary>
    /// The vector blocks that cover the channels past the last whole Vector256 by overlapping the
    /// channels before them (see <see cref="SplitStoring"/>); none when the Vector256 vectors cover
    /// every channel or fewer than 4 are left and no vector precedes them.
    /// </summary>
    public static List<ChannelBlock> OverlappingTail(int channels)
    {
        var tail = new List<ChannelBlock>();
        if (channels % VectorWidth.V256.Lanes == 0 || channels < VectorWidth.V128.Lanes)
        {
            return tail;
        }
        if (channels > VectorWidth.V256.Lanes)
        {
            tail.Add(new ChannelBlock(channels - VectorWidth.V256.Lanes, 1, 0, 1, VectorWidth.V256));
            return tail;
        }
        tail.Add(new ChannelBlock(0, 1, 0, 1, VectorWidth.V128));
        if (channels > VectorWidth.V128.Lanes)
        {
            tail.Add(new ChannelBlock(channels - VectorWidth.V128.Lanes, 1, 0, 1, VectorWidth.V128));
        }
        return tail;
    }
}


/// <summary>
/// The one writer of channel blocks: the loop over a block's repetitions, its accumulators
/// (declare, load, store, combine), and the run-time choice between the Vector512 and Vector256
/// bodies. Emitters describe what an accumulator does; this class writes the lanes.
/// </summary>
internal static class ChannelBlocks
{
    /// <summary>
    /// Opens the block: a <c>for (cb ...)</c> loop over its repetitions, or a plain scope (its
    /// accumulator names are local to it), or nothing when it is the <paramref name="alone"/>
    /// block of its kernel (no other block's names to keep apart). The caller writes a comment or
    /// statements first, so two braces never stand on consecutive lines.
    /// </summary>
    public static IDisposable? Open(IndentedTextWriter w, ChannelBlock block, bool alone = false) =>
        block.IsLoop
            ? w.WriteBlock($"for (int cb = {I(block.Start)}; cb < {I(block.Start + block.Repeat * block.Width)}; cb += {I(block.Width)})")
            : alone ? null : w.WriteBlock();

    /// <summary>Declares <c>{name}{j}</c> for each vector (<paramref name="vector"/>) and scalar (<paramref name="scalar"/>) of the block.</summary>
    public static void Declare(IndentedTextWriter w, ChannelBlock block, string name, Func<int, string> vector, Func<int, string> scalar)
    {
        for (int j = 0; j < block.Vectors; j++)
        {
            w.WriteLine($"{block.Vector.Type} {name}{j} = {vector(block.Lane(j))};");
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine($"float {name}{s} = {scalar(s)};");
        }
    }

    /// <summary>
    /// A folded BatchNorm's <c>scale{j}</c> and <c>shift{j}</c> for the block's channels: the scales at
    /// <c>bias</c> (a scaled body's bias ref points at them), the shifts <paramref name="channels"/>
    /// floats further. Declared after the taps, next to the store, so they take no registers from the tile's loop.
    /// </summary>
    public static void DeclareScaleShift(IndentedTextWriter w, ChannelBlock block, int channels)
    {
        var width = block.Vector;
        for (int j = 0; j < block.Vectors; j++)
        {
            string at = block.Offset(block.Lane(j));
            w.WriteLine($"{width.Type} scale{j} = {width.Name}.LoadUnsafe(ref bias{KernelNames.VectorOffset(at)}), shift{j} = {width.Name}.LoadUnsafe(ref bias{KernelNames.VectorOffset(Arithmetic.Plus(at, channels))});");
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine($"float scale{s} = {KernelNames.At("bias", block.Offset(s))}, shift{s} = {KernelNames.At("bias", Arithmetic.Plus(block.Offset(s), channels))};");
        }
    }

    /// <summary>The store's value of accumulator <paramref name="a"/> in column <paramref name="j"/>: the epilogue, with the column's scale and shift in a <paramref name="scaled"/> body.</summary>
    public static string Epilogue(string a, int j, bool scaled) => Epilogue(a, scaled ? I(j) : null);

    /// <summary>The store's value of <paramref name="a"/>: with the scale and shift named <c>scale{suffix}</c> and <c>shift{suffix}</c>, if a <paramref name="suffix"/> is given.</summary>
    public static string Epilogue(string a, string? suffix) => suffix is null ? $"TEpilogue.Apply({a})" : $"TEpilogue.Apply({a}, scale{suffix}, shift{suffix})";

    /// <summary>
    /// The store's value of <paramref name="a"/> in a residual body: the epilogue with the residual
    /// summand at <paramref name="skip"/> plus <paramref name="at"/> (the store's own offset from its
    /// target), and the column's scale and shift if <paramref name="scaled"/>.
    /// </summary>
    public static string ResidualEpilogue(string a, int j, bool scaled, string skip, string at) =>
        $"TEpilogue.Apply({a}, {(scaled ? $"scale{I(j)}, shift{I(j)}, " : "")}ref {skip}, {KernelNames.NUInt(at)})";

    /// <summary>
    /// Declares a register tile's accumulators <c>a{row}_{j}</c>, <paramref name="rows"/> rows of the
    /// block's vectors (or scalars), with <paramref name="value"/>(row, j's first lane or scalar
    /// index) as start values: one statement per accumulator column, four rows to a line. The
    /// declarators are the same local initialisations as one statement each.
    /// </summary>
    public static void DeclareTile(IndentedTextWriter w, ChannelBlock block, int rows, Func<int, int, string> value)
    {
        string type = block.Vectors > 0 ? block.Vector.Type : "float";
        for (int j = 0; j < block.Accumulators; j++)
        {
            int first = block.Vectors > 0 ? block.Lane(j) : j;
            for (int r = 0; r < rows; r += RowsPerLine)
            {
                var declarators = new List<string>();
                for (int k = r; k < Math.Min(rows, r + RowsPerLine); k++)
                {
                    declarators.Add($"a{k}_{j} = {value(k, first)}");
                }
                w.WriteLine($"{type} {string.Join(", ", declarators)};");
            }
        }
    }

    private const int RowsPerLine = 4;

    /// <summary>Whether <paramref name="value"/> is one call, <c>f(a, b)</c>, whose parentheses close at its end (no operator outside them).</summary>
    internal static bool IsCall(string value)
    {
        int open = value.IndexOf('(');
        if (open <= 0 || !value.EndsWith(")", StringComparison.Ordinal) || value.Substring(0, open).Contains(" "))
        {
            return false;
        }
        int depth = 0;
        for (int i = open; i < value.Length; i++)
        {
            depth += value[i] == '(' ? 1 : value[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return i == value.Length - 1;
            }
        }
        return false;
    }

    /// <summary>
    /// Stores a register tile declared by <see cref="DeclareTile"/>: accumulator <c>a{row}_{j}</c>,
    /// through <paramref name="value"/>, at <paramref name="target"/> plus <paramref name="offset"/>(row,
    /// j's first lane or scalar index); four rows to a line, as the tile was declared. The
    /// statements are the same stores as one to a line.
    /// </summary>
    public static void StoreTile(IndentedTextWriter w, ChannelBlock block, int rows, string target, Func<string, string> value, Func<int, int, string> offset) =>
        StoreTile(w, block, rows, target, (a, _) => value(a), offset);

    /// <summary>As above, <paramref name="value"/> also getting the accumulator column <c>j</c> (to name that column's scale and shift, say).</summary>
    public static void StoreTile(IndentedTextWriter w, ChannelBlock block, int rows, string target, Func<string, int, string> value, Func<int, int, string> offset) =>
        StoreTile(w, block, rows, target, (a, j, _) => value(a, j), offset);

    /// <summary>As above, <paramref name="value"/> also getting the store's offset (a residual epilogue reads its summand there, see <see cref="ResidualEpilogue"/>).</summary>
    public static void StoreTile(IndentedTextWriter w, ChannelBlock block, int rows, string target, Func<string, int, string, string> value, Func<int, int, string> offset)
    {
        for (int j = 0; j < block.Accumulators; j++)
        {
            int first = block.Vectors > 0 ? block.Lane(j) : j;
            for (int r = 0; r < rows; r += RowsPerLine)
            {
                var stores = new List<string>();
                for (int k = r; k < Math.Min(rows, r + RowsPerLine); k++)
                {
                    string at = offset(k, first);
                    string stored = value($"a{k}_{j}", j, at);
                    stores.Add(block.Vectors > 0
                        // A value with an operator is parenthesised: member access binds tighter than * or +.
                        ? $"{(stored.Contains(" ") && !IsCall(stored) ? $"({stored})" : stored)}.StoreUnsafe(ref {target}{VectorOffset(at)});"
                        : $"{At(target, at)} = {stored};");
                }
                w.WriteLine(string.Join(" ", stores));
            }
        }
    }


    /// <summary>
    /// One statement per accumulator: <paramref name="vector"/> and <paramref name="scalar"/>
    /// get the accumulator's name and the load of its lanes from <paramref name="source"/>
    /// (channel offset relative to <see cref="ChannelBlock.First"/>, plus <paramref name="at"/>).
    /// </summary>
    public static void Combine(IndentedTextWriter w, ChannelBlock block, string name, string source, Func<string, string, string> vector, Func<string, string, string> scalar, string at = "")
    {
        string v = block.Vector.Name;
        for (int j = 0; j < block.Vectors; j++)
        {
            w.WriteLine(vector($"{name}{j}", $"{v}.LoadUnsafe(ref {source}{VectorOffset(Arithmetic.Sum(at, block.Offset(block.Lane(j))))})"));
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine(scalar($"{name}{s}", At(source, Arithmetic.Sum(at, block.Offset(s)))));
        }
    }

    /// <summary>
    /// Stores each accumulator, through <paramref name="vectorValue"/> or <paramref name="scalarValue"/>,
    /// at its channels of <paramref name="target"/>: <c>a0_1.StoreUnsafe(ref d, 8)</c>, the extension
    /// form of <c>Vector256.StoreUnsafe</c> (the same call, shorter to read in a tile of many).
    /// </summary>
    public static void Store(IndentedTextWriter w, ChannelBlock block, string name, string target, Func<string, string> vectorValue, Func<string, string> scalarValue, string at = "")
    {
        for (int j = 0; j < block.Vectors; j++)
        {
            string value = vectorValue($"{name}{j}");
            // A value with an operator is parenthesised: member access binds tighter than * or +.
            w.WriteLine($"{(value.Contains(" ") ? $"({value})" : value)}.StoreUnsafe(ref {target}{VectorOffset(Arithmetic.Sum(at, block.Offset(block.Lane(j))))});");
        }
        for (int s = 0; s < block.Scalars; s++)
        {
            w.WriteLine($"{At(target, Arithmetic.Sum(at, block.Offset(s)))} = {scalarValue($"{name}{s}")};");
        }
    }

    /// <summary>
    /// Calls <paramref name="call"/> with the Vector512 suffix when the CPU has AVX-512 and the
    /// body has a Vector512 variant (<see cref="VectorWidth.Fits512(int, bool)"/>), else with the
    /// Vector256 one: the bodies to emit are <see cref="WidthsFor(int, bool)"/>. Pass
    /// <paramref name="narrowTails"/> for bodies that write a Vector256 tail block after their
    /// Vector512 ones (<see cref="ChannelBlock.Split(int, VectorWidth, int, bool)"/>).
    /// </summary>
    public static void WriteDispatch(IndentedTextWriter w, int channels, Func<VectorWidth, string> call, bool narrowTails = false) =>
        WriteDispatch(w, VectorWidth.Fits512(channels, narrowTails), call);

    /// <summary>The run-time choice for a kernel that has a Vector512 body when <paramref name="vector512"/> (its own rule, e.g. a depthwise body's overlapping last vector).</summary>
    public static void WriteDispatch(IndentedTextWriter w, bool vector512, Func<VectorWidth, string> call)
    {
        if (vector512)
        {
            w.WriteLine($"if (Vector512.IsHardwareAccelerated) {call(VectorWidth.V512)};");
            w.WriteLine($"else {call(VectorWidth.V256)};");
        }
        else
        {
            w.WriteLine($"{call(VectorWidth.V256)};");
        }
    }

    /// <summary>The vector widths a kernel over <paramref name="channels"/> is written for (see <see cref="WriteDispatch(IndentedTextWriter, int, Func{VectorWidth, string}, bool)"/>).</summary>
    public static IEnumerable<VectorWidth> WidthsFor(int channels, bool narrowTails = false) =>
        VectorWidth.Fits512(channels, narrowTails) ? new[] { VectorWidth.V512, VectorWidth.V256 } : new[] { VectorWidth.V256 };
}
