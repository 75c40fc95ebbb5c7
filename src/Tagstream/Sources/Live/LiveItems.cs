using System.Runtime.CompilerServices;
using System.Text;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Mastodon;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;
using Tagstream.Sources.Parsing;

namespace Tagstream.Sources.Live;

/// <summary>
/// Turns each transport's raw records into posts with the parsers of <see cref="Parsing"/>, applies the client-side
/// filter, reports bad and unknown records once per kind, and frames each kept record for <c>tagstream record</c> in the
/// format replay reads back (X NDJSON, Jetstream JSONL, Mastodon SSE).
/// </summary>
internal static class LiveItems
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private static readonly byte[] Lf = "\n"u8.ToArray();

    public static async IAsyncEnumerable<LiveItem> FromXAsync(
        XFilteredStream stream, ProblemReporter problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in stream.ReadPayloadsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!XMatchingRules.MatchesOurs(line))
            {
                continue; // Delivered for another rule of the app, not for this feed's terms.
            }

            var outcome = XApiV2Parser.Parse(line);
            if (Classify(outcome, problems, XApiV2Parser.SourceName) is { } item)
            {
                yield return item.Post is null ? item : item with { Record = [.. line, .. CrLf] };
            }
        }
    }

    public static async IAsyncEnumerable<LiveItem> FromJetstreamAsync(
        JetstreamStream stream, PostFilter filter, ProblemReporter problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in stream.ReadPayloadsAsync(cancellationToken).ConfigureAwait(false))
        {
            var outcome = JetstreamParser.Parse(frame.Json);
            var position = new SourcePosition(stream.Host, frame.TimeUs);
            if (Classify(outcome, problems, JetstreamParser.SourceName) is { } item &&
                (item.Post is null || filter.Matches(item.Post, outcome.Text)))
            {
                yield return item with { Position = position, Record = item.Post is null ? [] : [.. frame.Json, .. Lf] };
            }
        }
    }

    public static async IAsyncEnumerable<LiveItem> FromMastodonAsync(
        IAsyncEnumerable<MastodonEvent> events, PostFilter filter, ProblemReporter problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var streamEvent in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var data = Encoding.UTF8.GetBytes(streamEvent.Data);
            var outcome = MastodonParser.ParseSseEvent(new SseEvent(streamEvent.Name, data, IsComment: false));
            if (Classify(outcome, problems, MastodonParser.SourceName) is { } item &&
                (item.Post is null || filter.Matches(item.Post, outcome.Text)))
            {
                yield return item.Post is null ? item : item with { Record = SseRecord(streamEvent) };
            }
        }
    }

    /// <summary>A post, a skipped malformed record, or null for a record that carries no post.</summary>
    private static LiveItem? Classify(ParseOutcome outcome, ProblemReporter problems, string source)
    {
        switch (outcome.Kind)
        {
            case ParseOutcomeKind.Post when outcome.Post is not null:
                return new LiveItem(outcome.Post, null, []);
            case ParseOutcomeKind.Malformed:
                problems.Report($"{source}.malformed.{outcome.Problem}", $"skipped a malformed record: {outcome.Problem}");
                return new LiveItem(null, null, []);
            case ParseOutcomeKind.StreamError:
                problems.Report($"{source}.stream-error.{outcome.Error?.Title}", $"the stream sent an error: {outcome.Error}");
                return null;
            case ParseOutcomeKind.Skip when outcome.SkipReason == SkipReason.OtherEvent && outcome.Problem is not null:
                problems.Report($"{source}.other.{outcome.Problem}", $"skipped records that are not new posts ({outcome.Problem})");
                return null;
            default:
                return null;
        }
    }

    /// <summary>The event as Server-Sent Events, the framing <c>--format mastodon-sse</c> replays, whichever transport read it.</summary>
    private static byte[] SseRecord(MastodonEvent streamEvent)
    {
        var text = new StringBuilder("event: ").Append(streamEvent.Name).Append('\n');
        foreach (var line in streamEvent.Data.Split('\n'))
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.Append('\n').ToString());
    }
}
