using System;
using System.Globalization;
using System.IO;
using AotClassifier;
using ConvGen.Data;
using ConvGen.Serialization;
using ConvGen.Training;
using Quickstart;

// The lecture network trained, saved, reloaded and asked for predictions, all in one process that
// NativeAOT compiles to a native executable (`dotnet publish -c Release`); `dotnet run -c Release`
// runs the very same program under the JIT, so the two can be compared. See docs/aot.md.
//
//   AotClassifier [--epochs 8] [--images-per-class 100] [--out aot-out]   train, save, reload, predict
//   AotClassifier --measure [WEIGHTS]     start-up to the first prediction and Predict latency
//   AotClassifier --startup WEIGHTS       load, predict one picture, exit (what --measure times)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
try
{
    var options = SampleOptions.Parse(args);
    Console.WriteLine(CodeGeneration.Describe());
    return options.Mode switch
    {
        SampleMode.Startup => Measurements.FirstPrediction(options.Weights),
        SampleMode.Measure => Measurements.Run(options.Weights, options.Runs),
        _ => TrainSaveReload.Run(options),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
