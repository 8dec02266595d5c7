using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// The encoder-decoder operators: ConvTranspose as <c>[Conv2DTranspose]</c>, Resize as
/// <c>[UpSampling2D]</c>, Concat over the channels as <c>[Concatenate]</c>, Slice of the spatial
/// axes as <c>[Cropping2D]</c>, and Constant nodes as the operands (scales, slice bounds) of
/// those. Each accepts exactly the forms whose result equals the ConvGen layer's and names the
/// node and the attribute of any other.
/// </summary>
public sealed partial class OnnxImporter
{
    /// <summary>
    /// ConvTranspose, group 1, equal strides and dilations per axis. Pads and output padding that
    /// one of Keras's output-size rules (valid or same, with or without OutputPadding) gives become
    /// that rule; other pads become Keras's valid rule followed by a Cropping2D of the rows and
    /// columns ONNX cuts, when the output padding that needs is below the stride.
    /// </summary>
    private void MapConvTranspose(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        OnnxTensor w = Initializer(node, 1, "weight");
        long group = IntAttribute(node, "group", 1, long.MinValue, long.MaxValue);
        if (group != 1)
        {
            throw Unsupported($"attribute 'group' = {group}: only group=1 is supported");
        }
        if (node.Attribute("output_shape") is { } outputShape)
        {
            throw Unsupported($"attribute 'output_shape' = [{Join(outputShape.Ints)}]: give the size as pads and output_padding (the form Keras and ConvGen's export write)");
        }
        int[] dims = WeightDims(w, "weight", 4, "[in,filters,kh,kw]");
        int inChannels = dims[0], filters = dims[1], kh = dims[2], kw = dims[3];
        if (inChannels != x.Shape.Channels)
        {
            throw Unsupported($"weight '{w.Name}' expects {inChannels} input channels but the input {x.Shape} has {x.Shape.Channels}");
        }
        long[]? kernel = IntsAttribute(node, "kernel_shape", 2, 1, MaxDimension);
        if (kernel is not null && (kernel[0] != kh || kernel[1] != kw))
        {
            throw Unsupported($"attribute 'kernel_shape' = [{Join(kernel)}] does not match the {kh}x{kw} weights");
        }
        if (kh > MaxDimension || kw > MaxDimension)
        {
            throw Unsupported($"kernel {kh}x{kw} exceeds {MaxDimension}");
        }
        long[] strides = IntsAttribute(node, "strides", 2, 1, MaxDimension) ?? [1, 1];
        long[] dilations = IntsAttribute(node, "dilations", 2, 1, MaxDimension) ?? [1, 1];
        if (strides[0] != strides[1] || dilations[0] != dilations[1])
        {
            throw Unsupported($"attributes 'strides' = [{Join(strides)}] / 'dilations' = [{Join(dilations)}] differ per axis; Conv2DTranspose has one Stride and one Dilation");
        }
        int stride = (int)strides[0], dilation = (int)dilations[0];
        if ((kh - 1L) * dilation + 1 > MaxDimension || (kw - 1L) * dilation + 1 > MaxDimension)
        {
            throw Unsupported($"the dilated {kh}x{kw} window (dilation {dilation}) spans more than {MaxDimension}");
        }
        string autoPad = StringAttribute(node, "auto_pad", "NOTSET");
        long[]? pads = IntsAttribute(node, "pads", 4, 0, MaxDimension);
        long[] outputPadding = IntsAttribute(node, "output_padding", 2, 0, MaxDimension) ?? [0, 0];
        if (autoPad is not ("NOTSET" or "VALID"))
        {
            // ONNX and ONNX Runtime have disagreed about which side SAME_UPPER pads on a ConvTranspose; explicit pads are unambiguous.
            throw Unsupported($"attribute 'auto_pad' = '{SourceText.Escape(autoPad)}'; only NOTSET (explicit pads) and VALID are supported for ConvTranspose");
        }
        if (pads is not null && autoPad != "NOTSET")
        {
            throw Unsupported($"both auto_pad={autoPad} and pads [{Join(pads)}] are given; ONNX allows only one");
        }
        pads ??= [0, 0, 0, 0];
        if (outputPadding[0] >= Math.Max(stride, dilation) || outputPadding[1] >= Math.Max(stride, dilation))
        {
            throw Unsupported($"attribute 'output_padding' = [{Join(outputPadding)}] must be below the stride {stride} (or the dilation {dilation})");
        }
        // ONNX pads: top, left, bottom, right; output padding adds rows after the bottom cut.
        (long Before, long After) rows = (pads[0], pads[2] - outputPadding[0]), columns = (pads[1], pads[3] - outputPadding[1]);
        var (outRows, _, _) = TransposedCut(x.Shape.Height, kh, stride, dilation, rows);
        var (outColumns, _, _) = TransposedCut(x.Shape.Width, kw, stride, dilation, columns);
        if (outRows < 1 || outColumns < 1 || outRows > MaxDimension || outColumns > MaxDimension)
        {
            throw Unsupported($"attributes 'pads' = [{Join(pads)}] and 'output_padding' = [{Join(outputPadding)}] give a {outRows}x{outColumns} output; expected 1..{MaxDimension} per axis");
        }
        (Padding Padding, int OutputPadding)? form = null;
        foreach (Padding padding in (Padding[])[Padding.Valid, Padding.Same])
        {
            for (int op = -1; op < stride && form is null; op++)
            {
                var r = WindowGeometry.TransposedAxis(x.Shape.Height, kh, stride, dilation, padding, op);
                var c = WindowGeometry.TransposedAxis(x.Shape.Width, kw, stride, dilation, padding, op);
                if ((r.Before, r.After, c.Before, c.After) == (rows.Before, rows.After, columns.Before, columns.After))
                {
                    form = (padding, op);
                }
            }
        }
        // Not one of Keras's rules (PyTorch's padding=1 with output_padding=1, say): Keras's valid
        // result, larger by the rows ONNX cuts, followed by a Cropping2D of those rows.
        (int Top, int Bottom, int Left, int Right) crop = (0, 0, 0, 0);
        if (form is null)
        {
            for (int op = -1; op < stride && form is null; op++)
            {
                var r = WindowGeometry.TransposedAxis(x.Shape.Height, kh, stride, dilation, Padding.Valid, op);
                var c = WindowGeometry.TransposedAxis(x.Shape.Width, kw, stride, dilation, Padding.Valid, op);
                if (rows.After >= r.After && columns.After >= c.After && r.Output <= MaxDimension && c.Output <= MaxDimension)
                {
                    form = (Padding.Valid, op);
                    crop = ((int)rows.Before, (int)(rows.After - r.After), (int)columns.Before, (int)(columns.After - c.After));
                    (rows, columns) = ((0, r.After), (0, c.After));
                }
            }
        }
        if (form is not { } keras)
        {
            throw Unsupported($"attributes 'pads' = [{Join(pads)}] and 'output_padding' = [{Join(outputPadding)}] on the {x.Shape.Height}x{x.Shape.Width} input "
                + $"add more rows or columns than ConvGen's Conv2DTranspose can (its OutputPadding stays below the stride {stride}); "
                + $"Keras's valid is {OnnxForm(x.Shape, kh, kw, stride, dilation, Padding.Valid)}, same is {OnnxForm(x.Shape, kh, kw, stride, dilation, Padding.Same)}");
        }

        string name = NewLayerName(node, "conv2d_transpose");
        AddWeight(name + ".weight", WeightLayouts.IohwToHwoi(w.ToFloatArray(), inChannels, filters, kh, kw), kh, kw, filters, inChannels);
        bool useBias = HasInput(node, 2);
        if (useBias)
        {
            float[] bias = Initializer(node, 2, "bias").ToFloatArray();
            CheckLength(bias, filters, "bias");
            AddWeight(name + ".bias", bias, filters);
        }
        long convolvedRows = TransposedCut(x.Shape.Height, kh, stride, dilation, rows).Output;
        long convolvedColumns = TransposedCut(x.Shape.Width, kw, stride, dilation, columns).Output;
        var transposed = new ImportedLayer(name, ImportedLayerKind.Conv2DTranspose, [x.Layer], x.Shape, TensorShape.Spatial((int)convolvedRows, (int)convolvedColumns, filters), [Describe(node)])
        {
            Units = filters,
            UseBias = useBias,
            KernelHeight = kh,
            KernelWidth = kw,
            StrideHeight = stride,
            StrideWidth = stride,
            DilationHeight = dilation,
            DilationWidth = dilation,
            PadTop = (int)rows.Before,
            PadBottom = (int)rows.After,
            PadLeft = (int)columns.Before,
            PadRight = (int)columns.After,
            TransposedPadding = keras.Padding,
            OutputPadding = keras.OutputPadding,
        };
        AddLayer(node, transposed);
        if (crop != (0, 0, 0, 0))
        {
            AddLayer(node, new ImportedLayer(NewLayerName(node, "cropping2d", "_crop"), ImportedLayerKind.Cropping2D, [name], transposed.OutputShape,
                TensorShape.Spatial((int)outRows, (int)outColumns, filters), [Describe(node)])
            {
                PadTop = crop.Top,
                PadBottom = crop.Bottom,
                PadLeft = crop.Left,
                PadRight = crop.Right,
            });
        }
    }

