namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>Networks shared by several test classes, as user source files.</summary>
internal static class NetworkSources
{
    /// <summary>The lecture's Keras model (DESIGN.md §3), 80x80x3 images, 8 classes.</summary>
    public const string LectureNet = """
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network(Input = "80x80x3")]
        [Conv2D(8, 3, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Conv2D(16, 3, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(64, Activation = Activation.Relu)]
        [Dropout(0.5)]
        [Dense(8, Activation = Activation.Softmax)]
        public sealed partial class LectureNet;
        """;

    /// <summary>The same network in the text form.</summary>
    public const string LectureNetText = """"
        using ConvGen;

        namespace Samples;

        /// <summary>A test network.</summary>

        [Network("""
            input 80x80x3
            conv2d 8 3 relu
            maxpool2d 2
            conv2d 16 3 relu
            maxpool2d 2
            flatten
            dense 64 relu
            dropout 0.5
            dense 8 softmax
            """)]
        public sealed partial class LectureNet;
        """";

    /// <summary>A file with nothing to do with networks, for incrementality tests.</summary>
    public const string Unrelated = """
        namespace Samples;

        public static class Unrelated
        {
            public static int Answer => 42;
        }
        """;
}
