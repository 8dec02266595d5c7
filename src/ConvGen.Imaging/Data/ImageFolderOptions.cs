using System;
using System.Collections.Generic;
using ConvGen.Imaging;

namespace ConvGen.Data;

/// <summary>How targets are encoded (Keras <c>label_mode</c>), and so which loss fits.</summary>
public enum LabelMode
{
    /// <summary>The class index as one float (for <c>SparseSoftmaxCrossEntropy</c>).</summary>
    Int,

    /// <summary>A one-hot row of the class count (for <c>SoftmaxCrossEntropy</c>).</summary>
    Categorical,

    /// <summary>Exactly two classes; 0 or 1 as one float (for <c>SigmoidBinaryCrossEntropy</c> on one output).</summary>
    Binary,

    /// <summary>Any number of labels per image from a CSV (<see cref="ImageFolderOptions.LabelsCsv"/>); a 0/1 row of the label count (for <c>SigmoidBinaryCrossEntropy</c>).</summary>
    MultiLabel,
}

/// <summary>How <see cref="ImageFolder.Open"/> finds, decodes and labels images.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>Height images are resized to (the network's input height).</summary>
    public required int Height { get; init; }

    /// <summary>Width images are resized to.</summary>
    public required int Width { get; init; }

    /// <summary>1 (grey, luma), 3 (RGB, default) or 4 (RGBA).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Target encoding (default <see cref="LabelMode.Int"/>).</summary>
    public LabelMode LabelMode { get; init; } = LabelMode.Int;

    /// <summary>
    /// A CSV with a header <c>file,labels</c>: a path relative to the folder, and the image's
    /// labels separated by spaces, <c>;</c> or <c>|</c>. When set, it lists the images and their
    /// labels instead of the class folders; needed for <see cref="LabelMode.MultiLabel"/>.
    /// A relative path is taken relative to the folder.
    /// </summary>
    public string? LabelsCsv { get; init; }

    /// <summary>Use only these classes, in this order (Keras <c>class_names</c>); null takes every class folder in ordinal order.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Resize interpolation (default bilinear, as Keras).</summary>
    public ResizeInterpolation Interpolation { get; init; } = ResizeInterpolation.Bilinear;

    /// <summary>Centre-crop each image to the target aspect ratio before resizing, instead of stretching it (Keras <c>crop_to_aspect_ratio</c>).</summary>
    public bool CropToAspectRatio { get; init; }

    /// <summary>Unreadable images, empty class folders, bad CSV rows: stop (default) or skip and count them in <see cref="ImageFolder.Report"/>.</summary>
    public BadInputPolicy BadFiles { get; init; } = BadInputPolicy.Throw;

    /// <summary>
    /// Decode every image once when opening (default true), so truncated or corrupt files are
    /// found before training (and handled by <see cref="BadFiles"/>). When false, opening only
    /// reads headers; a file found corrupt later, while training reads it, stops training with
    /// its name whatever the policy.
    /// </summary>
    public bool VerifyImages { get; init; } = true;

    /// <summary>
    /// Memory for decoded images, in bytes (8-bit pixels: an 80x80x3 image takes 19,200).
    /// Images that fit stay in memory after their first decode; the rest are decoded from disk
    /// on every read, so data sets larger than RAM stream with bounded memory. 0 turns caching
    /// off. Default 512 MiB.
    /// </summary>
    public long CacheBytes { get; init; } = 512L << 20;

    /// <summary>
    /// The largest image accepted, in pixels (width x height as its header declares them, read
    /// before any pixel is decoded). Larger images are bad input: refused under
    /// <see cref="BadInputPolicy.Throw"/>, left out and listed in <see cref="ImageFolder.Report"/>
    /// under <see cref="BadInputPolicy.Skip"/>. Default <see cref="ImageDecoder.DefaultMaxPixels"/>
    /// (64 Mi pixels, e.g. 8192x8192). Accepted images are decoded near the network's input size,
    /// not at full size, so raising the limit costs time rather than memory.
    /// </summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;

    /// <summary>Threads that decode while opening (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Options for a network's input shape.</summary>
    public static ImageFolderOptions For(TensorShape inputShape, LabelMode labelMode = LabelMode.Int) => new()
    {
        Height = inputShape.Height,
        Width = inputShape.Width,
        Channels = inputShape.Channels,
        LabelMode = labelMode,
    };
}