    /// <summary>Output length of a transposed convolution axis whose full result is cut by <paramref name="cut"/>.</summary>
    private static (long Output, long Before, long After) TransposedCut(int input, int kernel, int stride, int dilation, (long Before, long After) cut)
    {
        long full = (input - 1L) * stride + (kernel - 1L) * dilation + 1;
        return (full - cut.Before - cut.After, cut.Before, cut.After);
    }

    /// <summary>Keras's rule (without output padding) as ONNX attributes, for the refusal message.</summary>
    private static string OnnxForm(TensorShape input, int kh, int kw, int stride, int dilation, Padding padding)
    {
        var r = WindowGeometry.TransposedAxis(input.Height, kh, stride, dilation, padding, -1);
        var c = WindowGeometry.TransposedAxis(input.Width, kw, stride, dilation, padding, -1);
        return $"pads [{r.Before},{c.Before},{Math.Max(r.After, 0)},{Math.Max(c.After, 0)}] output_padding [{Math.Max(-r.After, 0)},{Math.Max(-c.After, 0)}]";
    }

    /// <summary>
    /// Resize (opset 11 on) of the spatial axes by whole factors, given as scales or sizes (an
    /// initializer or a Constant). Linear with half-pixel centres is bilinear UpSampling2D; nearest
    /// is accepted for every coordinate transformation and rounding whose source rows and columns
    /// are UpSampling2D's <c>floor(y / factor)</c>, checked index by index.
    /// </summary>
    private void MapResize(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        if (_model.DefaultOpsetVersion is > 0 and < 11)
        {
            throw Unsupported($"Resize of opset {_model.DefaultOpsetVersion} (before 11) has no coordinate_transformation_mode; export with opset 11 or later");
        }
        string mode = StringAttribute(node, "mode", "nearest");
        string coordinates = StringAttribute(node, "coordinate_transformation_mode", "half_pixel");
        string rounding = StringAttribute(node, "nearest_mode", "round_prefer_floor");
        if (mode is not ("nearest" or "linear"))
        {
            throw Unsupported($"attribute 'mode' = '{SourceText.Escape(mode)}'; only nearest and linear (UpSampling2D's nearest and bilinear) are supported");
        }
        if (FlagAttribute(node, "antialias"))
        {
            throw Unsupported("attribute 'antialias' = 1 is not supported");
        }
        FlagAttribute(node, "exclude_outside"); // cubic only
        FloatAttribute(node, "cubic_coeff_a", -0.75f); // cubic only
        FloatAttribute(node, "extrapolation_value", 0f); // tf_crop_and_resize only, which is refused below
        string policy = StringAttribute(node, "keep_aspect_ratio_policy", "stretch");
        if (policy != "stretch")
        {
            throw Unsupported($"attribute 'keep_aspect_ratio_policy' = '{SourceText.Escape(policy)}'; only stretch is supported");
        }
        if (node.Attribute("axes") is { } axesAttribute && !SpatialAxes(axesAttribute.Ints))
        {
            throw Unsupported($"attribute 'axes' = [{Join(axesAttribute.Ints)}]; only the spatial axes [2,3] of NCHW can be resized");
        }
        bool axesGiven = node.Attribute("axes") is not null;
        if (HasInput(node, 1))
        {
            // roi only matters for tf_crop_and_resize; it must still be a constant, not a computed tensor.
            Constant(node, 1, "roi");
        }
        OnnxTensor? scales = HasInput(node, 2) ? Constant(node, 2, "scales") : null;
        OnnxTensor? sizes = HasInput(node, 3) ? Constant(node, 3, "sizes") : null;
        if (scales is { } s && s.ElementCount == 0)
        {
            scales = null; // opset 11-12 write an empty scales when sizes are given
        }
        (int sh, int sw) = (scales, sizes) switch
        {
            ({ } given, null) => FactorsFromScales(given, axesGiven),
            (null, { } given) => FactorsFromSizes(given, x.Shape, axesGiven),
            (null, null) => throw Unsupported("neither scales (input 2) nor sizes (input 3) is given"),
            _ => throw Unsupported("both scales (input 2) and sizes (input 3) are given; ONNX allows only one"),
        };
        long outRows = (long)x.Shape.Height * sh, outColumns = (long)x.Shape.Width * sw;
        if (outRows > MaxDimension || outColumns > MaxDimension)
        {
            throw Unsupported($"resizing {x.Shape.Height}x{x.Shape.Width} by {sh}x{sw} gives {outRows}x{outColumns}, more than {MaxDimension} per axis");
        }

        UpSamplingInterpolation interpolation;
        if (mode == "linear")
        {
            // pytorch_half_pixel differs from half_pixel only for an output of length 1, i.e. a factor 1 on a single row.
            if (coordinates is not ("half_pixel" or "pytorch_half_pixel" or "half_pixel_symmetric"))
            {
                throw Unsupported($"attribute 'coordinate_transformation_mode' = '{SourceText.Escape(coordinates)}' with linear mode; "
                    + "ConvGen's bilinear UpSampling2D is Keras's half_pixel (use half_pixel, or nearest)");
            }
            interpolation = UpSamplingInterpolation.Bilinear;
        }
        else
        {
            CheckNearestMatchesUpSampling(coordinates, rounding, x.Shape.Height, sh, "rows");
            CheckNearestMatchesUpSampling(coordinates, rounding, x.Shape.Width, sw, "columns");
            interpolation = UpSamplingInterpolation.Nearest;
        }
        if (sh == 1 && sw == 1)
        {
            _values[node.Outputs[0]] = x; // resizing by 1 is the identity in every mode accepted above
            return;
        }
        AddLayer(node, new ImportedLayer(NewLayerName(node, "up_sampling2d"), ImportedLayerKind.UpSampling2D, [x.Layer], x.Shape,
            TensorShape.Spatial((int)outRows, (int)outColumns, x.Shape.Channels), [Describe(node)])
        {
            StrideHeight = sh,
            StrideWidth = sw,
            Interpolation = interpolation,
        });
    }

