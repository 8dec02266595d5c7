using System.Collections.Generic;
using ConvGen.Generators.Diagnostics;

namespace ConvGen.Generators.Tests.ProgramChecks;

/// <summary>One mistaken training program: the span <c>[|...|]</c> marks where the diagnostic must be.</summary>
/// <param name="Corrected">The same program with the mistake fixed: compiles, and the analyzer is silent.</param>
internal sealed record Mistake(string Name, string Id, string Program, string Message, string Corrected);

/// <summary>
/// Realistic mistakes in programs around ConvGen networks (<see cref="CatalogueNetworks"/>), as a
/// student of a Keras or PyTorch course would make them.
/// </summary>
internal static class MistakeCatalogue
{
    private const string Data = "IDataSource train = LoadData();\n";
    private const string End = "\nstatic IDataSource LoadData() => throw new NotSupportedException(\"a data set\");\n";

    private static Mistake M(string name, string id, string program, string message, string corrected) =>
        new(name, id, CatalogueNetworks.Usings + program + End, message, CatalogueNetworks.Usings + corrected + End);

    public static readonly IReadOnlyList<Mistake> All = new[]
    {
        // ---- CG0210 / CG0211: the loss against the last activation ----
        M("binary cross-entropy on a softmax classifier", DiagnosticDescriptors.LossDoesNotFitActivationId,
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = [|new SigmoidBinaryCrossEntropy()|], Optimizer = new Adam(1e-3f) });",
            "SigmoidBinaryCrossEntropy expects network 'DigitNet' to end in sigmoid (or in no activation, giving logits), but its last activation is softmax (layer 'dense', output 10); use SoftmaxCrossEntropy for a softmax output",
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f) });"),
        M("sparse softmax cross-entropy on a sigmoid output", DiagnosticDescriptors.LossDoesNotFitActivationId,
            Data + "var net = CatNet.Create(seed: 1);\nvar options = new TrainingOptions { Loss = [|new SparseSoftmaxCrossEntropy()|], Optimizer = new Adam(1e-3f), Epochs = 5 };\nnet.Fit(train, options);",
            "SparseSoftmaxCrossEntropy expects network 'CatNet' to end in softmax (or in no activation, giving logits), but its last activation is sigmoid (layer 'dense', output 1); use SigmoidBinaryCrossEntropy for a sigmoid output",
            Data + "var net = CatNet.Create(seed: 1);\nvar options = new TrainingOptions { Loss = new SigmoidBinaryCrossEntropy(), Optimizer = new Adam(1e-3f), Epochs = 5 };\nnet.Fit(train, options);"),
        M("softmax cross-entropy on a tanh output", DiagnosticDescriptors.LossDoesNotFitActivationId,
            Data + "var net = TanhNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = [|new SoftmaxCrossEntropy()|], Optimizer = new Sgd(0.01f) });",
            "SoftmaxCrossEntropy expects network 'TanhNet' to end in softmax (or in no activation, giving logits), but its last activation is tanh (layer 'dense', output 2); change the last activation to softmax or to linear",
            Data + "var net = TanhNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new MeanSquaredError(), Optimizer = new Sgd(0.01f) });"),
        M("evaluation with the binary loss of another model", DiagnosticDescriptors.LossDoesNotFitActivationId,
            Data + "var net = DigitNet.Create(seed: 1);\nvar result = net.Evaluate(train, [|new SigmoidBinaryCrossEntropy()|]);\nConsole.WriteLine(result.Accuracy);",
            "SigmoidBinaryCrossEntropy expects network 'DigitNet' to end in sigmoid (or in no activation, giving logits), but its last activation is softmax (layer 'dense', output 10); use SoftmaxCrossEntropy for a softmax output",
            Data + "var net = DigitNet.Create(seed: 1);\nvar result = net.Evaluate(train, new SparseSoftmaxCrossEntropy());\nConsole.WriteLine(result.Accuracy);"),
        M("Keras loss name that does not fit, through a local", DiagnosticDescriptors.LossDoesNotFitActivationId,
            Data + "var net = DigitNet.Create(seed: 1);\nvar loss = [|Losses.For(\"binary_crossentropy\")|];\nnet.Fit(train, new TrainingOptions { Loss = loss, Optimizer = new Adam(1e-3f) });",
            "SigmoidBinaryCrossEntropy expects network 'DigitNet' to end in sigmoid (or in no activation, giving logits), but its last activation is softmax (layer 'dense', output 10); use SoftmaxCrossEntropy for a softmax output",
            Data + "var net = DigitNet.Create(seed: 1);\nvar loss = Losses.For(\"sparse_categorical_crossentropy\");\nnet.Fit(train, new TrainingOptions { Loss = loss, Optimizer = new Adam(1e-3f) });"),
        M("class loss on a per-pixel output", DiagnosticDescriptors.ClassificationLossOnSpatialOutputId,
            Data + "var net = EdgeNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = [|new SparseSoftmaxCrossEntropy()|], Optimizer = new Adam(1e-3f) });",
            "SparseSoftmaxCrossEntropy on network 'EdgeNet', whose output is the map 8x8x1: the loss takes one softmax per pixel over its channels, and over one channel that softmax is 1 at every pixel, so nothing is learned; give the last layer one channel per class, or use SigmoidBinaryCrossEntropy for a binary mask",
            Data + "var net = EdgeNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SigmoidBinaryCrossEntropy(), Optimizer = new Adam(1e-3f) });"),

        // ---- CG0212: buffer lengths ----
        M("one output float for ten classes", DiagnosticDescriptors.BufferLengthMismatchId,
            "var net = DigitNet.Create(seed: 1);\nvar image = new float[784];\nvar scores = [|new float[1]|];\nnet.Predict(image, scores);",
            "DigitNet.Predict: outputs holds 1 float, but inputs holds 1 sample, whose outputs take 10 floats (1 x OutputLength 10, output 10)",
            "var net = DigitNet.Create(seed: 1);\nvar image = new float[784];\nvar scores = new float[DigitNet.OutputLength];\nnet.Predict(image, scores);"),
        M("input of the wrong image size", DiagnosticDescriptors.BufferLengthMismatchId,
            "var net = DigitNet.Create(seed: 1);\nvar scores = new float[10];\nnet.Predict([|new float[100]|], scores);",
            "DigitNet.Predict: inputs holds 100 floats, but that is not a whole, non-empty batch of samples of 784 floats (input 28x28x1); make it a multiple of DigitNet.InputLength",
            "var net = DigitNet.Create(seed: 1);\nvar scores = new float[10];\nnet.Predict(new float[DigitNet.InputLength], scores);"),
        M("stackalloc of the wrong class count", DiagnosticDescriptors.BufferLengthMismatchId,
            "var net = DigitNet.Create(seed: 1);\nvar image = new float[DigitNet.InputLength];\nSpan<float> scores = [|stackalloc float[8]|];\nnet.Predict(image, scores);",
            "DigitNet.Predict: outputs holds 8 floats, but inputs holds 1 sample, whose outputs take 10 floats (1 x OutputLength 10, output 10)",
            "var net = DigitNet.Create(seed: 1);\nvar image = new float[DigitNet.InputLength];\nSpan<float> scores = stackalloc float[10];\nnet.Predict(image, scores);"),
        M("a batch of outputs sized per sample", DiagnosticDescriptors.BufferLengthMismatchId,
            "const int Batch = 4;\nvar net = DigitNet.Create(seed: 1);\nvar images = new float[Batch * DigitNet.InputLength];\nvar scores = [|new float[Batch]|];\nnet.Predict(images, scores);",
            "DigitNet.Predict: outputs holds 4 floats, but inputs holds 4 samples, whose outputs take 40 floats (4 x OutputLength 10, output 10)",
            "const int Batch = 4;\nvar net = DigitNet.Create(seed: 1);\nvar images = new float[Batch * DigitNet.InputLength];\nvar scores = new float[Batch * DigitNet.OutputLength];\nnet.Predict(images, scores);"),
        M("Forward with one sample's outputs for two samples", DiagnosticDescriptors.BufferLengthMismatchId,
            "var net = DigitNet.Create(seed: 1);\nvar workspace = net.CreateInferenceWorkspace(2);\nnet.Forward(new float[2 * 784], [|new float[10]|], workspace);",
            "DigitNet.Forward: outputs holds 10 floats, but inputs holds 2 samples, whose outputs take 20 floats (2 x OutputLength 10, output 10)",
            "var net = DigitNet.Create(seed: 1);\nvar workspace = net.CreateInferenceWorkspace(2);\nnet.Forward(new float[2 * 784], new float[2 * 10], workspace);"),
        M("a literal input of the wrong length", DiagnosticDescriptors.BufferLengthMismatchId,
            "var net = TanhNet.Create(seed: 1);\nvar output = new float[2];\nnet.Predict([|new float[] { 0, 1, 0, 1, 0, 1, 0, 1 }|], output);",
            "TanhNet.Predict: inputs holds 8 floats, but that is not a whole, non-empty batch of samples of 16 floats (input 4x4x1); make it a multiple of TanhNet.InputLength",
            "var net = TanhNet.Create(seed: 1);\nvar output = new float[2];\nnet.Predict(new float[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, output);"),

        // ---- CG0213 / CG0214: settings ----
        M("Adam beta1 above 1", DiagnosticDescriptors.SettingOutOfRangeId,
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f, beta1: [|1.5f|]) });",
            "Adam beta1 = 1.5 is outside [0, 1); it is the decay of a running average, e.g. 0.9 (beta1) or 0.999 (beta2)",
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f, beta1: 0.9f) });"),
        M("SGD momentum of 1", DiagnosticDescriptors.SettingOutOfRangeId,
            "var optimizer = new Sgd(0.01f, momentum: [|1f|], nesterov: true);\nConsole.WriteLine(optimizer);",
            "Sgd momentum = 1 is outside [0, 1); momentum is the fraction of the previous step kept, e.g. 0.9",
            "var optimizer = new Sgd(0.01f, momentum: 0.9f, nesterov: true);\nConsole.WriteLine(optimizer);"),
        M("negative weight decay", DiagnosticDescriptors.SettingOutOfRangeId,
            "var optimizer = new AdamW(1e-3f, weightDecay: [|-0.01f|]);\nConsole.WriteLine(optimizer);",
            "AdamW weightDecay = -0.01 is outside [0, inf); weight decay shrinks weights towards 0, e.g. 1e-4; 0 turns it off",
            "var optimizer = new AdamW(1e-3f, weightDecay: 0.01f);\nConsole.WriteLine(optimizer);"),
        M("zero epochs", DiagnosticDescriptors.SettingOutOfRangeId,
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f), Epochs = [|0|] });",
            "TrainingOptions Epochs = 0 is outside [1, inf); it counts epochs, e.g. 10",
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f), Epochs = 1 });"),
        M("batch size zero", DiagnosticDescriptors.SettingOutOfRangeId,
            "var options = new TrainingOptions { Loss = new MeanSquaredError(), Optimizer = new Sgd(0.01f), BatchSize = [|0|] };\nConsole.WriteLine(options.Epochs);",
            "TrainingOptions BatchSize = 0 is outside [1, inf); it is the number of samples per step, e.g. 32",
            "var options = new TrainingOptions { Loss = new MeanSquaredError(), Optimizer = new Sgd(0.01f), BatchSize = 32 };\nConsole.WriteLine(options.Epochs);"),
        M("validation split as a percentage", DiagnosticDescriptors.SettingOutOfRangeId,
            "var options = new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f), ValidationSplit = [|20|] };\nConsole.WriteLine(options.Epochs);",
            "TrainingOptions ValidationSplit = 20 is outside [0, 1); it is the fraction of the data held out, e.g. 0.1; 0 holds none out",
            "var options = new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f), ValidationSplit = 0.2 };\nConsole.WriteLine(options.Epochs);"),
        M("step decay that doubles the rate", DiagnosticDescriptors.SettingOutOfRangeId,
            "var schedule = new StepDecay(10, [|2f|]);\nConsole.WriteLine(schedule);",
            "StepDecay factor = 2 is outside (0, 1]; the factor multiplies the rate, e.g. 0.5 halves it",
            "var schedule = new StepDecay(10, 0.5f);\nConsole.WriteLine(schedule);"),
        M("negative learning rate", DiagnosticDescriptors.SettingOutOfRangeId,
            "const float Rate = -0.001f;\nvar optimizer = new Adam(learningRate: [|Rate|]);\nConsole.WriteLine(optimizer);",
            "Adam learningRate = -0.001 is outside [0, inf); a learning rate is a step size, e.g. 1e-3 for Adam or 0.01 for SGD",
            "const float Rate = 0.001f;\nvar optimizer = new Adam(learningRate: Rate);\nConsole.WriteLine(optimizer);"),
        M("learning rate of 100", DiagnosticDescriptors.ImplausibleLearningRateId,
            "var optimizer = new Sgd([|100f|]);\nConsole.WriteLine(optimizer);",
            "Sgd learning rate = 100 is above 10: every step overshoots and the loss diverges to NaN within a few steps; use e.g. 1e-3 for Adam or 0.01 for SGD",
            "var optimizer = new Sgd(0.01f);\nConsole.WriteLine(optimizer);"),
        M("learning rate of zero", DiagnosticDescriptors.ImplausibleLearningRateId,
            "var optimizer = new Adam([|0f|]);\nConsole.WriteLine(optimizer);",
            "Adam learning rate = 0 never changes a weight: training would run every epoch and learn nothing; use e.g. 1e-3 for Adam or 0.01 for SGD",
            "var optimizer = new Adam(1e-3f);\nConsole.WriteLine(optimizer);"),

        // ---- CG0215: monitored metrics ----
        M("Keras 1 metric name", DiagnosticDescriptors.UnknownMonitorId,
            "var stop = new EarlyStopping([|\"val_acc\"|], patience: 3);\nConsole.WriteLine(stop.Patience);",
            "EarlyStopping monitors 'val_acc', which no epoch reports (training reports loss, accuracy, mae, val_loss, val_accuracy, val_mae, lr); did you mean 'val_accuracy'?",
            "var stop = new EarlyStopping(\"val_accuracy\", patience: 3);\nConsole.WriteLine(stop.Patience);"),
        M("accuracy of a regression", DiagnosticDescriptors.UnknownMonitorId,
            Data + "var net = EdgeNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions\n{\n    Loss = new MeanSquaredError(),\n    Optimizer = new Adam(1e-3f),\n    ValidationSplit = 0.1,\n    Callbacks = { new ModelCheckpoint(\"best.safetensors\", monitor: [|\"val_accuracy\"|], saveBestOnly: true) },\n});",
            "ModelCheckpoint monitors 'val_accuracy', which no epoch reports (training reports loss, mae, val_loss, val_mae, lr); monitor one of the reported metrics",
            Data + "var net = EdgeNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions\n{\n    Loss = new MeanSquaredError(),\n    Optimizer = new Adam(1e-3f),\n    ValidationSplit = 0.1,\n    Callbacks = { new ModelCheckpoint(\"best.safetensors\", monitor: \"val_mae\", saveBestOnly: true) },\n});"),
        M("val_ metric without validation data", DiagnosticDescriptors.UnknownMonitorId,
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions\n{\n    Loss = new SparseSoftmaxCrossEntropy(),\n    Optimizer = new Adam(1e-3f),\n    Callbacks = { new EarlyStopping(monitor: [|\"val_loss\"|]) },\n});",
            "EarlyStopping monitors 'val_loss', which no epoch reports (training reports loss, accuracy, lr); val_ metrics need validation data: set ValidationSplit or ValidationData",
            Data + "var net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions\n{\n    Loss = new SparseSoftmaxCrossEntropy(),\n    Optimizer = new Adam(1e-3f),\n    ValidationSplit = 0.1,\n    Callbacks = { new EarlyStopping(monitor: \"val_loss\") },\n});"),

        // ---- CG0216: augmentation factors ----
        M("shear beyond the image", DiagnosticDescriptors.AugmentationFactorOutOfRangeId,
            "var augmentation = new ImageAugmentationOptions { HorizontalFlip = true, ShearX = [|1.5|] };\nConsole.WriteLine(augmentation.HasGeometry);",
            "ImageAugmentationOptions.ShearX = 1.5 draws from [-1.5, 1.5], outside the allowed [-1, 1] (Keras's bounds for RandomShear); the factor is a fraction of the image (or of the value range), so at most 1",
            "var augmentation = new ImageAugmentationOptions { HorizontalFlip = true, ShearX = 0.15 };\nConsole.WriteLine(augmentation.HasGeometry);"),
        M("contrast factor of 2", DiagnosticDescriptors.AugmentationFactorOutOfRangeId,
            "var augmentation = new ImageAugmentationOptions { Contrast = [|2.0|] };\nConsole.WriteLine(augmentation.HasGeometry);",
            "ImageAugmentationOptions.Contrast = 2.0 draws from [-1, 3], outside the allowed [0, inf] (Keras's bounds for RandomContrast); a contrast factor above 1 would invert the image's contrast",
            "var augmentation = new ImageAugmentationOptions { Contrast = 0.2 };\nConsole.WriteLine(augmentation.HasGeometry);"),
        M("hue range beyond a full turn", DiagnosticDescriptors.AugmentationFactorOutOfRangeId,
            "var augmentation = new ImageAugmentationOptions { Hue = [|(0.2, 1.5)|] };\nConsole.WriteLine(augmentation.HasGeometry);",
            "ImageAugmentationOptions.Hue = (0.2, 1.5) draws from [0.2, 1.5], outside the allowed [0, 1] (Keras's bounds for RandomHue); the factor is a fraction of the full range, so at most 1",
            "var augmentation = new ImageAugmentationOptions { Hue = (0.2, 0.5) };\nConsole.WriteLine(augmentation.HasGeometry);"),

        // ---- CG0217: the shape of another network ----
        M("augmentation sized for another network", DiagnosticDescriptors.ShapeOfAnotherNetworkId,
            Data + "var digits = DigitNet.Create(seed: 1);\nvar cats = CatNet.Create(seed: 1);\ndigits.Fit(train, new TrainingOptions\n{\n    Loss = new SparseSoftmaxCrossEntropy(),\n    Optimizer = new Adam(1e-3f),\n    Augmentation = new ImageAugmentation(ImageAugmentationOptions.Lecture, [|cats.InputShape|]),\n});",
            "ImageAugmentation is given the input shape of network 'CatNet' (16x16x3), but it feeds network 'DigitNet', whose input is 28x28x1; use DigitNet's InputShape",
            Data + "var digits = DigitNet.Create(seed: 1);\nvar cats = CatNet.Create(seed: 1);\ndigits.Fit(train, new TrainingOptions\n{\n    Loss = new SparseSoftmaxCrossEntropy(),\n    Optimizer = new Adam(1e-3f),\n    Augmentation = new ImageAugmentation(ImageAugmentationOptions.Lecture, digits.InputShape),\n});"),
        M("image folder opened for another network", DiagnosticDescriptors.ShapeOfAnotherNetworkId,
            "var digits = DigitNet.Create(seed: 1);\nvar cats = CatNet.Create(seed: 1);\nvar folder = ImageFolder.Open(\"photos\", ImageFolderOptions.For([|digits.InputShape|]));\ncats.Fit(folder, new TrainingOptions { Loss = new SigmoidBinaryCrossEntropy(), Optimizer = new Adam(1e-3f) });",
            "ImageFolderOptions.For is given the input shape of network 'DigitNet' (28x28x1), but it feeds network 'CatNet', whose input is 16x16x3; use CatNet's InputShape",
            "var digits = DigitNet.Create(seed: 1);\nvar cats = CatNet.Create(seed: 1);\nvar folder = ImageFolder.Open(\"photos\", ImageFolderOptions.For(cats.InputShape));\ncats.Fit(folder, new TrainingOptions { Loss = new SigmoidBinaryCrossEntropy(), Optimizer = new Adam(1e-3f) });"),

        // ---- CG0218: layer indices ----
        M("freezing a layer past the last", DiagnosticDescriptors.LayerIndexOutOfRangeId,
            "var net = DigitNet.Create(seed: 1);\nnet.SetFrozen([|4|], true);",
            "SetFrozen(4, ...) on network 'DigitNet': the network has 4 layers, indexed 0 to 3; the last layer is 3 (LayerCount - 1); Layers lists them with their names",
            "var net = DigitNet.Create(seed: 1);\nnet.SetFrozen(DigitNet.LayerCount - 1, true);"),

        // ---- CG0219: data sets ----
        M("Fashion-MNIST fed to a colour network", DiagnosticDescriptors.DatasetDoesNotFitNetworkId,
            "var (train, test) = FashionMnist.Load();\nvar net = CatNet.Create(seed: 1);\nnet.Fit([|train|], new TrainingOptions { Loss = new SigmoidBinaryCrossEntropy(), Optimizer = new Adam(1e-3f) });",
            "FashionMnist.Load() gives 28x28x1 images (784 values) with class indices 0 to 9, but network 'CatNet' takes input 16x16x3 (768 values); declare Input = \"28x28x1\"",
            "var (train, test) = FashionMnist.Load();\nvar net = DigitNet.Create(seed: 1);\nnet.Fit(train, new TrainingOptions { Loss = new SparseSoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f) });"),
        M("Fashion-MNIST class indices with a one-hot loss", DiagnosticDescriptors.DatasetDoesNotFitNetworkId,
            "var data = FashionMnist.Load();\nvar net = DigitNet.Create(seed: 1);\nvar result = net.Evaluate([|data.Test|], new SoftmaxCrossEntropy());\nConsole.WriteLine(result.Accuracy);",
            "FashionMnist.Load() gives 28x28x1 images (784 values) with class indices 0 to 9 (1 target value per image), but network 'DigitNet' trained with SoftmaxCrossEntropy needs 10 target values per image (one per output); use SparseSoftmaxCrossEntropy for class indices",
            "var data = FashionMnist.Load();\nvar net = DigitNet.Create(seed: 1);\nvar result = net.Evaluate(data.Test, new SparseSoftmaxCrossEntropy());\nConsole.WriteLine(result.Accuracy);"),
    };
}
