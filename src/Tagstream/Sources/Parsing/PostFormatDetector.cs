using System.Text;
using System.Text.Json;
using Tagstream.Hashtags;

namespace Tagstream.Sources.Parsing;

/// <summary>Recognises the format of a recorded or piped stream from its first lines.</summary>
/// <remarks>
/// The first line that is not blank decides: SSE field or comment lines mean Mastodon SSE; a JSON object is classified by
/// its properties (<c>data</c>/<c>errors</c>: X v2; <c>did</c> and <c>kind</c>: Jetstream; <c>event</c> and
/// <c>payload</c>: Mastodon WebSocket; <c>delete</c>, <c>limit</c>, <c>id_str</c>, <c>user</c> or <c>entities</c>:
/// v1.1), an object of no known shape or invalid JSON defers to the next line; a JSON string means jsonl-text. Other
/// lines are protocol lines when every sampled line is made only of tag characters that normalisation leaves unchanged (what a feed sends),
/// otherwise text. A text dump of plain lower-case words therefore reads as protocol lines: pass the format then.
/// </remarks>
public static class PostFormatDetector
{
    /// <summary>How many bytes of the start of a stream detection looks at.</summary>
    public const int SampleBytes = 64 * 1024;

    /// <summary>Detects the format from the start of a stream.</summary>
    /// <param name="head">The first bytes of the stream (at most <see cref="SampleBytes"/> are used).</param>
    /// <param name="isWholeStream">True when <paramref name="head"/> is the whole stream, so its last line is complete.</param>
    /// <returns>The format; <see cref="PostFormat.Text"/> when nothing decides (raw-text extraction reads anything).</returns>
    public static PostFormat Detect(ReadOnlySpan<byte> head, bool isWholeStream)
    {
        if (head.Length > SampleBytes)
        {
            head = head[..SampleBytes];
            isWholeStream = false;
        }

        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        var sawLine = false;
        var allProtocol = true;
        var sawUnknownJson = false;
        while (!head.IsEmpty)
        {
            var newline = head.IndexOf((byte)'\n');
            if (newline < 0 && !isWholeStream)
            {
                break;
            }

            var line = newline < 0 ? head : head[..newline];
            head = newline < 0 ? [] : head[(newline + 1)..];
            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            sawLine = true;
            if (line[0] == (byte)':' || line.StartsWith("event:"u8) || line.StartsWith("data:"u8))
            {
                return PostFormat.MastodonSse;
            }

            if (line[0] == (byte)'{')
            {
                if (ClassifyObject(line) is { } format)
                {
                    return format;
                }

                sawUnknownJson = true;
                continue;
            }

            if (line[0] == (byte)'"' && IsJsonString(line))
            {
                return PostFormat.JsonlText;
            }

            allProtocol &= IsProtocolLike(line);
        }

        return !sawLine ? PostFormat.Protocol
            : sawUnknownJson || !allProtocol ? PostFormat.Text
            : PostFormat.Protocol;
    }

    /// <summary>Detects the format of a file from its first <see cref="SampleBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PostFormat DetectFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var head = new byte[SampleBytes];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Detect(head.AsSpan(0, length), isWholeStream: length < head.Length);
    }

    private static PostFormat? ClassifyObject(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            bool Has(string name) => root.TryGetProperty(name, out _);
            if (Has("did") && Has("kind"))
            {
                return PostFormat.Jetstream;
            }

            if (Has("event") && Has("payload"))
            {
                return PostFormat.MastodonWebSocket;
            }

            if (Has("data") || Has("errors"))
            {
                return PostFormat.XApiV2;
            }

            return Has("delete") || Has("limit") || Has("id_str") || Has("user") || Has("entities")
                ? PostFormat.TwitterV11
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJsonString(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            return reader.Read() && reader.TokenType == JsonTokenType.String && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a line looks like a feed's output: tokens that normalisation leaves unchanged and that carry no <c>#</c>.
    /// Any other character is allowed, as the protocol counts any token (the synthetic stream has emoji in its tags);
    /// a raw post text gives itself away by its <c>#</c> signs, capitals or links.
    /// </summary>
    private static bool IsProtocolLike(ReadOnlySpan<byte> line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(line);
        foreach (var token in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Contains('#', StringComparison.Ordinal) || token.Contains('＃', StringComparison.Ordinal) || token.Contains("://", StringComparison.Ordinal))
            {
                return false;
            }

            if (HashtagNormalizer.Normalize(token) != token)
            {
                return false;
            }
        }

        return true;
    }
}