    private static bool SpatialAxes(IReadOnlyList<long> axes) => axes is [2 or -2, 3 or -1];

    private static (int Height, int Width) FactorsFromScales(OnnxTensor scales, bool axesGiven)
    {
        float[] values = scales.ToFloatArray();
        bool shaped = axesGiven ? values.Length == 2 : values.Length == 4 && values[0] == 1f && values[1] == 1f;
        if (!shaped)
        {
            throw Unsupported($"scales '{scales.Name}' = [{string.Join(",", values.Take(8).Select(F))}{(values.Length > 8 ? ",…" : "")}]; expected [1,1,sh,sw] (batch and channels unscaled)");
        }
        return (Factor(values[^2], scales.Name, "row"), Factor(values[^1], scales.Name, "column"));
    }

    private static int Factor(float value, string tensor, string axis)
    {
        if (!float.IsFinite(value) || value < 1f || value > MaxDimension || value != MathF.Floor(value))
        {
            throw Unsupported($"scales '{tensor}' has the {axis} factor {F(value)}; UpSampling2D enlarges by a whole factor of 1..{MaxDimension}");
        }
        return (int)value;
    }

    private (int Height, int Width) FactorsFromSizes(OnnxTensor sizes, TensorShape input, bool axesGiven)
    {
        long[] values = sizes.ToInt64Array();
        if (values.Length != (axesGiven ? 2 : 4))
        {
            throw Unsupported($"sizes '{sizes.Name}' has {values.Length} values; expected {(axesGiven ? "[H,W]" : "[N,C,H,W]")}");
        }
        if (!axesGiven && (values[1] != input.Channels || _inputBatch is not { } batch || values[0] != batch))
        {
            throw Unsupported($"sizes '{sizes.Name}' = [{Join(values)}] resizes the batch or the channels (input [{(_inputBatch?.ToString() ?? "N")},{input.Channels},{input.Height},{input.Width}]); only H and W may change");
        }
        long rows = values[^2], columns = values[^1];
        if (rows < input.Height || columns < input.Width || rows % input.Height != 0 || columns % input.Width != 0 || rows > MaxDimension || columns > MaxDimension)
        {
            throw Unsupported($"sizes '{sizes.Name}' asks for {rows}x{columns} from {input.Height}x{input.Width}; UpSampling2D enlarges by whole factors (at most {MaxDimension} per axis)");
        }
        return ((int)(rows / input.Height), (int)(columns / input.Width));
    }

