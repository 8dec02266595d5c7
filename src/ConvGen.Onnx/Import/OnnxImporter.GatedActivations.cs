using System.Collections.Generic;
using System.Linq;
using ConvGen.Onnx.Model;

namespace ConvGen.Onnx.Import;

/// <summary>
/// SiLU and HardSwish written as products, <c>x · Sigmoid(x)</c> and <c>x · HardSigmoid(x)</c>
/// (how ConvGen's opset-13 export writes them): read back as the one activation, fused into the
/// layer that produced x when nothing else reads x.
/// </summary>
public sealed partial class OnnxImporter
{
    private bool TryFuseGatedActivation(OnnxNode mul)
    {
        if (mul.Inputs.Count != 2 || _layers.Count == 0)
        {
            return false;
        }
        for (int gateIndex = 0; gateIndex < 2; gateIndex++)
        {
            string gate = mul.Inputs[gateIndex], input = mul.Inputs[1 - gateIndex];
            ImportedLayer last = _layers[^1];
            if (!_values.TryGetValue(gate, out Value? g) || !_values.TryGetValue(input, out Value? x) || g.Layer != last.Name
                || last is not { Kind: ImportedLayerKind.Activation, Activation: Activation.Sigmoid or Activation.HardSigmoid } || last.Inputs[0] != x.Layer
                || _consumers.GetValueOrDefault(gate) != 1 || _consumers.GetValueOrDefault(input) != 2
                || !Readers(input).Any(n => n.OpType is "Sigmoid" or "HardSigmoid" && n.Outputs.Count > 0 && n.Outputs[0] == gate))
            {
                continue;
            }
            Activation product = last.Activation == Activation.Sigmoid ? Activation.Silu : Activation.HardSwish;
            _layers.RemoveAt(_layers.Count - 1);
            ImportedLayer? producer = _layers.Count > 0 ? _layers[^1] : null;
            if (producer is { Kind: ImportedLayerKind.Conv2D or ImportedLayerKind.DepthwiseConv2D or ImportedLayerKind.Dense or ImportedLayerKind.Add, Activation: Activation.Linear }
                && producer.Name == x.Layer && x.FlattenedFrom is null)
            {
                _layers[^1] = producer with { Activation = product, SourceNodes = [.. producer.SourceNodes, .. last.SourceNodes, Describe(mul)] };
            }
            else
            {
                _layers.Add(last with { Activation = product, SourceNodes = [.. last.SourceNodes, Describe(mul)] });
                x = x with { Layer = last.Name };
            }
            _values[mul.Outputs[0]] = x;
            return true;
        }
        return false;
    }
}
