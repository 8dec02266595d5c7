using System;
using System.Linq;
using ConvGen.Generators.Layers;
using ConvGen.Generators.Model;
using Shouldly;
using Xunit;

namespace ConvGen.Generators.Tests.Architecture;

/// <summary>The table of layer descriptors: one per kind, in the kind's order, each with the attribute and names it claims.</summary>
public sealed class LayerCatalogTests
{
    [Fact]
    public void Every_layer_kind_has_exactly_one_descriptor_in_declaration_order()
    {
        LayerCatalog.All.Select(d => d.Kind).ShouldBe(Enum.GetValues(typeof(LayerKind)).Cast<LayerKind>());
        foreach (var kind in Enum.GetValues(typeof(LayerKind)).Cast<LayerKind>())
        {
            LayerCatalog.Rules[kind].Kind.ShouldBe(kind);
            LayerCatalog.Syntax[kind].Kind.ShouldBe(kind);
            LayerCatalog.Emitters[kind].Kind.ShouldBe(kind);
        }
    }

    [Fact]
    public void A_table_with_a_kind_missing_or_twice_is_refused_naming_the_kind()
    {
        Should.Throw<ArgumentException>(() => new LayerTable<LayerDescriptor>(LayerCatalog.All.Skip(1)))
            .Message.ShouldContain("no descriptor for Conv2D");
        Should.Throw<ArgumentException>(() => new LayerTable<LayerDescriptor>(LayerCatalog.All.Append(LayerCatalog.All[6])))
            .Message.ShouldContain("two descriptors for Dense");
    }

    [Fact]
    public void Every_descriptor_names_a_runtime_attribute_and_unique_text_names()
    {
        var runtime = typeof(global::ConvGen.INetwork).Assembly;
        foreach (var descriptor in LayerCatalog.All)
        {
            var attribute = runtime.GetType("ConvGen." + descriptor.AttributeClass);
            attribute.ShouldNotBeNull($"{descriptor.Kind}: no ConvGen.{descriptor.AttributeClass} in the runtime");
            typeof(Attribute).IsAssignableFrom(attribute).ShouldBeTrue();
            descriptor.TextNames.ShouldNotBeEmpty();
            descriptor.DefaultName.ShouldNotBeNullOrWhiteSpace();
        }
        var names = LayerCatalog.All.SelectMany(d => d.TextNames).ToList();
        names.ShouldBeUnique();
    }

    [Fact]
    public void Every_tensor_view_is_known_to_the_member_clash_filter()
    {
        // The parser keeps only user members whose names GeneratedMembers.MayClash; a tensor
        // property with a new suffix would slip past the clash check (CG0014).
        var run = Infrastructure.GeneratorHarness.Run("""
            using ConvGen;
            [Network(Input = "8x8x3")]
            [Conv2D(4, 3)] [BatchNorm] [MaxPool2D(2)] [Flatten] [Dense(2, UseBias = false)]
            public partial class TensorNet;
            """);
        var model = (NetworkModel)run.Result.TrackedSteps[NetworkGenerator.Steps.Model].Single().Outputs.Single().Value;
        model.ParameterTensors.Select(t => t.Property).ShouldAllBe(p => GeneratedMembers.MayClash(p));
        model.ParameterTensors.Select(t => t.Name).ShouldBe(new[]
        {
            "conv2d.weight", "conv2d.bias", "batch_normalization.gamma", "batch_normalization.beta",
            "batch_normalization.running_mean", "batch_normalization.running_var", "dense.weight",
        });
    }
}
