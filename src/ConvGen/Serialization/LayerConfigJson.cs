using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ConvGen.Serialization;

/// <summary>
/// The layers' <see cref="LayerConfig"/> records as the weights file's <c>layer_configs</c>
/// metadata entry: a JSON array with one object per layer (<c>null</c> for a layer without one),
/// each with a <c>type</c> and the record's fields in snake case. The entry is absent in files
/// written before it existed; such files still load, their layers without a configuration.
/// </summary>
internal static class LayerConfigJson
{
    /// <summary>Metadata key of the entry.</summary>
    public const string Key = "layer_configs";

    // Every layer is one small object; a deeper document is not one this writer made.
    private const int MaxDepth = 4;

    /// <summary>The entry for <paramref name="layers"/>, in table order.</summary>
    public static string Write(IReadOnlyList<LayerInfo> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (LayerInfo layer in layers)
            {
                WriteOne(json, layer.Config);
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOne(Utf8JsonWriter json, LayerConfig? config)
    {
        if (config is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        switch (config)
        {
            case ConvolutionConfig c:
                json.WriteString("type", "convolution");
                json.WriteNumber("filters", c.Filters);
                WriteWindow(json, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth);
                json.WriteNumber("dilation_height", c.DilationHeight);
                json.WriteNumber("dilation_width", c.DilationWidth);
                WritePads(json, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding);
                WriteActivation(json, c.Activation, c.Alpha);
                json.WriteBoolean("use_bias", c.UseBias);
                break;
            case PoolConfig p:
                json.WriteString("type", "pool");
                WriteWindow(json, p.KernelHeight, p.KernelWidth, p.StrideHeight, p.StrideWidth);
                WritePads(json, p.PadTop, p.PadBottom, p.PadLeft, p.PadRight, p.Padding, p.ExplicitPadding);
                break;
            case GlobalPoolConfig:
                json.WriteString("type", "global_pool");
                break;
            case FlattenConfig:
                json.WriteString("type", "flatten");
                break;
            case DenseConfig d:
                json.WriteString("type", "dense");
                json.WriteNumber("units", d.Units);
                WriteActivation(json, d.Activation, d.Alpha);
                json.WriteBoolean("use_bias", d.UseBias);
                break;
            case DropoutConfig d:
                json.WriteString("type", "dropout");
                json.WriteNumber("rate", d.Rate);
                break;
            case ActivationConfig a:
                json.WriteString("type", "activation");
                WriteActivation(json, a.Activation, a.Alpha);
                break;
            case AddConfig a:
                json.WriteString("type", "add");
                WriteActivation(json, a.Activation, a.Alpha);
                break;
            case BatchNormConfig b:
                json.WriteString("type", "batch_norm");
                json.WriteNumber("epsilon", b.Epsilon);
                json.WriteNumber("momentum", b.Momentum);
                break;
            case TransposedConvolutionConfig c:
                json.WriteString("type", "transposed_convolution");
                json.WriteNumber("filters", c.Filters);
                WriteWindow(json, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth);
                json.WriteNumber("dilation_height", c.DilationHeight);
                json.WriteNumber("dilation_width", c.DilationWidth);
                json.WriteNumber("pad_top", c.PadTop);
                json.WriteNumber("pad_bottom", c.PadBottom);
                json.WriteNumber("pad_left", c.PadLeft);
                json.WriteNumber("pad_right", c.PadRight);
                json.WriteString("padding", c.Padding.ToString());
                json.WriteNumber("output_padding", c.OutputPadding);
                WriteActivation(json, c.Activation, c.Alpha);
                json.WriteBoolean("use_bias", c.UseBias);
                break;
            case UpSamplingConfig u:
                json.WriteString("type", "up_sampling");
                json.WriteNumber("size_height", u.SizeHeight);
                json.WriteNumber("size_width", u.SizeWidth);
                json.WriteString("interpolation", u.Interpolation.ToString());
                break;
            case ConcatenateConfig:
                json.WriteString("type", "concatenate");
                break;
            case CroppingConfig c:
                json.WriteString("type", "cropping");
                json.WriteNumber("top", c.Top);
                json.WriteNumber("bottom", c.Bottom);
                json.WriteNumber("left", c.Left);
                json.WriteNumber("right", c.Right);
                break;
            case DepthwiseConvolutionConfig c:
                json.WriteString("type", "depthwise_convolution");
                json.WriteNumber("depth_multiplier", c.DepthMultiplier);
                WriteWindow(json, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth);
                json.WriteNumber("dilation_height", c.DilationHeight);
                json.WriteNumber("dilation_width", c.DilationWidth);
                WritePads(json, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding);
                WriteActivation(json, c.Activation, c.Alpha);
                json.WriteBoolean("use_bias", c.UseBias);
                break;
            case SeparableConvolutionConfig c:
                json.WriteString("type", "separable_convolution");
                json.WriteNumber("filters", c.Filters);
                json.WriteNumber("depth_multiplier", c.DepthMultiplier);
                WriteWindow(json, c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth);
                json.WriteNumber("dilation_height", c.DilationHeight);
                json.WriteNumber("dilation_width", c.DilationWidth);
                WritePads(json, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Padding, c.ExplicitPadding);
                WriteActivation(json, c.Activation, c.Alpha);
                json.WriteBoolean("use_bias", c.UseBias);
                break;
            case ZeroPaddingConfig z:
                json.WriteString("type", "zero_padding");
                json.WriteNumber("top", z.Top);
                json.WriteNumber("bottom", z.Bottom);
                json.WriteNumber("left", z.Left);
                json.WriteNumber("right", z.Right);
                break;
            case MultiplyConfig:
                json.WriteString("type", "multiply");
                break;
            case ReshapeConfig r:
                json.WriteString("type", "reshape");
                json.WriteNumber("height", r.Height);
                json.WriteNumber("width", r.Width);
                json.WriteNumber("channels", r.Channels);
                json.WriteNumber("rank", r.Rank);
                break;
            case NormalizationConfig n:
                json.WriteString("type", "normalization");
                json.WriteNumber("groups", n.Groups);
                json.WriteNumber("epsilon", n.Epsilon);
                json.WriteBoolean("center", n.Center);
                json.WriteBoolean("scale", n.Scale);
                break;
            default:
                throw new NotSupportedException($"{config.GetType().Name} has no weights-file form.");
        }
        json.WriteEndObject();
    }

    private static void WriteWindow(Utf8JsonWriter json, int kh, int kw, int sh, int sw)
    {
        json.WriteNumber("kernel_height", kh);
        json.WriteNumber("kernel_width", kw);
        json.WriteNumber("stride_height", sh);
        json.WriteNumber("stride_width", sw);
    }

    private static void WritePads(Utf8JsonWriter json, int top, int bottom, int left, int right, Padding padding, bool explicitPadding)
    {
        json.WriteNumber("pad_top", top);
        json.WriteNumber("pad_bottom", bottom);
        json.WriteNumber("pad_left", left);
        json.WriteNumber("pad_right", right);
        json.WriteString("padding", padding.ToString());
        json.WriteBoolean("explicit_padding", explicitPadding);
    }

    private static void WriteActivation(Utf8JsonWriter json, Activation activation, float alpha)
    {
        json.WriteString("activation", activation.ToString());
        json.WriteNumber("alpha", alpha);
    }

    /// <summary>
    /// <paramref name="layers"/> with the configurations of <paramref name="text"/> (the entry
    /// read from <paramref name="path"/>) attached.
    /// </summary>
    /// <exception cref="InvalidDataException">The entry is not such an array, has another length than the layer table, or an object that does not fit its layer; the message names the row and the field.</exception>
    public static LayerInfo[] Attach(string path, string text, IReadOnlyList<LayerInfo> layers)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: metadata '{Key}' is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            JsonElement array = document.RootElement;
            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != layers.Count)
            {
                throw new InvalidDataException($"{path}: metadata '{Key}' is not a JSON array with one entry per layer ({layers.Count}).");
            }
            return array.EnumerateArray().Select((element, row) => layers[row] with { Config = new Reader(path, layers[row], element).Read() }).ToArray();
        }
    }

