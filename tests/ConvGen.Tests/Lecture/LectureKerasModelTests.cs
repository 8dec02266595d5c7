using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests.Lecture;

/// <summary>
/// The lecture's Keras model (Networks/LectureNet.cs, 80x80x3 to 8 classes) as built by the
/// normal compile, checked layer by layer against the references, and its text-form twin
/// checked to compute exactly the same thing.
/// </summary>
public sealed class LectureKerasModelTests
{
    private static readonly ForwardCase Model = new("LectureNet", 80, 80, 3,
        new Conv2DLayer(8, 3, 3, Activation: Activation.Relu),
        new Pool2DLayer(true, 2, 2),
        new Conv2DLayer(16, 3, 3, Activation: Activation.Relu),
        new Pool2DLayer(true, 2, 2),
        new FlattenLayer(),
        new DenseLayer(64, Activation.Relu),
        new DropoutLayer(0.5),
        new DenseLayer(8, Activation.Softmax));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Attribute_form_matches_the_reference_chain(int batch) => ForwardCheck.Run(new LectureNet(), Model, batch);

    [Fact]
    public void Text_form_computes_exactly_what_the_attribute_form_computes()
    {
        var attributes = new LectureNet();
        var text = new LectureNetText();
        attributes.InitializeParameters(seed: 42);
        text.InitializeParameters(seed: 42);
        Assert.Equal(attributes.Parameters.ToArray(), text.Parameters.ToArray());

        var inputs = SeededData.Uniform(2 * LectureNet.InputLength, seed: 7);
        var fromAttributes = new float[2 * LectureNet.OutputLength];
        var fromText = new float[2 * LectureNetText.OutputLength];
        attributes.Predict(inputs, fromAttributes);
        text.Predict(inputs, fromText);

        Assert.Equal(fromAttributes, fromText);
    }
}
