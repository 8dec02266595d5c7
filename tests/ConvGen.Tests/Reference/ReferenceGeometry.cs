using System;

namespace ConvGen.Tests.Reference;

/// <summary>
/// Output size and leading padding of a sliding window along one axis, written from the
/// TensorFlow / Keras definition: valid keeps only windows that fit; same produces
/// <c>ceil(input / stride)</c> outputs and puts the odd padding cell after the input.
/// </summary>
public static class ReferenceGeometry
{
    public static (int Output, int PadBefore) Axis(int input, int kernel, int stride, int dilation, bool same)
    {
        int span = (kernel - 1) * dilation + 1;
        if (!same)
        {
            if (input < span)
            {
                throw new ArgumentException($"a window spanning {span} does not fit an input of {input} without padding");
            }
            return ((input - span) / stride + 1, 0);
        }
        int output = (input + stride - 1) / stride;
        int totalPadding = Math.Max((output - 1) * stride + span - input, 0);
        return (output, totalPadding / 2);
    }
}
