using System;
using System.IO;
using ConvGen.Data;
using ConvGen.Onnx.Protobuf;
using ConvGen.Tool.Cli;

namespace ConvGen.Tool.Tests;

/// <summary>The guard every command runs under: one message, exit code 1 or 2, never a stack trace.</summary>
public sealed class FailureReportTests
{
    private static (int ExitCode, string Error) Report(Exception failure, bool debug = false)
    {
        var error = new StringWriter();
        int exitCode = Failures.Report(Thrown(failure), error, debug);
        return (exitCode, error.ToString());
    }

    // A thrown exception has a stack trace, which must stay out of the report.
    private static Exception Thrown(Exception failure)
    {
        try
        {
            throw failure;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public static TheoryData<Exception, string> BadInput => new()
    {
        { new InvalidDataException("w.safetensors: header length 99 does not fit the 20-byte file."), "w.safetensors: header length 99" },
        { new DataFileException("cat.png", "not a PNG, JPEG, BMP or GIF picture"), "cat.png" },
        { new ProtobufFormatException("m.onnx: field 15 uses wire type 7", 0), "m.onnx: field 15" },
        { new UnauthorizedAccessException("Access to the path '/root/x' is denied."), "'/root/x'" },
        { new FileNotFoundException("Could not find file '/tmp/x.onnx'."), "/tmp/x.onnx" },
        // A worker pool's failure arrives wrapped; the reader's message is what counts.
        { new AggregateException("A training worker failed.", new InvalidDataException("d.idx: 3 labels, 4 images.")), "d.idx: 3 labels, 4 images." },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_exceptions_print_their_message_alone_with_exit_code_1(Exception failure, string expected)
    {
        var (exitCode, error) = Report(failure);
        Assert.Equal(1, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unexpected_exceptions_are_one_internal_error_line_with_exit_code_1()
    {
        var (exitCode, error) = Report(new NullReferenceException("Object reference not set to an instance of an object."));
        Assert.Equal(1, exitCode);
        Assert.Equal(
            "convgen: internal error (NullReferenceException): Object reference not set to an instance of an object. (set CONVGEN_DEBUG=1 to see where)",
            error.TrimEnd());
    }

    [Fact]
    public void The_debug_switch_adds_the_stack_trace()
    {
        var (exitCode, error) = Report(new NullReferenceException("lost"), debug: true);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("convgen: internal error (NullReferenceException): lost", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cli_exception_keeps_its_exit_code()
    {
        var (exitCode, error) = Report(CliException.Usage("--layer conv9: no such layer."));
        Assert.Equal(2, exitCode);
        Assert.Equal("--layer conv9: no such layer.", error.TrimEnd());
    }

    [Fact]
    public async System.Threading.Tasks.Task The_installed_program_reports_a_corrupt_file_in_one_line_without_a_stack_trace()
    {
        // The real entry point in its own process: Main, the console writers and the exit code.
        string folder = Directory.CreateTempSubdirectory("convgen-tool-").FullName;
        try
        {
            string file = Path.Combine(folder, "cut.safetensors");
            File.WriteAllBytes(file, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{' });
            var start = new System.Diagnostics.ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(typeof(ConvGenCli).Assembly.Location);
            start.ArgumentList.Add("inspect");
            start.ArgumentList.Add(file);
            start.Environment.Remove(Failures.DebugVariable);
            using var process = System.Diagnostics.Process.Start(start)!;
            var errorText = process.StandardError.ReadToEndAsync();
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            string error = await errorText;
            Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\n{output}\n{error}");
            Assert.Equal("", output);
            string message = error.TrimEnd();
            Assert.DoesNotContain('\n', message);
            Assert.Contains("cut.safetensors: header length 200 bytes goes beyond the end of the file (only 1 byte follows the 8-byte length)", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
