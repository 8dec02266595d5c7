// Written by `convgen import ResNet18.onnx --text` (ConvGen.Onnx TextFormWriter) from the
// ImageNet ResNet-18 of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, and kept as a
// constant so that the feature extractor and the classifier share one declaration.
// Each line ends with its output shape per sample [H,W,C].
namespace TransferLearning;

internal static class ResNet18Layers
{
    /// <summary>The headless ResNet-18: [224,224,3] BGR minus the mean image -> [1,1,512].</summary>
    public const string Text = """
        input 224x224x3                                                                  # [224,224,3]
        conv2d 64 7 stride=2 pads=3,2,3,2 bias=false name=Convolution249                 # [112,112,64]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization251                # [112,112,64]
        activation relu name=ReLU253                                                     # [112,112,64]
        maxpool2d 3 stride=2 pads=1,0,1,0 name=Pooling255                                # [56,56,64]
        conv2d 64 3 same bias=false name=Convolution257                                  # [56,56,64]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization259                # [56,56,64]
        activation relu name=ReLU261                                                     # [56,56,64]
        conv2d 64 3 same bias=false name=Convolution263                                  # [56,56,64]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization265                # [56,56,64]
        add BatchNormalization265 Pooling255 relu name=Plus267                           # [56,56,64]
        conv2d 64 3 same bias=false name=Convolution271                                  # [56,56,64]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization273                # [56,56,64]
        activation relu name=ReLU275                                                     # [56,56,64]
        conv2d 64 3 same bias=false name=Convolution277                                  # [56,56,64]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization279                # [56,56,64]
        add BatchNormalization279 Plus267 relu name=Plus281                              # [56,56,64]
        conv2d 128 1 stride=2 bias=false name=Convolution295                             # [28,28,128]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization297                # [28,28,128]
        conv2d 128 3 stride=2 pads=1,0,1,0 bias=false input=Plus281 name=Convolution285  # [28,28,128]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization287                # [28,28,128]
        activation relu name=ReLU289                                                     # [28,28,128]
        conv2d 128 3 same bias=false name=Convolution291                                 # [28,28,128]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization293                # [28,28,128]
        add BatchNormalization293 BatchNormalization297 relu name=Plus299                # [28,28,128]
        conv2d 128 3 same bias=false name=Convolution303                                 # [28,28,128]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization305                # [28,28,128]
        activation relu name=ReLU307                                                     # [28,28,128]
        conv2d 128 3 same bias=false name=Convolution309                                 # [28,28,128]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization311                # [28,28,128]
        add BatchNormalization311 Plus299 relu name=Plus313                              # [28,28,128]
        conv2d 256 1 stride=2 bias=false name=Convolution327                             # [14,14,256]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization329                # [14,14,256]
        conv2d 256 3 stride=2 pads=1,0,1,0 bias=false input=Plus313 name=Convolution317  # [14,14,256]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization319                # [14,14,256]
        activation relu name=ReLU321                                                     # [14,14,256]
        conv2d 256 3 same bias=false name=Convolution323                                 # [14,14,256]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization325                # [14,14,256]
        add BatchNormalization325 BatchNormalization329 relu name=Plus331                # [14,14,256]
        conv2d 256 3 same bias=false name=Convolution335                                 # [14,14,256]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization337                # [14,14,256]
        activation relu name=ReLU339                                                     # [14,14,256]
        conv2d 256 3 same bias=false name=Convolution341                                 # [14,14,256]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization343                # [14,14,256]
        add BatchNormalization343 Plus331 relu name=Plus345                              # [14,14,256]
        conv2d 512 1 stride=2 bias=false name=Convolution359                             # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization361                # [7,7,512]
        conv2d 512 3 stride=2 pads=1,0,1,0 bias=false input=Plus345 name=Convolution349  # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization351                # [7,7,512]
        activation relu name=ReLU353                                                     # [7,7,512]
        conv2d 512 3 same bias=false name=Convolution355                                 # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization357                # [7,7,512]
        add BatchNormalization357 BatchNormalization361 relu name=Plus363                # [7,7,512]
        conv2d 512 3 same bias=false name=Convolution367                                 # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization369                # [7,7,512]
        activation relu name=ReLU371                                                     # [7,7,512]
        conv2d 512 3 same bias=false name=Convolution373                                 # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization375                # [7,7,512]
        add BatchNormalization375 Plus363 relu name=Plus377                              # [7,7,512]
        conv2d 512 3 same bias=false name=Convolution381                                 # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization383                # [7,7,512]
        activation relu name=ReLU385                                                     # [7,7,512]
        conv2d 512 3 same bias=false name=Convolution387                                 # [7,7,512]
        batchnorm eps=1E-05 momentum=0.9883497 name=BatchNormalization389                # [7,7,512]
        add BatchNormalization389 Plus377 relu name=Plus391                              # [7,7,512]
        avgpool2d 7 stride=1 name=Pooling395                                             # [1,1,512]
        """;

    /// <summary>The first layer of the last stage (its 1x1 projection shortcut), where fine-tuning starts.</summary>
    public const string LastStage = "Convolution359";

    /// <summary>The last layer: the 7x7 average pool giving the 512 features.</summary>
    public const string Features = "Pooling395";
}
