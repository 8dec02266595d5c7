using System;
using System.IO;
using ConvGen;
using EdgeDetection;

// The lecture's edge-detection example: two fixed 3x3 filters, declared as ConvGen networks,
// applied to a grey and an RGB version of one image; absolute responses are written as PNGs.
// Usage: EdgeDetection [image.jpg|png] [--out DIR]

string? imagePath = null;
string outDirectory = "edges-out";
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--out" or "-o")
    {
        if (i + 1 >= args.Length)
        {
            Console.Error.WriteLine("--out needs a directory, e.g. --out edges-out");
            return 2;
        }
        outDirectory = args[++i];
    }
    else if (args[i] is "--help" or "-h")
    {
        Console.WriteLine("Usage: EdgeDetection [IMAGE] [--out DIR]\n  IMAGE  JPEG or PNG (default: a generated test picture)\n  --out  where the PNGs go (default: edges-out)");
        return 0;
    }
    else if (imagePath is null)
    {
        imagePath = args[i];
    }
    else
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'. Usage: EdgeDetection [IMAGE] [--out DIR]");
        return 2;
    }
}

const int Size = GreyEdgeNet.InputHeight;
SkiaSharp.SKBitmap picture;
try
{
    picture = imagePath is null ? Images.Default(Size) : Images.Load(imagePath, Size);
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

Directory.CreateDirectory(outDirectory);
using (picture)
{
    Images.WritePng(Path.Combine(outDirectory, "input.png"), picture);
    Run(new GreyEdgeNet(), GreyEdgeNet.InputChannels, "grey");
    Run(new RgbEdgeNet(), RgbEdgeNet.InputChannels, "rgb");
}
Console.WriteLine($"Input: {imagePath ?? "generated test picture"} (resized to {Size}x{Size})");
Console.WriteLine($"Wrote input.png, grey-vertical.png, grey-horizontal.png, rgb-vertical.png, rgb-horizontal.png to {Path.GetFullPath(outDirectory)}");
return 0;

void Run(INetwork network, int channels, string label)
{
    Console.WriteLine(ModelSummary.Format(network, label + " edge filters"));
    var weights = network.ParameterTensors[0];
    EdgeFilters.Load(network.Parameters.Slice(weights.Offset, weights.Length), channels);
    var input = Images.ToTensor(picture, channels);
    var response = new float[network.OutputShape.Length];
    network.Predict(input, response);
    Images.WriteAbsoluteResponse(Path.Combine(outDirectory, $"{label}-vertical.png"), response, Size, Size, 2, 0);
    Images.WriteAbsoluteResponse(Path.Combine(outDirectory, $"{label}-horizontal.png"), response, Size, Size, 2, 1);
}