    /// <summary>Reads one layer's object, every field checked against the range the generator produces.</summary>
    private sealed class Reader(string path, LayerInfo layer, JsonElement element)
    {
        public LayerConfig? Read()
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error($"is {element.ValueKind}, not an object or null");
            }
            string type = element.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw Error("has no string 'type'");
            (LayerConfig Config, string[] Kinds) read = type switch
            {
                "convolution" => (new ConvolutionConfig(Int("filters", 1), Int("kernel_height", 1), Int("kernel_width", 1), Int("stride_height", 1), Int("stride_width", 1),
                    Int("dilation_height", 1), Int("dilation_width", 1), Int("pad_top", 0), Int("pad_bottom", 0), Int("pad_left", 0), Int("pad_right", 0),
                    Enum<Padding>("padding"), Bool("explicit_padding"), Enum<Activation>("activation"), Float("alpha"), Bool("use_bias")), ["Conv2D"]),
                "pool" => (new PoolConfig(Int("kernel_height", 1), Int("kernel_width", 1), Int("stride_height", 1), Int("stride_width", 1),
                    Int("pad_top", 0), Int("pad_bottom", 0), Int("pad_left", 0), Int("pad_right", 0), Enum<Padding>("padding"), Bool("explicit_padding")), ["MaxPool2D", "AvgPool2D"]),
                "global_pool" => (new GlobalPoolConfig(), ["GlobalMaxPool2D", "GlobalAvgPool2D"]),
                "flatten" => (new FlattenConfig(), ["Flatten"]),
                "dense" => (new DenseConfig(Int("units", 1), Enum<Activation>("activation"), Float("alpha"), Bool("use_bias")), ["Dense"]),
                "dropout" => (new DropoutConfig(Double("rate")), ["Dropout"]),
                "activation" => (new ActivationConfig(Enum<Activation>("activation"), Float("alpha")), ["Activation"]),
                "add" => (new AddConfig(Enum<Activation>("activation"), Float("alpha")), ["Add"]),
                "batch_norm" => (new BatchNormConfig(Double("epsilon"), Double("momentum")), ["BatchNorm"]),
                "transposed_convolution" => (TransposedConvolution(), ["Conv2DTranspose"]),
                "up_sampling" => (new UpSamplingConfig(Int("size_height", 1), Int("size_width", 1), Enum<UpSamplingInterpolation>("interpolation")), ["UpSampling2D"]),
                "concatenate" => (new ConcatenateConfig(), ["Concatenate"]),
                "cropping" => (new CroppingConfig(Int("top", 0), Int("bottom", 0), Int("left", 0), Int("right", 0)), ["Cropping2D"]),
                "depthwise_convolution" => (new DepthwiseConvolutionConfig(Int("depth_multiplier", 1), Int("kernel_height", 1), Int("kernel_width", 1), Int("stride_height", 1), Int("stride_width", 1),
                    Int("dilation_height", 1), Int("dilation_width", 1), Int("pad_top", 0), Int("pad_bottom", 0), Int("pad_left", 0), Int("pad_right", 0),
                    Enum<Padding>("padding"), Bool("explicit_padding"), Enum<Activation>("activation"), Float("alpha"), Bool("use_bias")), ["DepthwiseConv2D"]),
                "separable_convolution" => (new SeparableConvolutionConfig(Int("filters", 1), Int("depth_multiplier", 1), Int("kernel_height", 1), Int("kernel_width", 1),
                    Int("stride_height", 1), Int("stride_width", 1), Int("dilation_height", 1), Int("dilation_width", 1), Int("pad_top", 0), Int("pad_bottom", 0), Int("pad_left", 0), Int("pad_right", 0),
                    Enum<Padding>("padding"), Bool("explicit_padding"), Enum<Activation>("activation"), Float("alpha"), Bool("use_bias")), ["SeparableConv2D"]),
                "zero_padding" => (new ZeroPaddingConfig(Int("top", 0), Int("bottom", 0), Int("left", 0), Int("right", 0)), ["ZeroPadding2D"]),
                "multiply" => (new MultiplyConfig(), ["Multiply"]),
                "reshape" => (Reshape(), ["Reshape"]),
                "normalization" => (new NormalizationConfig(Int("groups", 1), Double("epsilon"), Bool("center"), Bool("scale")), ["GroupNormalization", "LayerNormalization"]),
                _ => throw Error($"has the unknown type '{SafeTensorsHeader.Quote(type)}'"),
            };
            var (config, kinds) = read;
            if (!kinds.Contains(layer.Kind))
            {
                throw Error($"is a '{type}' configuration, which does not fit a {SafeTensorsHeader.Quote(layer.Kind)} layer");
            }
            return config;
        }

        /// <summary>The far pads may be negative (rows the output padding adds), by less than the stride.</summary>
        private TransposedConvolutionConfig TransposedConvolution()
        {
            int strideHeight = Int("stride_height", 1), strideWidth = Int("stride_width", 1);
            return new TransposedConvolutionConfig(Int("filters", 1), Int("kernel_height", 1), Int("kernel_width", 1), strideHeight, strideWidth,
                Int("dilation_height", 1), Int("dilation_width", 1), Int("pad_top", 0), Int("pad_bottom", 1 - strideHeight), Int("pad_left", 0), Int("pad_right", 1 - strideWidth),
                Enum<Padding>("padding"), Int("output_padding", -1), Enum<Activation>("activation"), Float("alpha"), Bool("use_bias"));
        }

        private ReshapeConfig Reshape()
        {
            int rank = Int("rank", 1);
            return rank is 1 or 3
                ? new ReshapeConfig(Int("height", 1), Int("width", 1), Int("channels", 1), rank)
                : throw Error($"field 'rank' = {rank} is neither 1 nor 3");
        }

        private JsonElement Field(string name) =>
            element.TryGetProperty(name, out JsonElement value) ? value : throw Error($"has no field '{name}'");

        private int Int(string name, int minimum)
        {
            JsonElement value = Field(name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= minimum
                ? number
                : throw Error($"field '{name}' = {Shown(value)} is not a whole number of at least {minimum}");
        }

        private double Double(string name)
        {
            JsonElement value = Field(name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)
                ? number
                : throw Error($"field '{name}' = {Shown(value)} is not a finite number");
        }

        private float Float(string name)
        {
            double number = Double(name);
            return float.IsFinite((float)number) ? (float)number : throw Error($"field '{name}' = {number.ToString("R", CultureInfo.InvariantCulture)} does not fit a float");
        }

        private bool Bool(string name)
        {
            JsonElement value = Field(name);
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : throw Error($"field '{name}' = {Shown(value)} is not true or false");
        }

        private T Enum<T>(string name) where T : struct, Enum
        {
            JsonElement value = Field(name);
            return value.ValueKind == JsonValueKind.String && System.Enum.GetNames<T>().Contains(value.GetString())
                ? System.Enum.Parse<T>(value.GetString()!)
                : throw Error($"field '{name}' = {Shown(value)} is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
        }

        private static string Shown(JsonElement value)
        {
            string raw = value.GetRawText();
            return SafeTensorsHeader.Quote(raw.Length > 40 ? raw[..40] + "..." : raw);
        }

        private InvalidDataException Error(string problem) =>
            new($"{path}: metadata '{Key}' entry {layer.Index} (layer '{SafeTensorsHeader.Quote(layer.Name)}') {problem}.");
    }
}
