using Tagstream.Sources.Parsing;

namespace Tagstream.Cli.Dashboard;

/// <summary>One view of one batch, encoded once for every viewer.</summary>
/// <param name="Top">The ranking.</param>
/// <param name="Json">The batch as <c>count --output jsonl</c> writes it, with this ranking (UTF-8).</param>
/// <param name="SseEvent">The same JSON framed as one Server-Sent Event, ready to be written to each stream.</param>
/// <param name="Svg">The bar chart (UTF-8 SVG), drawn when a viewer first asks for it: nobody watching costs no drawing.</param>
internal sealed record ViewFrame(IReadOnlyList<HashtagCount> Top, byte[] Json, byte[] SseEvent, Lazy<byte[]> Svg);
