// Imported from encoder-decoder.onnx by ConvGen.Onnx (producer: hand-built, opset 13).
// 12 layers, 349 parameter values (incl. BatchNorm running statistics); weights in the safetensors file next to this one.
// Activations are NHWC; shapes after each layer are per sample [H,W,C] or [N].
using ConvGen;

namespace Imported;

[Network(Input = "6x6x3")]                                                                                             // [6,6,3]
[Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "enc")]                                     // [6,6,4]  <- Conv 'enc' + Relu 'enc_relu'
[MaxPool2D(2, Name = "pool")]                                                                                          // [3,3,4]  <- MaxPool 'pool'
[Conv2DTranspose(3, 2, Stride = 2, Activation = Activation.Relu, Name = "up")]                                         // [6,6,3]  <- ConvTranspose 'up' + Relu 'up_relu'
[Conv2DTranspose(2, 3, Stride = 2, UseBias = false, Input = "pool", Name = "up_pt")]                                   // [7,7,2]  <- ConvTranspose 'up_pt'
[Cropping2D(1, 0, 1, 0, Name = "up_pt_crop")]                                                                          // [6,6,2]  <- ConvTranspose 'up_pt'
[UpSampling2D(2, Input = "pool", Name = "near")]                                                                       // [6,6,4]  <- Resize 'near'
[UpSampling2D(2, Interpolation = UpSamplingInterpolation.Bilinear, Input = "pool", Name = "lin")]                      // [6,6,4]  <- Resize 'lin'
[UpSampling2D(2, Input = "pool", Name = "sized")]                                                                      // [6,6,4]  <- Resize 'sized'
[Conv2D(2, 3, PadTop = 2, PadBottom = 2, PadLeft = 2, PadRight = 2, UseBias = false, Input = "input", Name = "wide")]  // [8,8,2]  <- Conv 'wide'
[Cropping2D(1, 1, 2, 0, Name = "skip")]                                                                                // [6,6,2]  <- Slice 'skip'
[Concatenate("up", "up_pt_crop", "near", "lin", "sized", "skip", Name = "joined")]                                     // [6,6,19]  <- Concat 'joined'
[Conv2D(3, 1, Activation = Activation.Softmax, Name = "head")]                                                         // [6,6,3]  <- Conv 'head' + Softmax 'classes'
public sealed partial class EncoderDecoder;
