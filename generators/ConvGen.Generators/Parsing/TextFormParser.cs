using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Parsing;

/// <summary>
/// The compact text form: one layer per line, <c>kind positional... option=value... flags...</c>.
/// <code>
/// input 80x80x3
/// conv2d 8 3 relu            # filters, kernel (N or HxW)
/// maxpool2d 2 stride=2 same
/// flatten
/// dense 64 relu name=hidden
/// dropout 0.5
/// dense 8 softmax
/// </code>
/// Graphs: <c>input=NAME</c> reads an earlier layer instead of the previous one, <c>add A B</c>
/// sums two earlier layers; <c>pads=TOP,BOTTOM,LEFT,RIGHT</c> pads explicitly;
/// <c>batchnorm eps=1e-5 momentum=0.9</c>.
/// Pure: positions are reported as (line, column) within the text, 1-based, and mapped to
/// source by the caller.
/// </summary>
internal static class TextFormParser
{
    internal sealed record TextError(int Line, int Column, int Length, string Message);

    internal sealed record TextLayer(LayerSpec Layer, int Line, int Column, int Length);

    internal sealed record Result(InputSpec? Input, bool HasInputLine, int InputLine, int InputColumn, string? InputText, List<TextLayer> Layers, List<TextError> Errors);

    private static readonly Dictionary<string, ActivationKind> s_activations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["linear"] = ActivationKind.Linear,
        ["relu"] = ActivationKind.Relu,
        ["leaky_relu"] = ActivationKind.LeakyRelu,
        ["leakyrelu"] = ActivationKind.LeakyRelu,
        ["sigmoid"] = ActivationKind.Sigmoid,
        ["tanh"] = ActivationKind.Tanh,
        ["softmax"] = ActivationKind.Softmax,
        ["elu"] = ActivationKind.Elu,
        ["gelu"] = ActivationKind.Gelu,
        ["relu6"] = ActivationKind.Relu6,
        ["hard_sigmoid"] = ActivationKind.HardSigmoid,
        ["hardsigmoid"] = ActivationKind.HardSigmoid,
        ["hard_swish"] = ActivationKind.HardSwish,
        ["hardswish"] = ActivationKind.HardSwish,
        ["silu"] = ActivationKind.Silu,
        ["swish"] = ActivationKind.Silu,
        ["mish"] = ActivationKind.Mish,
    };

    /// <summary>Whether the unknown-activation message lists <paramref name="key"/>: every name except the spellings without underscores (<c>leakyrelu</c> for <c>leaky_relu</c>).</summary>
    private static bool IsListedActivationName(string key) =>
        key.IndexOf('_') >= 0 || !s_activations.Keys.Any(other => other.IndexOf('_') >= 0 && other.Replace("_", "") == key);

    /// <summary>The kinds as the unknown-layer message lists them: each kind's first name, in declaration order.</summary>
    private static string KindList(LayerTable<ILayerSyntax> kinds) =>
        string.Join(", ", kinds.All.Select(k => k.TextNames[0] + ((k.Options & LayerOptions.ActivationLine) != 0 ? " (or an activation name)" : "")));

    public static Result Parse(string text, LayerTable<ILayerSyntax> kinds)
    {
        var layers = new List<TextLayer>();
        var errors = new List<TextError>();
        InputSpec? input = null;
        bool hasInput = false;
        int inputLine = 0;
        int inputColumn = 0;
        string? inputText = null;
        var lines = text.Split('\n');
        for (int lineIndex = 0; lineIndex < lines.Length; lineIndex++)
        {
            int lineNumber = lineIndex + 1;
            var tokens = Tokenize(lines[lineIndex]);
            if (tokens.Count == 0)
            {
                continue;
            }
            var head = tokens[0];
            int lineLength = tokens[tokens.Count - 1].Column + tokens[tokens.Count - 1].Text.Length - head.Column;
            if (head.Text.Equals("input", StringComparison.OrdinalIgnoreCase))
            {
                if (hasInput || layers.Count > 0)
                {
                    errors.Add(new TextError(lineNumber, head.Column, head.Text.Length, "'input' must be the first line and appear once"));
                    continue;
                }
                hasInput = true;
                inputLine = lineNumber;
                inputColumn = head.Column;
                inputText = tokens.Count > 1 ? tokens[1].Text : "";
                input = tokens.Count == 2 ? InputShapeParser.Parse(tokens[1].Text) : null;
                if (input is null)
                {
                    var at = tokens.Count > 1 ? tokens[1] : head;
                    errors.Add(new TextError(lineNumber, at.Column, at.Text.Length,
                        $"'{string.Join(" ", tokens.Skip(1).Select(t => t.Text))}' is not an input shape; expected 'input HxWxC' with three positive integers, e.g. 'input 28x28x1'"));
                }
                continue;
            }
            var layer = ParseLayer(tokens, lineNumber, errors, kinds);
            if (layer is not null)
            {
                layers.Add(new TextLayer(layer, lineNumber, head.Column, lineLength));
            }
        }
        return new Result(input, hasInput, inputLine, inputColumn, inputText, layers, errors);
    }

    private static LayerSpec? ParseLayer(List<TextToken> tokens, int line, List<TextError> errors, LayerTable<ILayerSyntax> kinds)
    {
        var head = tokens[0];
        LayerSpec spec;
        int firstOption = 1;
        var kind = kinds.ByTextName(head.Text);
        if (s_activations.TryGetValue(head.Text, out var bareActivation) && kinds.WithOption(LayerOptions.ActivationLine) is { } activationLine)
        {
            spec = LayerSpec.Of(activationLine.Kind, null) with { Activation = bareActivation };
        }
        else if (kind is not null && (kind.Options & LayerOptions.ManySources) != 0)
        {
            // Every name up to the first key=value option; at least two.
            var names = tokens.Skip(1).TakeWhile(t => t.Text.IndexOf('=') < 0).ToList();
            if (names.Count < 2)
            {
                var at = names.Count == 1 ? names[0] : head;
                errors.Add(new TextError(line, at.Column, at.Text.Length, $"{head.Text} takes the names of the two or more layers it joins; write {head.Text} NAME1 NAME2 ..., e.g. '{head.Text} up_sampling2d conv2d_1'"));
                return null;
            }
            spec = LayerSpec.Of(kind.Kind, null) with { Sources = new EquatableArray<string>(names.Select(t => t.Text)) };
            firstOption = 1 + names.Count;
        }
        else if (kind is not null && (kind.Options & LayerOptions.NamedSources) != 0)
        {
            var names = tokens.Skip(1).Take(2).ToList();
            if (names.Count < 2 || names.Any(t => t.Text.IndexOf('=') >= 0))
            {
                var at = names.FirstOrDefault(t => t.Text.IndexOf('=') >= 0) is { Text: not null } bad ? bad : head;
                errors.Add(new TextError(line, at.Column, at.Text.Length, kind.Kind == LayerKind.Add
                    ? "add takes the names of the two layers it sums; write add NAME1 NAME2, e.g. 'add conv2d_3 block1 relu'"
                    : $"{head.Text.ToLowerInvariant()} takes the names of its two source layers; write {kind.TextUsage(head.Text.ToLowerInvariant())}"));
                return null;
            }
            spec = LayerSpec.Of(kind.Kind, null) with { Sources = new EquatableArray<string>(names.Select(t => t.Text)) };
            firstOption = 3;
        }
        else if (kind is not null)
        {
            spec = LayerSpec.Of(kind.Kind, null);
            var positional = tokens.Skip(1).TakeWhile(t => t.Text.IndexOf('=') < 0 && (char.IsDigit(t.Text[0]) || t.Text[0] is '-' or '.')).ToList();
            firstOption = 1 + positional.Count;
            if (!ApplyPositional(ref spec, kind, head, positional, line, errors))
            {
                return null;
            }
        }
        else
        {
            errors.Add(new TextError(line, head.Column, head.Text.Length, $"unknown layer '{head.Text}'; expected one of {KindList(kinds)}"));
            return null;
        }

        bool ok = true;
        foreach (var token in tokens.Skip(firstOption))
        {
            ok &= ApplyOption(ref spec, kinds[spec.Kind], token, line, errors);
        }
        return ok ? spec : null;
    }

    private static bool ApplyPositional(ref LayerSpec spec, ILayerSyntax kind, TextToken head, List<TextToken> values, int line, List<TextError> errors)
    {
        int expected = kind.TextNumberCount;
        if (!kind.TakesTextNumbers(values.Count))
        {
            var at = values.Count > expected ? values[expected] : head;
            var counts = Enumerable.Range(0, expected + 1).Where(kind.TakesTextNumbers).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
            string count = counts.Count == 1 ? counts[0] : string.Join(", ", counts.Take(counts.Count - 1)) + " or " + counts[counts.Count - 1];
            errors.Add(new TextError(line, at.Column, at.Text.Length,
                $"{head.Text} takes {count} number{(expected == 1 ? "" : "s")} but {values.Count} {(values.Count == 1 ? "was" : "were")} given; write {kind.TextUsage(head.Text.ToLowerInvariant())}"));
            return false;
        }
        return kind.FromText(new TextNumbers(values, line, errors), ref spec);
    }

    private static bool ApplyOption(ref LayerSpec spec, ILayerSyntax kind, TextToken token, int line, List<TextError> errors)
    {
        var options = kind.Options;
        int eq = token.Text.IndexOf('=');
        string key = eq < 0 ? token.Text : token.Text.Substring(0, eq);
        string value = eq < 0 ? "" : token.Text.Substring(eq + 1);
        var valueToken = new TextToken(value, token.Column + eq + 1);
        if (eq < 0)
        {
            if (s_activations.TryGetValue(key, out var activation) && Takes(options, LayerOptions.Activation))
            {
                spec = spec with { Activation = activation };
                return true;
            }
            if (key.Equals("same", StringComparison.OrdinalIgnoreCase) || key.Equals("valid", StringComparison.OrdinalIgnoreCase))
            {
                return ApplyOption(ref spec, kind, new TextToken("padding=" + key, token.Column - "padding=".Length), line, errors);
            }
            if (key.Equals("nobias", StringComparison.OrdinalIgnoreCase) && Takes(options, LayerOptions.Bias))
            {
                spec = spec with { UseBias = false };
                return true;
            }
            errors.Add(new TextError(line, token.Column, token.Text.Length, $"unexpected '{token.Text}' for {spec.Kind}; options are written key=value, e.g. stride=2, padding=same, activation=relu, name=conv1"));
            return false;
        }

        switch (key.ToLowerInvariant())
        {
            case "name" when value.Length > 0:
                spec = spec with { Name = value };
                return true;
            case "stride" when Takes(options, LayerOptions.Window):
                if (!TextNumbers.TryInt(valueToken, line, "stride", errors, out int stride)) return false;
                spec = spec with { Stride = stride };
                return true;
            case "dilation" when Takes(options, LayerOptions.Dilation):
                if (!TextNumbers.TryInt(valueToken, line, "dilation", errors, out int dilation)) return false;
                spec = spec with { Dilation = dilation };
                return true;
            case "padding" when Takes(options, LayerOptions.Window):
                if (value.Equals("same", StringComparison.OrdinalIgnoreCase)) { spec = spec with { Padding = PaddingKind.Same }; return true; }
                if (value.Equals("valid", StringComparison.OrdinalIgnoreCase)) { spec = spec with { Padding = PaddingKind.Valid }; return true; }
                errors.Add(new TextError(line, valueToken.Column, value.Length, $"padding '{value}' is not valid or same"));
                return false;
            case "activation" when Takes(options, LayerOptions.Activation):
                if (s_activations.TryGetValue(value, out var activation)) { spec = spec with { Activation = activation }; return true; }
                errors.Add(new TextError(line, valueToken.Column, value.Length, $"unknown activation '{value}'; expected one of {string.Join(", ", s_activations.Keys.Where(IsListedActivationName))}"));
                return false;
            case "alpha" when Takes(options, LayerOptions.Activation):
                if (!TextNumbers.TryDouble(valueToken, line, "alpha", errors, out double alpha)) return false;
                spec = spec with { Alpha = alpha, HasAlpha = true };
                return true;
            case "bias" or "use_bias" when Takes(options, LayerOptions.Bias):
                if (bool.TryParse(value, out bool useBias)) { spec = spec with { UseBias = useBias }; return true; }
                errors.Add(new TextError(line, valueToken.Column, value.Length, $"'{value}' is not true or false"));
                return false;
            case "input" when value.Length > 0 && !Takes(options, LayerOptions.NamedSources):
                spec = spec with { Sources = new EquatableArray<string>(new[] { value }) };
                return true;
            case "pads" when Takes(options, LayerOptions.Window):
            {
                var sides = value.Split(',');
                var numbers = new int[4];
                if (sides.Length != 4 || !sides.Select((text, k) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numbers[k])).All(ok => ok))
                {
                    errors.Add(new TextError(line, valueToken.Column, Math.Max(1, value.Length), $"'{value}' is not four whole numbers; write pads=TOP,BOTTOM,LEFT,RIGHT, e.g. pads=1,0,1,0"));
                    return false;
                }
                spec = spec with { Pads = new ExplicitPadding(numbers[0], numbers[1], numbers[2], numbers[3]) };
                return true;
            }
            case "eps" or "epsilon" when Takes(options, LayerOptions.Statistics):
                if (!TextNumbers.TryDouble(valueToken, line, "epsilon", errors, out double epsilon)) return false;
                spec = spec with { Epsilon = epsilon };
                return true;
            case "momentum" when Takes(options, LayerOptions.Statistics):
                if (!TextNumbers.TryDouble(valueToken, line, "momentum", errors, out double momentum)) return false;
                spec = spec with { Momentum = momentum };
                return true;
            default:
                // Options only this kind has (key=value) are its descriptor's to read.
                if (kind.ReadTextOption(key.ToLowerInvariant(), new TextNumbers(new[] { valueToken }, line, errors), ref spec) is { } read)
                {
                    return read;
                }
                errors.Add(new TextError(line, token.Column, key.Length, $"{spec.Kind} has no option '{key}'"));
                return false;
        }
    }

    private static bool Takes(LayerOptions options, LayerOptions option) => (options & option) != 0;

    /// <summary>Splits on white space and commas; drops a trailing <c>#</c> comment. Columns are 1-based.</summary>
    private static List<TextToken> Tokenize(string line)
    {
        var tokens = new List<TextToken>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '#')
            {
                break;
            }
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
                continue;
            }
            int start = i;
            bool hasValue = false;
            // A comma ends a token, except inside a key=value whose value is a list (pads=1,0,1,0).
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#'
                && (line[i] != ',' || hasValue && i + 1 < line.Length && (char.IsDigit(line[i + 1]) || line[i + 1] == '-')))
            {
                hasValue |= line[i] == '=';
                i++;
            }
            tokens.Add(new TextToken(line.Substring(start, i - start), start + 1));
        }
        return tokens;
    }
}
