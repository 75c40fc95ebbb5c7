using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live;

/// <summary>
/// <c>tagstream record</c>'s engine: writes the raw payload of each post a live source delivers, in the framing the
/// replay reader reads back (X NDJSON with <c>\r\n</c>, Jetstream JSONL, Mastodon SSE), so a real stream captured
/// once replays the same posts.
/// </summary>
/// <remarks>
/// Records only the posts the feed would send (after the terms and language filter), not keep-alives, deletions or
/// malformed records. Each record is flushed whole, so stopping at any moment leaves a file of whole records.
/// </remarks>
public static class LiveRecorder
{
    /// <summary>Records until <paramref name="limit"/> posts were written or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="source">The live source to record.</param>
    /// <param name="destination">Receives the records.</param>
    /// <param name="limit">How many posts to record, or null for no limit.</param>
    /// <param name="onPost">Called after each post is written, for progress.</param>
    /// <param name="cancellationToken">Stops recording; the records written so far stay whole.</param>
    /// <returns>The number of posts written.</returns>
    /// <exception cref="LiveSourceException">The source stopped for good (for example a rejected credential).</exception>
    public static async Task<long> RecordAsync(
        LiveSource source, Stream destination, long? limit, Action<Post>? onPost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        long written = 0;
        try
        {
            while (limit is not { } max || written < max)
            {
                if (await source.ReadItemAsync(cancellationToken).ConfigureAwait(false) is not { } item)
                {
                    break;
                }

                if (item.Post is null)
                {
                    continue;
                }

                // Not cancellable: a record is written whole or not at all.
                await destination.WriteAsync(item.Record, CancellationToken.None).ConfigureAwait(false);
                await destination.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                written++;
                onPost?.Invoke(item.Post);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is how an unlimited recording ends.
        }

        return written;
    }
}
