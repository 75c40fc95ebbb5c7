using System.Text;
using BenchmarkDotNet.Attributes;
using Tagstream.Sources.Parsing;

namespace Tagstream.Benchmarks;

/// <summary>One record of each wire format through its parser (payloads shaped like the shared fixtures).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private static readonly byte[] XLine = Encoding.UTF8.GetBytes(
        """{"data":{"edit_history_tweet_ids":["1790000000000000001"],"entities":{"hashtags":[{"start":11,"end":18,"tag":"dotnet"},{"start":25,"end":32,"tag":"CSharp"}]},"id":"1790000000000000001","lang":"en","text":"🚀 Shipping #dotnet today #CSharp &amp; more"},"matching_rules":[{"id":"1273026480692322304","tag":"has-hashtags-en"}]}""");

    private static readonly byte[] JetstreamLine = Encoding.UTF8.GetBytes(
        """{"did":"did:plc:abcdefghijklmnopqrstuvwx","time_us":1783175888172335,"kind":"commit","commit":{"rev":"3mptbypoove2w","operation":"create","collection":"app.bsky.feed.post","rkey":"3mptbypfywk2v","record":{"$type":"app.bsky.feed.post","createdAt":"2026-07-04T14:38:07.323Z","facets":[{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"dotnet"}],"index":{"byteEnd":21,"byteStart":14}},{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"CSharp"}],"index":{"byteEnd":35,"byteStart":28}}],"langs":["en"],"text":"🚀 Shipping #dotnet today #CSharp"},"cid":"bafyreifjsh3dec2j6d7nqh7l4ipfd6xbtpv5tf6lqk2fpsx77aa4uyypim"}}""");

    private static readonly byte[] MastodonStatus = Encoding.UTF8.GetBytes(
        """{"id":"113000000000000001","created_at":"2026-07-04T14:38:07.000Z","in_reply_to_id":null,"sensitive":false,"spoiler_text":"","visibility":"public","language":"en","uri":"https://mastodon.example/users/alice/statuses/113000000000000001","url":"https://mastodon.example/@alice/113000000000000001","content":"<p>Shipping <a href=\"https://mastodon.example/tags/dotnet\" class=\"mention hashtag\" rel=\"tag\">#<span>dotnet</span></a> <a href=\"https://mastodon.example/tags/CSharp\" class=\"mention hashtag\" rel=\"tag\">#<span>CSharp</span></a></p>","reblog":null,"account":{"id":"109000000000000001","username":"alice","acct":"alice"},"mentions":[],"tags":[{"name":"dotnet","url":"https://mastodon.example/tags/dotnet"},{"name":"CSharp","url":"https://mastodon.example/tags/CSharp"}],"emojis":[]}""");

    private static readonly byte[] TextLine = Encoding.UTF8.GetBytes("🚀 Shipping #dotnet today #CSharp, see https://example.com/#notes & #café");

    [Benchmark(Description = "X v2 line")]
    public ParseOutcome XApiV2() => XApiV2Parser.Parse(XLine);

    [Benchmark(Description = "Jetstream event")]
    public ParseOutcome Jetstream() => JetstreamParser.Parse(JetstreamLine);

    [Benchmark(Description = "Mastodon status")]
    public ParseOutcome Mastodon() => MastodonParser.ParseStatus(MastodonStatus);

    [Benchmark(Description = "Raw text line")]
    public ParseOutcome Text() => TextPostParser.ParseText(TextLine, "1");
}
