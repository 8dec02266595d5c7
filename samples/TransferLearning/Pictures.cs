using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Data;

namespace TransferLearning;

/// <summary>Few pictures per class for training and more for testing, at 224x224 RGB in [0,1].</summary>
internal sealed record Split(Dataset Train, Dataset Test);

internal static class Pictures
{
    public static Split Load(Settings s)
    {
        if (s.Data is null)
        {
            if (HeadClasses.Count != SyntheticShapes.Classes.Count)
            {
                throw new ArgumentException($"The head was built for {HeadClasses.Count} classes but the embedded data set has {SyntheticShapes.Classes.Count}: build without -p:HeadClasses.");
            }
            // Two independent draws: no test picture is a copy of a training one.
            var drawnTrain = new SyntheticShapes(s.PerClass, s.Seed, ImageNetInput.Size).ToDataset();
            var drawnTest = new SyntheticShapes(s.TestPerClass, s.Seed + 1_000_003, ImageNetInput.Size).ToDataset();
            Console.WriteLine($"No --data given: drew {drawnTrain.Count} training and {drawnTest.Count} test pictures of 224x224 "
                + $"({SyntheticShapes.Classes.Count} classes: {string.Join(", ", SyntheticShapes.Classes)}).");
            return new Split(drawnTrain, drawnTest);
        }
        var folder = ImageFolder.Open(s.Data, new ImageFolderOptions
        {
            Height = ImageNetInput.Size,
            Width = ImageNetInput.Size,
            Channels = 3,
            BadFiles = BadInputPolicy.Skip,
            CropToAspectRatio = true,
        });
        if (folder.ClassNames.Count != HeadClasses.Count)
        {
            throw new ArgumentException(
                $"{s.Data} has {folder.ClassNames.Count} classes ({string.Join(", ", folder.ClassNames)}) but the head was built for {HeadClasses.Count}: "
                + $"rebuild with 'dotnet build samples/TransferLearning -p:HeadClasses={folder.ClassNames.Count}'.");
        }
        if (folder.Report.Count > 0)
        {
            Console.WriteLine($"Bad input {folder.Report}");
        }
        // Per class, in a seeded order: the first --per-class pictures train, up to --test-per-class of the rest test.
        var random = new SeededRandom(s.Seed);
        var train = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < HeadClasses.Count; c++)
        {
            var members = Enumerable.Range(0, folder.Count).Where(i => folder.LabelsOf(i)[0] == c).ToArray();
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = random.NextInt32(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            if (members.Length <= s.PerClass)
            {
                throw new ArgumentException($"{s.Data}: class '{folder.ClassNames[c]}' has {members.Length} pictures; at least {s.PerClass + 1} are needed ({s.PerClass} to train, the rest to test).");
            }
            train.AddRange(members.Take(s.PerClass));
            test.AddRange(members.Skip(s.PerClass).Take(s.TestPerClass));
        }
        Console.WriteLine($"Read {Path.GetFullPath(s.Data)}: {train.Count} training and {test.Count} test pictures, resized and cropped to 224x224.");
        // Only the chosen pictures are decoded.
        return new Split(folder.Subset(train.ToArray()).ToDataset(), folder.Subset(test.ToArray()).ToDataset());
    }

    /// <summary>A copy of <paramref name="pictures"/> in the pretrained network's input convention.</summary>
    public static Dataset Preprocessed(Dataset pictures, ImageNetInput imageNet)
    {
        var inputs = pictures.Inputs.ToArray();
        for (int i = 0; i < pictures.Count; i++)
        {
            imageNet.Apply(inputs.AsSpan(i * pictures.InputLength, pictures.InputLength));
        }
        return new Dataset(inputs, pictures.Targets.ToArray(), pictures.Count, pictures.InputLength, pictures.TargetLength, pictures.ClassNames);
    }
}
