using System.Buffers;
using System.Globalization;
using System.Text;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// Frames Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
/// The data is single-line JSON, so each event has exactly one <c>data:</c> line.
/// </summary>
internal static class SseEvent
{
    /// <summary>How long a browser waits before reconnecting, sent in the first event of every stream.</summary>
    public const int RetryMilliseconds = 1000;

    /// <summary>A <c>batch</c> event whose id is the batch number.</summary>
    public static byte[] Batch(long batch, ReadOnlySpan<byte> json) =>
        Frame("batch", batch.ToString(CultureInfo.InvariantCulture), json, retry: false);

    /// <summary>The <c>hello</c> event that opens every stream, with the reconnection delay.</summary>
    public static byte[] Hello(ReadOnlySpan<byte> json) => Frame("hello", id: null, json, retry: true);

    private static byte[] Frame(string name, string? id, ReadOnlySpan<byte> json, bool retry)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        if (retry)
        {
            Append(output, "retry: " + RetryMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n");
        }

        Append(output, "event: " + name + "\n");
        if (id is not null)
        {
            Append(output, "id: " + id + "\n");
        }

        Append(output, "data: ");
        output.Write(json);
        Append(output, "\n\n");
        return output.WrittenSpan.ToArray();
    }

    private static void Append(ArrayBufferWriter<byte> output, string text) =>
        output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
}
