using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Onnx.Import;
using ConvGen.Onnx.Protobuf;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Import;

/// <summary>
/// <c>convgen import model.onnx</c>: the ONNX importer of ConvGen.Onnx as a command. Writes the
/// declaration (<c>NAME.cs</c>, attribute or text form) and the weights (<c>NAME.safetensors</c>);
/// when operators cannot be mapped, lists every such node and exits with 1.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<string>("model") { Description = "The ONNX file to import (.onnx)." };
        var outDirectory = new Option<string>("--out") { Description = "Folder for NAME.cs and NAME.safetensors (created if missing).", DefaultValueFactory = _ => "." }.IsOutputFolder();
        var ns = new Option<string>("--namespace") { Description = "Namespace of the declared class.", DefaultValueFactory = _ => "Imported" };
        var className = new Option<string?>("--class") { Description = "Class name (default: the file name in PascalCase, e.g. resnet18.onnx -> Resnet18)." };
        var text = new Option<bool>("--text") { Description = "Write the declaration in the compact text form ([Network(\"\"\"...\"\"\")]) instead of one attribute per layer." };
        var command = new Command("import", "Import an ONNX CNN: write a ConvGen declaration (NAME.cs) and its weights (NAME.safetensors).")
        {
            model, outDirectory, ns, className, text,
        };
        command.SetAction(parse => Run(
            parse.GetValue(model)!, parse.GetValue(outDirectory)!, parse.GetValue(ns)!, parse.GetValue(className), parse.GetValue(text), output));
        return command;
    }

    private static int Run(string modelPath, string outDirectory, string ns, string? className, bool textForm, TextWriter output)
    {
        string path = InputFiles.Existing(modelPath, "an ONNX model", ".onnx");
        string name = className ?? Identifiers.PascalCase(Path.GetFileNameWithoutExtension(path));
        if (!Identifiers.IsIdentifier(name))
        {
            throw CliException.Usage($"--class '{name}' is not a C# identifier (letters, digits and _, not starting with a digit); pass --class NAME.");
        }
        if (!ns.Split('.').All(Identifiers.IsIdentifier))
        {
            throw CliException.Usage($"--namespace '{ns}' is not a C# namespace (identifiers separated by dots).");
        }

        ImportedNetwork network = OnnxModels.Import(path, modelPath);

        OutputFolder.Create(outDirectory);
        string declarationPath = Path.Combine(outDirectory, name + ".cs");
        string weightsPath = Path.Combine(outDirectory, name + ".safetensors");
        string declaration = textForm ? TextDeclaration(network, ns, name) : DeclarationWriter.Render(network, ns, name);
        // Weights first (written atomically): a declaration is never left without its weights.
        OutputFolder.Write(outDirectory, weightsPath, network.WriteWeights);
        OutputFolder.Write(outDirectory, declarationPath, file => File.WriteAllText(file, declaration));

        long values = network.Weights.Sum(w => (long)w.Data.Length);
        output.WriteLine($"Imported {Path.GetFileName(path)}: {network.Layers.Count} layers, input {network.InputShape} -> output {network.OutputShape}, {values:N0} weight values.");
        output.WriteLine($"  {declarationPath}  declaration of {ns}.{name} ({(textForm ? "text form" : "attributes")})");
        output.WriteLine($"  {weightsPath}  weights (safetensors; load with WeightsFile.Load)");
        return ExitCodes.Success;
    }

    private static string TextDeclaration(ImportedNetwork network, string ns, string name)
    {
        var text = new StringBuilder();
        text.AppendLine($"// Imported from {network.SourceName} by convgen import (text form); weights in {name}.safetensors.");
        text.AppendLine("using ConvGen;");
        text.AppendLine();
        text.AppendLine($"namespace {ns};");
        text.AppendLine();
        text.AppendLine("[Network(\"\"\"");
        foreach (string line in TextFormWriter.Render(network).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("    ").AppendLine(line.TrimEnd('\r'));
        }
        text.AppendLine("    \"\"\")]");
        text.AppendLine($"public sealed partial class {name};");
        return text.ToString();
    }
}