    /// <summary>
    /// ONNX's nearest source index for every output index of one axis against UpSampling2D's
    /// <c>y / factor</c>; at most <see cref="MaxDimension"/> steps (the output length was checked).
    /// Ties are exact halves, representable in float and double alike, so double arithmetic rounds as ONNX Runtime's float does.
    /// </summary>
    private static void CheckNearestMatchesUpSampling(string coordinates, string rounding, int input, int factor, string axis)
    {
        if (coordinates is not ("half_pixel" or "pytorch_half_pixel" or "half_pixel_symmetric" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn"))
        {
            throw Unsupported($"attribute 'coordinate_transformation_mode' = '{SourceText.Escape(coordinates)}' is not supported");
        }
        if (rounding is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
        {
            throw Unsupported($"attribute 'nearest_mode' = '{SourceText.Escape(rounding)}' is unknown; expected round_prefer_floor, round_prefer_ceil, floor or ceil");
        }
        int output = input * factor;
        for (int y = 0; y < output; y++)
        {
            double source = coordinates switch
            {
                "half_pixel" or "half_pixel_symmetric" => (y + 0.5) / factor - 0.5,
                "pytorch_half_pixel" => output > 1 ? (y + 0.5) / factor - 0.5 : 0,
                "align_corners" => output == 1 ? 0 : y * (input - 1.0) / (output - 1.0),
                "asymmetric" => (double)y / factor,
                _ => (y + 0.5) / factor,
            };
            double rounded = rounding switch
            {
                "floor" => Math.Floor(source),
                "ceil" => Math.Ceiling(source),
                "round_prefer_ceil" => Math.Floor(source + 0.5),
                _ => Math.Ceiling(source - 0.5),
            };
            int index = (int)Math.Clamp(rounded, 0, input - 1);
            if (index != y / factor)
            {
                throw Unsupported($"nearest resize with coordinate_transformation_mode '{coordinates}' and nearest_mode '{rounding}' makes output {axis[..^1]} {y} read input {axis[..^1]} {index}, "
                    + $"but UpSampling2D reads {y / factor} (floor(y / {factor})); use asymmetric with floor, or half_pixel with round_prefer_floor");
            }
        }
    }

    /// <summary>Concat of spatial maps along the channel axis 1 (NCHW), or of vectors along axis 1.</summary>
    private void MapConcat(OnnxNode node)
    {
        var sources = new List<Value>(node.Inputs.Count);
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            sources.Add(Input(node, i));
        }
        Value first = sources[0];
        if (node.Attribute("axis") is null && _model.DefaultOpsetVersion is 0 or >= 4)
        {
            throw Unsupported("attribute 'axis' is required");
        }
        long axis = AxisAttribute(node, "axis", 1, OnnxRank(first));
        if (axis != 1)
        {
            throw Unsupported($"attribute 'axis' = {node.Attribute("axis")!.Int}: only the channel axis 1 is supported (Concatenate joins channels)");
        }
        for (int i = 0; i < sources.Count; i++)
        {
            Value source = sources[i];
            if (source.Shape.Rank != first.Shape.Rank || (source.Shape.Rank == 3 && (source.Shape.Height, source.Shape.Width) != (first.Shape.Height, first.Shape.Width)))
            {
                throw Unsupported($"input {i} '{node.Inputs[i]}' is {source.Shape} but input 0 '{node.Inputs[0]}' is {first.Shape}; Concatenate needs the same height and width (crop with a Slice first)");
            }
            if (source.FlattenedFrom is not null)
            {
                // ONNX flattened that map channel-first; ConvGen's Flatten is channel-last, so the joined order would differ.
                throw Unsupported($"input {i} '{node.Inputs[i]}' is a spatial map flattened in NCHW order; concatenating it is not supported");
            }
        }
        if (sources.Count == 1)
        {
            _values[node.Outputs[0]] = first;
            return;
        }
        long channels = sources.Sum(v => (long)v.Shape.Channels);
        if (channels > MaxDimension)
        {
            throw Unsupported($"joins {channels} channels, more than {MaxDimension}");
        }
        TensorShape shape = first.Shape.Rank == 3 ? TensorShape.Spatial(first.Shape.Height, first.Shape.Width, (int)channels) : TensorShape.Vector((int)channels);
        AddLayer(node, new ImportedLayer(NewLayerName(node, "concatenate"), ImportedLayerKind.Concatenate, sources.Select(v => v.Layer).ToArray(), first.Shape, shape, [Describe(node)]));
    }

    /// <summary>Slice with step 1 of the rows and columns (axes 2 and 3 of NCHW); the batch and channels stay whole.</summary>
    private void MapSlice(OnnxNode node)
    {
        Value x = Input(node, 0);
        RequireSpatial(x);
        bool attributeForm = _model.DefaultOpsetVersion is > 0 and < 10;
        long[] starts, ends, axes, steps;
        if (attributeForm)
        {
            if (node.Inputs.Count > 1)
            {
                throw Unsupported($"{node.Inputs.Count} inputs; Slice before opset 10 takes starts, ends and axes as attributes");
            }
            starts = node.Ints("starts")?.ToArray() ?? throw Unsupported("attribute 'starts' is required");
            ends = node.Ints("ends")?.ToArray() ?? throw Unsupported("attribute 'ends' is required");
            axes = node.Ints("axes")?.ToArray() ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = starts.Select(_ => 1L).ToArray();
        }
        else
        {
            if (node.Attributes.Count > 0)
            {
                throw Unsupported($"attribute '{node.Attributes[0].Name}': from opset 10 on, Slice takes starts, ends, axes and steps as inputs");
            }
            starts = Constant(node, 1, "starts").ToInt64Array();
            ends = Constant(node, 2, "ends").ToInt64Array();
            axes = HasInput(node, 3) ? Constant(node, 3, "axes").ToInt64Array() : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = HasInput(node, 4) ? Constant(node, 4, "steps").ToInt64Array() : starts.Select(_ => 1L).ToArray();
        }
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length || starts.Length > 4)
        {
            throw Unsupported($"starts, ends, axes and steps have {starts.Length}, {ends.Length}, {axes.Length} and {steps.Length} values; expected the same number, at most 4");
        }
        // Rows and columns kept, [begin, end); everything else must stay whole.
        long[] dims = [-1, x.Shape.Channels, x.Shape.Height, x.Shape.Width];
        long[] begin = [0, 0, 0, 0];
        long[] end = (long[])dims.Clone();
        var seen = new HashSet<long>();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = axes[i] is >= -4 and < 0 ? axes[i] + 4 : axes[i];
            if (axis is < 0 or > 3 || !seen.Add(axis))
            {
                throw Unsupported($"axes [{Join(axes)}]: each axis must be one of 0..3 (or -4..-1) of [N,C,H,W], at most once");
            }
            if (steps[i] != 1)
            {
                throw Unsupported($"steps [{Join(steps)}]: only step 1 is supported (Cropping2D keeps every row and column)");
            }
            if (axis == 0)
            {
                throw Unsupported($"slicing the batch axis 0 (axes [{Join(axes)}]) is not supported");
            }
            // ONNX: negative bounds count from the end; both are clamped to [0, dim].
            long Clamp(long value) => Math.Clamp(value < 0 ? value + dims[axis] : value, 0, dims[axis]);
            (begin[axis], end[axis]) = (Clamp(starts[i]), Clamp(ends[i]));
            if (end[axis] <= begin[axis])
            {
                throw Unsupported($"slice [{starts[i]}, {ends[i]}) of axis {axis} (length {dims[axis]}) is empty");
            }
            if (axis == 1 && (begin[1], end[1]) != (0, dims[1]))
            {
                throw Unsupported($"slice [{starts[i]}, {ends[i]}) of the channel axis 1 keeps {end[1] - begin[1]} of {dims[1]} channels; only the rows and columns (axes 2 and 3) can be cropped");
            }
        }
        int top = (int)begin[2], bottom = (int)(dims[2] - end[2]), left = (int)begin[3], right = (int)(dims[3] - end[3]);
        if (top == 0 && bottom == 0 && left == 0 && right == 0)
        {
            _values[node.Outputs[0]] = x;
            return;
        }
        AddLayer(node, new ImportedLayer(NewLayerName(node, "cropping2d"), ImportedLayerKind.Cropping2D, [x.Layer], x.Shape,
            TensorShape.Spatial((int)(end[2] - begin[2]), (int)(end[3] - begin[3]), x.Shape.Channels), [Describe(node)])
        {
            PadTop = top,
            PadBottom = bottom,
            PadLeft = left,
            PadRight = right,
        });
    }

