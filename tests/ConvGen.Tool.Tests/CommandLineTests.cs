namespace ConvGen.Tool.Tests;

/// <summary>Help text and the usage exit code, common to every command.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Help_lists_every_command_and_the_exit_codes()
    {
        var result = Convgen.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "import <model>", "summary <file>", "inspect <file>", "visualize <model>", "bench" })
        {
            Assert.Contains(command, result.Output);
        }
        Assert.Contains("Exit codes: 0 success, 1 bad input file, 2 command-line error", result.Output);
    }

    [Theory]
    [InlineData("import", "--namespace", "--class", "--text")]
    [InlineData("summary", "<file>", "trainable / non-trainable", "")]
    [InlineData("inspect", "<file>", "NaN", "--no-metadata")]
    [InlineData("visualize", "--image", "--layer", "--scale")]
    [InlineData("bench", "--net", "--threads", "--json")]
    public void Each_command_explains_its_arguments(string command, string first, string second, string third)
    {
        var result = Convgen.Run(command, "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(first, result.Output);
        Assert.Contains(second, result.Output);
        Assert.Contains(third, result.Output);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var result = Convgen.Run();
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Required command was not provided", result.Error);
        Assert.Contains("Run 'convgen --help'", result.Error);
    }

    [Fact]
    public void Unknown_command_and_missing_argument_are_usage_errors_that_point_at_help()
    {
        var unknown = Convgen.Run("train", "x");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'train'", unknown.Error);

        var missing = Convgen.Run("summary");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Required argument missing for command: 'summary'", missing.Error);
        Assert.Contains("Run 'convgen summary --help'", missing.Error);
    }
}
