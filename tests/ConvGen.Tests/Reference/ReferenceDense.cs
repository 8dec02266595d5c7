namespace ConvGen.Tests.Reference;

/// <summary>A fully connected layer by definition: <c>y[o] = bias[o] + sum_i x[i] * W[i][o]</c>.</summary>
public static class ReferenceDense
{
    /// <param name="weights">IO: <c>[inputs][units]</c>.</param>
    /// <param name="bias">One value per unit, or null.</param>
    public static ReferenceTensor Forward(ReferenceTensor input, double[] weights, double[]? bias, int units)
    {
        int inputs = input.SampleLength;
        // Keras applies Dense on the last axis: a 1x1 map stays a 1x1 map.
        var output = new ReferenceTensor(input.Batch, 1, 1, units, rank: input.Rank);
        for (int n = 0; n < input.Batch; n++)
        for (int o = 0; o < units; o++)
        {
            double sum = bias?[o] ?? 0.0;
            for (int i = 0; i < inputs; i++)
            {
                sum += input.Values[n * inputs + i] * weights[i * units + o];
            }
            output.Values[n * units + o] = sum;
        }
        return output;
    }
}
