using System;
using System.Linq;
using System.Reflection;
using ConvGen.Generators.ProgramChecks;
using ConvGen.Training;

namespace ConvGen.Generators.Tests.ProgramChecks;

/// <summary>
/// The analyzer cannot reference the runtime, so <see cref="LossRule.All"/> is a hand copy of the
/// runtime's loss classes and of the <see cref="Losses.For"/> catalogue. These tests read the
/// runtime by reflection and fail as soon as the two drift apart (a loss added, renamed, given
/// another fused activation or another Keras name).
/// </summary>
public sealed class LossRulesMatchRuntimeTests
{
    private static readonly Type[] s_runtimeLosses = typeof(Loss).Assembly.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract && typeof(Loss).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void Every_runtime_loss_class_has_exactly_one_rule_and_no_rule_names_a_missing_class()
    {
        s_runtimeLosses.Select(t => t.Name).ShouldBe(LossRule.All.Select(r => r.ClassName).OrderBy(n => n, StringComparer.Ordinal));
        s_runtimeLosses.ShouldAllBe(t => t.Namespace == LossRule.Namespace);
    }

    [Fact]
    public void Each_rule_fuses_the_activation_the_runtime_loss_fuses()
    {
        foreach (var type in s_runtimeLosses)
        {
            var loss = (Loss)Activator.CreateInstance(type)!;
            var rule = LossRule.Named(type.Name);
            rule.TakesLogits.ShouldBe(loss.TakesLogits, type.Name);
            // A loss that takes no logits fuses nothing: the rule writes Linear for it.
            rule.Fused.ToString().ShouldBe(loss.TakesLogits ? loss.FusedActivation.ToString() : nameof(Activation.Linear), type.Name);
        }
    }

    [Fact]
    public void Each_rule_is_a_distribution_loss_exactly_when_the_runtime_treats_it_as_classification()
    {
        // LossCompatibility.TaskOf is internal to the runtime; it decides what a loss means for metrics.
        var taskOf = typeof(Loss).Assembly.GetType("ConvGen.Training.LossCompatibility", throwOnError: true)!
            .GetMethod("TaskOf", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        foreach (var type in s_runtimeLosses)
        {
            string task = taskOf.Invoke(null, new[] { Activator.CreateInstance(type) })!.ToString()!;
            LossRule.Named(type.Name).IsDistribution.ShouldBe(task is "Classification" or "SparseClassification", $"{type.Name} is {task}");
            LossRule.Named(type.Name).IsSparse.ShouldBe(task == "SparseClassification", $"{type.Name} is {task}");
        }
    }

    [Fact]
    public void Rule_names_are_exactly_the_names_Losses_For_catalogues_in_the_same_order()
    {
        var catalogue = typeof(Losses).GetField("Catalogue", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        var entries = ((Array)catalogue).Cast<object>().Select(entry =>
        {
            // (string[] Names, Func<Loss> Create): a value tuple, read by its fields.
            var names = (string[])entry.GetType().GetField("Item1")!.GetValue(entry)!;
            var create = (Func<Loss>)entry.GetType().GetField("Item2")!.GetValue(entry)!;
            return (Names: names, ClassName: create().GetType().Name);
        }).ToArray();
        entries.Select(e => e.ClassName).ShouldBe(LossRule.All.Select(r => r.ClassName));
        foreach (var (names, className) in entries)
        {
            LossRule.Named(className).Names.ShouldBe(names, className);
        }
        Losses.Names.ShouldBe(LossRule.All.Select(r => r.Names[0]));
    }

    [Fact]
    public void Every_name_a_rule_accepts_makes_that_rules_loss_at_run_time()
    {
        foreach (var rule in LossRule.All)
        {
            foreach (string name in rule.Names.Append(rule.ClassName).Append(rule.Names[0].ToUpperInvariant().Replace('_', '-')))
            {
                Losses.For(name).GetType().Name.ShouldBe(rule.ClassName, name);
            }
        }
    }
}
