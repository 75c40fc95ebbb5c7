using Tagstream.Cluster;
using Xunit;

namespace Tagstream.Tests.Cluster;

public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("redis://localhost:23000", "localhost", 23000)]
    [InlineData("redis://[::1]:7000", "::1", 7000)]
    public void Parse_LoopbackWithoutPassword_IsAccepted(string text, string host, int port)
    {
        ClusterAddress? address = ClusterAddress.Parse(text, null, out string? problem);

        Assert.Null(problem);
        Assert.Equal(host, address!.Host);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1")]
    [InlineData("redis://127.0.0.1:6379/2")]
    public void Parse_NotARedisUrlWithAPort_SaysWhatItMustLookLike(string text)
    {
        Assert.Null(ClusterAddress.Parse(text, null, out string? problem));
        Assert.Contains("redis://HOST:PORT", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RemoteWithoutPassword_IsRefused()
    {
        Assert.Null(ClusterAddress.Parse("redis://10.1.2.3:6379", null, out string? problem));
        Assert.Contains(ClusterAddress.PasswordVariable, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RemoteWithPassword_NeverShowsIt()
    {
        ClusterAddress urlPassword = ClusterAddress.Parse("redis://:s3cret-in-url@10.1.2.3:6379", null, out _)!;
        ClusterAddress envPassword = ClusterAddress.Parse("redis://10.1.2.3:6379", "s3cret-in-env", out _)!;

        Assert.Equal("redis://10.1.2.3:6379", urlPassword.ToString());
        Assert.Equal("s3cret-in-url", urlPassword.ToRedisOptions(abortOnConnectFail: true).Password);
        Assert.Equal("s3cret-in-env", envPassword.ToRedisOptions(abortOnConnectFail: true).Password);
        Assert.DoesNotContain("s3cret", urlPassword.ToString(), StringComparison.Ordinal);
    }
}
