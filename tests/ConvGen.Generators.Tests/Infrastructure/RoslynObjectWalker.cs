using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Walks an object graph through every instance field and reports any Roslyn object in it
/// (after NetEscapades.EnumGenerators' TestHelpers). A cached step output that holds a symbol,
/// syntax node, location, compilation or diagnostic keeps whole compilations alive between
/// edits and defeats caching, because those types compare by reference.
/// </summary>
internal static class RoslynObjectWalker
{
    private static readonly Type[] s_bannedTypes =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxReference), typeof(Location),
        typeof(Compilation), typeof(SemanticModel), typeof(Diagnostic), typeof(AttributeData),
    };

    /// <summary>Returns a path such as <c>root.Spec.Layers._items[0].Location</c> for every banned object found.</summary>
    public static List<string> FindRoslynObjects(object? root, string rootName = "root")
    {
        var found = new List<string>();
        Visit(root, rootName, new HashSet<object>(ReferenceEqualityComparer.Instance), found);
        return found;
    }

    private static void Visit(object? node, string path, HashSet<object> visited, List<string> found)
    {
        if (node is null)
        {
            return;
        }
        var type = node.GetType();
        if (IsBanned(type))
        {
            found.Add($"{path} ({type.FullName})");
            return;
        }
        if (type.IsPrimitive || type.IsEnum || node is string || node is decimal || node is Pointer)
        {
            return;
        }
        if (!type.IsValueType && !visited.Add(node))
        {
            return;
        }
        if (node is Array array)
        {
            int i = 0;
            foreach (var item in array)
            {
                Visit(item, $"{path}[{i++}]", visited, found);
            }
            return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }
                Visit(field.GetValue(node), $"{path}.{FieldDisplayName(field)}", visited, found);
            }
        }
    }

    private static bool IsBanned(Type type)
    {
        foreach (var banned in s_bannedTypes)
        {
            if (banned.IsAssignableFrom(type))
            {
                return true;
            }
        }
        return false;
    }

    // Records keep their properties in compiler-named backing fields: show the property name.
    private static string FieldDisplayName(FieldInfo field) =>
        field.GetCustomAttribute<CompilerGeneratedAttribute>() is not null && field.Name.StartsWith('<')
            ? field.Name.Substring(1, field.Name.IndexOf('>') - 1)
            : field.Name;
}
