namespace ConvGen.Imaging;

/// <summary>How a decoded image is resized to the network's input (Keras <c>interpolation</c> of <c>image_dataset_from_directory</c>).</summary>
public enum ResizeInterpolation
{
    /// <summary>The nearest source pixel.</summary>
    Nearest,

    /// <summary>Bilinear (Keras's default).</summary>
    Bilinear,

    /// <summary>Bicubic (Catmull-Rom, Keras's "bicubic").</summary>
    Bicubic,

    /// <summary>Mipmapped bilinear, close to averaging the source area; best for large downscales.</summary>
    Area,
}
