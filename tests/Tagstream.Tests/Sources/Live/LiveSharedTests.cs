using Microsoft.Extensions.Time.Testing;
using Tagstream.Sources;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Tests.Sources.Live;

public sealed class LiveSharedTests
{
    [Fact]
    public void SecretToken_ToStringAndInterpolation_NeverShowTheValue()
    {
        var token = new SecretToken("X_BEARER_TOKEN", LiveTestContext.Token);

        Assert.Equal("X_BEARER_TOKEN=***", token.ToString());
        Assert.DoesNotContain(LiveTestContext.Token, $"{token} {new { token }}", StringComparison.Ordinal);
        Assert.Equal(LiveTestContext.Token, token.Reveal());
    }

    [Fact]
    public void SecretToken_Blank_IsRejectedWithoutTheValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new SecretToken("MASTODON_TOKEN", "   "));
        Assert.Contains("MASTODON_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemReporter_Repeats_FirstWrittenThenSummarisedOncePerInterval()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        var reporter = new ProblemReporter("x", new Progress(lines), time, TimeSpan.FromSeconds(10));

        for (var i = 0; i < 1000; i++)
        {
            reporter.Report("bad-json", "malformed JSON");
        }

        reporter.Report("http-500", "HTTP 500");
        Assert.Equal(["malformed JSON", "HTTP 500"], lines);

        time.Advance(TimeSpan.FromSeconds(10));
        reporter.Report("bad-json", "malformed JSON");
        Assert.Equal("malformed JSON (and 999 more like it since the last report)", lines[^1]);

        reporter.Report("bad-json", "malformed JSON");
        reporter.Flush();
        Assert.Equal("bad-json: 1 more like the last report", lines[^1]);
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void ProblemReporter_MessageWithLineBreaks_IsWrittenAsOneLine()
    {
        var lines = new List<string>();
        new ProblemReporter("x", new Progress(lines), TimeProvider.System).Report("k", "a\nb\r\nc");
        Assert.Equal(["a b c"], lines);
    }

    private sealed class Progress(List<string> lines) : IProgress<SourceStatus>
    {
        public void Report(SourceStatus value)
        {
            Assert.Equal("x", value.Source);
            lines.Add(value.Message);
        }
    }

    [Fact]
    public void DescribeErrorBody_JsonProblemOrText_GivesOneShortLine()
    {
        Assert.Equal("Unauthorized", LiveHttp.DescribeErrorBody("""{"title":"Unauthorized","detail":"Unauthorized"}"""));
        Assert.Equal("Client Forbidden: client-not-enrolled", LiveHttp.DescribeErrorBody("""{"title":"Client Forbidden","reason":"client-not-enrolled"}"""));
        Assert.Equal("oops here", LiveHttp.DescribeErrorBody("oops\nhere"));
        Assert.Equal(303, LiveHttp.DescribeErrorBody(new string('x', 5000)).Length);
    }
}
