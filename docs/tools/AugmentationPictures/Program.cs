using System;
using System.IO;
using AugmentationPictures;
using ConvGen.Data;

// Writes the pictures of docs/data.md into docs/images/augmentation (or the folder given).
string output = args.Length > 0 ? args[0] : Path.Combine("docs", "images", "augmentation");
var written = PictureWriter.WriteAll(output, FashionMnist.DefaultDirectory);
if (!File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "t10k-images-idx3-ubyte.gz")))
{
    Console.WriteLine($"Fashion-MNIST not found in {FashionMnist.DefaultDirectory}: the grey pictures are left out (sudo apt-get install dataset-fashion-mnist).");
}
Console.WriteLine($"Wrote {written.Count} pictures to {Path.GetFullPath(output)}");
