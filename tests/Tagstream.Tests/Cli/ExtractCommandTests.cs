using System.Diagnostics;
using System.Text;
using Tagstream.Cli.Commands;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Cli;

public sealed class ExtractCommandTests
{
    [Theory]
    [InlineData("x_v2_filtered_stream.ndjson", "dotnet csharp\n", "tagstream extract: line 3: stream error in the input: operational-disconnect (UpstreamOperationalDisconnect): This stream has been disconnected upstream for operational reasons.\n")]
    [InlineData("twitter_v11_statuses.jsonl", "nodejs dotnet\n", "")]
    [InlineData("jetstream_v1_subscribe.jsonl", "dotnet csharp\n", "")]
    [InlineData("mastodon_sse_hashtag.txt", "dotnet csharp\n", "")]
    [InlineData("mastodon_ws_hashtag.jsonl", "dotnet csharp\n", "")]
    public async Task RunAsync_Fixture_OneProtocolLinePerPost(string fixture, string expectedOutput, string expectedError)
    {
        var (exitCode, output, error) = await RunAsync(File.ReadAllBytes(TestDataFiles.Fixture(fixture)), PostFormat.Auto);

        Assert.Equal(0, exitCode);
        Assert.Equal(expectedOutput, output);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public async Task RunAsync_Text_OneLinePerInputLineIncludingEmptyOnes()
    {
        var input = "Shipping #DotNet today\nno tags here\n\n\U0001F680＃Café &#not http://x.example/#frag #b\n";

        var (exitCode, output, error) = await RunAsync(Encoding.UTF8.GetBytes(input), PostFormat.Text);

        Assert.Equal(0, exitCode);
        Assert.Equal("dotnet\n\n\ncafé b\n", output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task RunAsync_JsonlText_TextsWithNewlines()
    {
        var (_, output, _) = await RunAsync("\"one #A\\n#b\"\n\"#c\"\n"u8.ToArray(), PostFormat.Auto);

        Assert.Equal("a b\nc\n", output);
    }

    [Fact]
    public async Task RunAsync_ManyBadRecords_FirstThreeReportedThenSummarised()
    {
        var input = new StringBuilder();
        input.Append("{\"data\":{\"id\":\"1\",\"text\":\"#first\"}}\n");
        for (var i = 0; i < 10; i++)
        {
            input.Append("{broken\n");
        }

        input.Append("{\"data\":{\"id\":5}}\n");
        input.Append("{\"data\":{\"id\":\"2\",\"text\":\"#last\"}}\n");

        var (exitCode, output, error) = await RunAsync(Encoding.UTF8.GetBytes(input.ToString()), PostFormat.XApiV2);

        Assert.Equal(0, exitCode);
        Assert.Equal("first\nlast\n", output);
        Assert.Equal(
            """
            tagstream extract: line 2: skipped: invalid JSON
            tagstream extract: line 3: skipped: invalid JSON
            tagstream extract: line 4: skipped: invalid JSON
            tagstream extract: line 12: skipped: data.id is not a string
            tagstream extract: 7 more lines like that: skipped: invalid JSON

            """.ReplaceLineEndings("\n"),
            error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task RunAsync_UnreadableInput_ExitCodeOne()
    {
        var (exitCode, _, error) = await RunAsync(new FailingStream(), PostFormat.Text);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("tagstream extract: cannot read standard input: ", error, StringComparison.Ordinal);
    }

    /// <summary>The real command in its own process: arguments parsed, stdin read to its end, stdout written.</summary>
    [Fact]
    public async Task Extract_AsProcess_ReadsStdinWritesStdout()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll"), "extract", "--format", "mastodon-sse" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var readOutput = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var readError = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.BaseStream.WriteAsync(File.ReadAllBytes(TestDataFiles.Fixture("mastodon_sse_hashtag.txt")), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        await readOutput;

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("dotnet csharp\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Empty(await readError);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(byte[] input, PostFormat format) =>
        RunAsync(new MemoryStream(input), format);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Stream input, PostFormat format)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        var exitCode = await ExtractCommand.RunAsync(input, output, error, format, TestContext.Current.CancellationToken);
        return (exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
