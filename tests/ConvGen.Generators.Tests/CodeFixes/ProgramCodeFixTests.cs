using System.Threading.Tasks;
using ConvGen.CodeFixes.Fixes;

namespace ConvGen.Generators.Tests.CodeFixes;

/// <summary>
/// The fixes on <see cref="ProgramAnalyzer"/>'s diagnostics (CG0210, CG0212), on programs around
/// <see cref="ProgramChecks.CatalogueNetworks"/>, with the fixed program checked to be free of them.
/// </summary>
public sealed class ProgramCodeFixTests
{
    private const string Data = "IDataSource train = LoadData();\n";
    private const string End = "\nstatic IDataSource LoadData() => throw new NotSupportedException(\"a data set\");\n";

    // ---- CG0210: the loss that fits the last activation ----

    [Fact]
    public Task Binary_loss_on_a_softmax_network_becomes_softmax_cross_entropy() => ProgramCodeFixTest<UseFittingLossCodeFix>.VerifyAsync(
        Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = {|CG0210:new SigmoidBinaryCrossEntropy()|}, Optimizer = new Adam(1e-3f) });" + End,
        Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f) });" + End);

    [Fact]
    public Task Sparse_loss_on_a_sigmoid_network_becomes_binary_cross_entropy_keeping_the_namespace() => ProgramCodeFixTest<UseFittingLossCodeFix>.VerifyAsync(
        Data + "var net = CatNet.Create(seed: 1);\nvar result = net.Evaluate(train, {|CG0210:new ConvGen.Training.SparseSoftmaxCrossEntropy()|});" + End,
        Data + "var net = CatNet.Create(seed: 1);\nvar result = net.Evaluate(train, new ConvGen.Training.SigmoidBinaryCrossEntropy());" + End);

    [Fact]
    public Task Loss_named_by_keras_name_gets_the_fitting_keras_name() => ProgramCodeFixTest<UseFittingLossCodeFix>.VerifyAsync(
        Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = {|CG0210:Losses.For(\"binary_crossentropy\")|}, Optimizer = new Adam(1e-3f) });" + End,
        Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = Losses.For(\"categorical_crossentropy\"), Optimizer = new Adam(1e-3f) });" + End);

    [Fact]
    public Task No_loss_is_offered_for_a_tanh_output() => ProgramCodeFixTest<UseFittingLossCodeFix>.VerifyNoFixAsync(
        Data + "var net = TanhNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = {|CG0210:new SoftmaxCrossEntropy()|}, Optimizer = new Sgd(0.01f) });" + End);

    // ---- CG0212: the buffer length from the network's constants ----
    // The buffers are written inside the call: a buffer made on an earlier line is reported there,
    // outside the call the analyzer inspects, which Roslyn's test harness treats as a non-local
    // diagnostic and refuses to fix.

    [Fact]
    public Task Output_array_is_sized_with_OutputLength() => ProgramCodeFixTest<UseNetworkLengthCodeFix>.VerifyAsync(
        "var net = DigitNet.Create(seed: 1);\nvar image = new float[784];\nnet.Predict(image, {|CG0212:new float[1]|});\n",
        "var net = DigitNet.Create(seed: 1);\nvar image = new float[784];\nnet.Predict(image, new float[DigitNet.OutputLength]);\n");

    [Fact]
    public Task Stackalloc_of_a_batch_is_sized_with_the_batch_times_OutputLength() => ProgramCodeFixTest<UseNetworkLengthCodeFix>.VerifyAsync(
        "var net = DigitNet.Create(seed: 1);\nvar images = new float[3 * 784];\nnet.Predict(images, {|CG0212:stackalloc float[10]|});\n",
        "var net = DigitNet.Create(seed: 1);\nvar images = new float[3 * 784];\nnet.Predict(images, stackalloc float[3 * DigitNet.OutputLength]);\n");

    [Fact]
    public Task Too_short_input_is_sized_with_InputLength() => ProgramCodeFixTest<UseNetworkLengthCodeFix>.VerifyAsync(
        "var net = DigitNet.Create(seed: 1);\nvar scores = new float[10];\nnet.Predict({|CG0212:new float[100]|}, scores);\n",
        "var net = DigitNet.Create(seed: 1);\nvar scores = new float[10];\nnet.Predict(new float[DigitNet.InputLength], scores);\n");

    [Fact]
    public Task Buffer_given_by_its_values_is_not_resized() => ProgramCodeFixTest<UseNetworkLengthCodeFix>.VerifyNoFixAsync(
        "var net = TanhNet.Create(seed: 1);\nvar scores = new float[2];\nnet.Predict({|CG0212:new float[] { 1, 2, 3 }|}, scores);\n");
}
