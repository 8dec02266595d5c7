using System;

namespace ConvGen;

/// <summary>
/// Marks a <c>partial</c> class as a ConvGen network. The layers follow as attributes in source
/// order on the same declaration, or as text in <see cref="Layers"/>.
/// </summary>
/// <example>
/// <code>
/// [Network(Input = "28x28x1")]
/// [Conv2D(8, 3, Activation = Activation.Relu)]
/// [MaxPool2D(2)]
/// [Flatten]
/// [Dense(10, Activation = Activation.Softmax)]
/// public sealed partial class TinyNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Creates the marker; set <see cref="Input"/> (and optionally <see cref="Layers"/>).</summary>
    public NetworkAttribute() { }

    /// <summary>Creates the marker from the compact text form (see <see cref="Layers"/>).</summary>
    /// <param name="layers">One layer per line, e.g. <c>"input 28x28x1\nconv2d 8 3 relu\nflatten\ndense 10 softmax"</c>.</param>
    public NetworkAttribute(string layers) => Layers = layers;

    /// <summary>Input shape as <c>"HxWxC"</c> (height x width x channels, channels last), e.g. <c>"80x80x3"</c>.</summary>
    public string? Input { get; set; }

    /// <summary>
    /// The compact text form: one layer per line, <c>kind positional... key=value...</c>, e.g.
    /// <c>conv2d 16 3x3 stride=2 padding=same relu</c>. An optional first line <c>input HxWxC</c>
    /// replaces <see cref="Input"/>. Lines starting with <c>#</c> are comments.
    /// </summary>
    public string? Layers { get; set; }
}
