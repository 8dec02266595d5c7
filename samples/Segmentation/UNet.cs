using ConvGen;

namespace Segmentation;

/// <summary>
/// A small U-Net for 64x64 RGB pictures and 4 pixel classes: two encoder levels of two 3x3
/// convolutions each, a bottleneck at 16x16, and a decoder that doubles the map with a
/// transposed convolution and joins the encoder map of the same size (the skip connection)
/// before its own convolutions. Same padding keeps the sizes equal, so no cropping is needed.
/// Every 3x3 convolution is followed by BatchNorm (hence no bias) and ReLU: without it the
/// network sits on "all background" (83% of the pixels) for several epochs.
/// </summary>
[Network(Input = "64x64x3")]
[Conv2D(12, 3, Padding = Padding.Same, UseBias = false)]                                    // [64,64,12]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(12, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu, Name = "encoder1")]                                            // [64,64,12]
[MaxPool2D(2)]                                                                              // [32,32,12]
[Conv2D(24, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(24, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu, Name = "encoder2")]                                            // [32,32,24]
[MaxPool2D(2)]                                                                              // [16,16,24]
[Conv2D(48, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(48, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu, Name = "bottleneck")]                                          // [16,16,48]
[Conv2DTranspose(24, 2, Stride = 2, Activation = Activation.Relu, Name = "up2")]            // [32,32,24]
[Concatenate("up2", "encoder2")]                                                            // [32,32,48]
[Conv2D(24, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]
[Conv2D(24, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu, Name = "decoder2")]                                            // [32,32,24]
[Conv2DTranspose(12, 2, Stride = 2, Activation = Activation.Relu, Name = "up1")]            // [64,64,12]
[Concatenate("up1", "encoder1")]                                                            // [64,64,24]
[Conv2D(12, 3, Padding = Padding.Same, UseBias = false)]
[BatchNorm]
[Activation(Activation.Relu)]                                                               // [64,64,12]
[Conv2D(4, 1, Activation = Activation.Softmax, Name = "classes")]                           // [64,64,4]
public sealed partial class ShapesUNet;
