using Tagstream.Sources;
using Tagstream.Sources.Live;

namespace Tagstream.Tests.Sources.Live;

public sealed class PostFilterTests
{
    [Theory]
    [InlineData("dotnet", new[] { "dotnet" }, null, true)]
    [InlineData("#DotNet", new[] { "dotnet" }, null, true)]
    [InlineData("dotnet", new[] { "dotnetconf" }, null, false)]
    [InlineData("dotnet", new string[0], "I like DotNet.", true)]
    [InlineData("dotnet", new string[0], "I like dotnetconf", false)]
    [InlineData("dotnet", new string[0], "asp.dotnet-core", true)]
    [InlineData("net", new string[0], "network", false)]
    [InlineData("c#", new string[0], "I write C# daily", true)]
    [InlineData("ÉTÉ", new[] { "été" }, null, true)]
    public void Matches_OneTerm_HashtagOrWholeWordIgnoringCase(string term, string[] hashtags, string? text, bool expected) =>
        Assert.Equal(expected, new PostFilter([term], null).Matches(Post(hashtags, "en"), text));

    [Fact]
    public void Matches_NoTerms_KeepsEveryPost() =>
        Assert.True(new PostFilter([], null).Matches(Post([], null), null));

    [Theory]
    [InlineData("en", "en", true)]
    [InlineData("en", "EN-us", true)]
    [InlineData("en", "eng", false)]
    [InlineData("en", "fr", false)]
    [InlineData("en", null, false)]
    public void Matches_Language_ExactOrRegionalVariant(string wanted, string? language, bool expected) =>
        Assert.Equal(expected, new PostFilter([], wanted).Matches(Post([], language), null));

    private static Post Post(string[] hashtags, string? language) => new("bluesky", "1", null, language, null, hashtags);
}
