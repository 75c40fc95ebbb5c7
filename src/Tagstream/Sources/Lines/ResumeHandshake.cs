using System.Globalization;
using System.Text;

namespace Tagstream.Sources.Lines;

/// <summary>
/// The optional first exchange on a feed connection, and the end-of-run marker (docs/protocol.md, "Resuming").
/// </summary>
/// <remarks>
/// <para>
/// A Tagstream counter opens with <c>TAGSTREAM/2 RESUME run=RUN line=N</c> or <c>TAGSTREAM/2 START</c>; the feed
/// answers <c>TAGSTREAM/2 OK run=RUN line=N missing=M end=KEY</c> and then sends plain lines starting at line N of run
/// RUN (after a <c>START</c>, only once the counter has said <c>TAGSTREAM/2 GO</c>: it had made line N durable). When the run ends on purpose, the last line it sends is the end marker <c>\0TAGSTREAM/2 END run=RUN line=N
/// end=KEY</c>, then a FIN: a FIN without the marker is a feed that stopped or crashed. KEY is random for each
/// connection, so no line of the stream can be taken for the marker. Version 1 (no <c>end=</c>, no marker) is still
/// answered for older counters. A client that says nothing, like <c>nc</c>, just gets plain lines.
/// </para>
/// </remarks>
internal static class ResumeHandshake
{
    /// <summary>What every hello and answer starts with, whatever its version.</summary>
    public const string Prefix = "TAGSTREAM/";

    /// <summary>The hello and answer of version 2, which has the end-of-run marker.</summary>
    public const string Magic = "TAGSTREAM/2 ";

    private const string MagicV1 = "TAGSTREAM/1 ";

    /// <summary>The longest hello or answer line, in bytes.</summary>
    public const int MaxLineBytes = 512;

    /// <summary>Marks an unknown number of missing lines: the feed restarted and the previous run's tail is gone.</summary>
    public const long UnknownMissing = -1;

    /// <summary>
    /// What a version 2 counter that said <c>START</c> sends once it has made the answered position durable; the feed
    /// sends it no line before.
    /// </summary>
    public static byte[] Go => Encoding.ASCII.GetBytes(Magic + "GO\n");

    /// <summary>The first byte of the end marker: no post starts with it (a NUL makes its first token malformed).</summary>
    public const byte EndMarkerStart = 0;

    public static byte[] FormatHello(SourcePosition? resumeFrom) => Encoding.UTF8.GetBytes(resumeFrom is { } from
        ? string.Create(CultureInfo.InvariantCulture, $"{Magic}RESUME run={from.Run} line={from.Offset}\n")
        : $"{Magic}START\n");

    /// <summary>The answer to a hello of <paramref name="version"/>; <paramref name="endKey"/> only for version 2.</summary>
    public static byte[] FormatAnswer(int version, string run, long line, long missing, string? endKey)
    {
        string missingText = missing == UnknownMissing ? "?" : missing.ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(version == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{MagicV1}OK run={run} line={line} missing={missingText}\n")
            : string.Create(CultureInfo.InvariantCulture, $"{Magic}OK run={run} line={line} missing={missingText} end={endKey}\n"));
    }

    /// <summary>The line that ends a run for a version 2 client: every line before it was the whole run.</summary>
    public static byte[] FormatEndMarker(string run, long line, string endKey) => Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"\0{Magic}END run={run} line={line} end={endKey}\n"));

    /// <summary>A fresh random key for one connection's end marker.</summary>
    public static string NewEndKey() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>Parses a hello line (without its <c>\n</c>); false when it is not one.</summary>
    /// <param name="line">The line.</param>
    /// <param name="version">1 or 2.</param>
    /// <param name="resumeFrom">The position to resume at; null for <c>START</c>.</param>
    public static bool TryParseHello(string line, out int version, out SourcePosition? resumeFrom)
    {
        resumeFrom = null;
        version = line.StartsWith(Magic, StringComparison.Ordinal) ? 2 : line.StartsWith(MagicV1, StringComparison.Ordinal) ? 1 : 0;
        if (version == 0)
        {
            return false;
        }

        string[] words = line[Magic.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["START"])
        {
            return true;
        }

        if (words is ["RESUME", var run, var line1]
            && run.StartsWith("run=", StringComparison.Ordinal)
            && run.Length > 4
            && line1.StartsWith("line=", StringComparison.Ordinal)
            && long.TryParse(line1.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            resumeFrom = new SourcePosition(run[4..], number);
            return true;
        }

        return false;
    }

    /// <summary>Parses the feed's version 2 answer line (without its <c>\n</c>).</summary>
    public static bool TryParseAnswer(string line, out string run, out long firstLine, out long missing, out string endKey)
    {
        run = "";
        endKey = "";
        firstLine = 0;
        missing = 0;
        if (!line.StartsWith(Magic, StringComparison.Ordinal))
        {
            return false;
        }

        string[] words = line[Magic.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["OK", var runWord, var lineWord, var missingWord, var endWord]
            || !runWord.StartsWith("run=", StringComparison.Ordinal)
            || !lineWord.StartsWith("line=", StringComparison.Ordinal)
            || !missingWord.StartsWith("missing=", StringComparison.Ordinal)
            || !endWord.StartsWith("end=", StringComparison.Ordinal)
            || endWord.Length == 4
            || !long.TryParse(lineWord.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out firstLine))
        {
            return false;
        }

        run = runWord[4..];
        endKey = endWord[4..];
        if (missingWord == "missing=?")
        {
            missing = UnknownMissing;
            return true;
        }

        return long.TryParse(missingWord.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out missing);
    }

    /// <summary>
    /// Whether <paramref name="line"/> (without its <c>\n</c>) is the end marker of run <paramref name="run"/> with
    /// <paramref name="endKey"/>; <paramref name="lastLine"/> is the line number it says the run ended after.
    /// </summary>
    public static bool IsEndMarker(ReadOnlySpan<byte> line, string run, string endKey, out long lastLine)
    {
        lastLine = 0;
        if (line.IsEmpty || line[0] != EndMarkerStart || line.Length > MaxLineBytes)
        {
            return false;
        }

        string text = Encoding.UTF8.GetString(line[1..]);
        string expectedStart = $"{Magic}END run={run} line=";
        string expectedEnd = $" end={endKey}";
        return text.StartsWith(expectedStart, StringComparison.Ordinal)
            && text.EndsWith(expectedEnd, StringComparison.Ordinal)
            && text.Length > expectedStart.Length + expectedEnd.Length
            && long.TryParse(
                text.AsSpan(expectedStart.Length, text.Length - expectedStart.Length - expectedEnd.Length),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out lastLine);
    }
}