    /// <summary>
    /// A Constant node defines a value as an initializer does; it adds no layer. Its tensor is
    /// checked like an initializer's (dims against the values stored) before anything reads it.
    /// </summary>
    private void MapConstant(OnnxNode node)
    {
        if (node.Attributes.Count != 1)
        {
            throw Unsupported($"{node.Attributes.Count} attributes; a Constant has exactly one of value, value_float(s), value_int(s)");
        }
        OnnxAttribute attribute = node.Attributes[0];
        string name = node.Outputs[0];
        OnnxTensor tensor = attribute.Name switch
        {
            "value" => Copy(attribute.Tensor ?? throw Unsupported("attribute 'value' holds no tensor"), name),
            "value_float" => OnnxTensor.FromFloats(name, [attribute.Float]),
            "value_floats" => OnnxTensor.FromFloats(name, attribute.Floats.ToArray(), attribute.Floats.Count),
            "value_int" => OnnxTensor.FromInt64s(name, [attribute.Int]),
            "value_ints" => OnnxTensor.FromInt64s(name, attribute.Ints.ToArray(), attribute.Ints.Count),
            _ => throw Unsupported($"attribute '{attribute.Name}': only numeric constants (value, value_float(s), value_int(s)) are supported"),
        };
        tensor.Validate();
        _initializers[name] = tensor;
    }

    /// <summary>The tensor under the node's output name (an attribute's tensor is often unnamed), sharing the stored data.</summary>
    private static OnnxTensor Copy(OnnxTensor source, string name)
    {
        var tensor = new OnnxTensor { Name = name, DataType = source.DataType, RawData = source.RawData };
        tensor.Dims.AddRange(source.Dims);
        tensor.FloatData.AddRange(source.FloatData);
        tensor.Int32Data.AddRange(source.Int32Data);
        tensor.Int64Data.AddRange(source.Int64Data);
        tensor.DoubleData.AddRange(source.DoubleData);
        return tensor;
    }

    /// <summary>An operand that must be known at import time: an initializer or a Constant node's output.</summary>
    private OnnxTensor Constant(OnnxNode node, int index, string role)
    {
        if (!HasInput(node, index))
        {
            throw Unsupported($"{role} (input {index}) is missing");
        }
        if (!_initializers.TryGetValue(node.Inputs[index], out OnnxTensor? tensor))
        {
            throw Unsupported($"{role} (input {index}) '{node.Inputs[index]}' must be an initializer or a Constant, not a computed tensor");
        }
        return tensor;
    }
}
