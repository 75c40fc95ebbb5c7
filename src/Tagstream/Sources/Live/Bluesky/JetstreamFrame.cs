namespace Tagstream.Sources.Live.Bluesky;

/// <summary>One Jetstream event as received: its JSON text and the fields the transport reads for resuming.</summary>
/// <param name="Json">The event's JSON, UTF-8.</param>
/// <param name="TimeUs">The event's <c>time_us</c>, the cursor to resume after it.</param>
/// <param name="Kind">The event's <c>kind</c>: <c>commit</c>, <c>identity</c> or <c>account</c>.</param>
internal sealed record JetstreamFrame(byte[] Json, long TimeUs, string Kind);
