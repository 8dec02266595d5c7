using System.Threading.Tasks;
using ConvGen.Generators.Diagnostics;
using static ConvGen.Generators.Tests.Infrastructure.NetworkGeneratorTest;

namespace ConvGen.Generators.Tests;

// CG0014: the user's members against the members ConvGen generates.
public sealed partial class DiagnosticTests
{
    [Fact]
    public Task Property_named_like_a_generated_constant() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class Net
        {
            public int {|#0:InputLength|} => 0;
        }
        """,
        Error(DiagnosticDescriptors.GeneratedMemberClashId, 0,
            "Network 'Net' declares the property 'InputLength', which clashes with the constant 'InputLength' that ConvGen generates (floats per input sample); rename or remove the property"));

    [Fact]
    public Task Network_class_named_like_a_generated_nested_class() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class {|#0:Workspace|};
        """,
        Error(DiagnosticDescriptors.GeneratedMemberClashId, 0,
            "Network 'Workspace' is itself named 'Workspace', which clashes with the nested class 'Workspace' that ConvGen generates (inference buffers); a member cannot have the name of its class, so rename the network class"));

    [Fact]
    public Task Method_with_the_signature_of_a_generated_method() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class Net
        {
            public void {|#0:Predict|}(System.ReadOnlySpan<float> image, System.Span<float> scores) { }
        }
        """,
        Error(DiagnosticDescriptors.GeneratedMemberClashId, 0,
            "Network 'Net' declares the method 'Predict(ReadOnlySpan<float>, Span<float>)', which clashes with the method 'Predict' that ConvGen generates (INetwork.Predict, batched inference); rename or remove the method"));

    // An overload is fine: C# tells them apart, and so must ConvGen.
    [Fact]
    public Task Overload_of_a_generated_method_is_not_a_clash() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class Net
        {
            public float[] Predict(float[] image)
            {
                var scores = new float[OutputLength];
                Predict(image, scores);
                return scores;
            }
        }
        """);

    // Parameter views are named after the layers: a Dense layer 'dense' gets DenseWeight and DenseBias.
    [Fact]
    public Task Field_named_like_a_layer_parameter_view() => VerifyAsync(Usings + """
        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class Net
        {
            private readonly float[] {|#0:DenseBias|} = new float[2];
        }
        """,
        Error(DiagnosticDescriptors.GeneratedMemberClashId, 0,
            "Network 'Net' declares the field 'DenseBias', which clashes with the property 'DenseBias' that ConvGen generates (a view of dense.bias); rename or remove the field"));

    // The generated member would hide the inherited one: a warning inside the .g.cs, reported here instead.
    [Fact]
    public Task Inherited_member_named_like_a_generated_member() => VerifyAsync(Usings + """
        public abstract class NetBase
        {
            protected int LayerCount => 3;
        }

        [Network(Input = "4x4x1")]
        [Flatten]
        [Dense(2)]
        public partial class {|#0:Net|} : NetBase;
        """,
        Error(DiagnosticDescriptors.GeneratedMemberClashId, 0,
            "Network 'Net' inherits the property 'LayerCount' from 'NetBase', which clashes with the constant 'LayerCount' that ConvGen generates (number of layers); rename it in 'NetBase', or do not derive the network from it"));
}
