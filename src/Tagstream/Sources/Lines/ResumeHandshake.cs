using System.Globalization;
using System.Text;

namespace Tagstream.Sources.Lines;

/// <summary>
/// The optional first exchange on a feed connection (docs/protocol.md, "Resuming"). A Tagstream counter opens with
/// <c>TAGSTREAM/1 RESUME run=RUN line=N</c> or <c>TAGSTREAM/1 START</c>; the feed answers
/// <c>TAGSTREAM/1 OK run=RUN line=N missing=M</c> and then sends plain lines starting at line N of run RUN.
/// A client that says nothing within the hello timeout, like <c>nc</c>, just gets plain lines.
/// </summary>
internal static class ResumeHandshake
{
    public const string Magic = "TAGSTREAM/1 ";

    /// <summary>The longest hello or answer line, in bytes.</summary>
    public const int MaxLineBytes = 512;

    /// <summary>Marks an unknown number of missing lines: the feed restarted and the previous run's tail is gone.</summary>
    public const long UnknownMissing = -1;

    public static byte[] FormatHello(SourcePosition? resumeFrom) => Encoding.UTF8.GetBytes(resumeFrom is { } from
        ? string.Create(CultureInfo.InvariantCulture, $"{Magic}RESUME run={from.Run} line={from.Offset}\n")
        : $"{Magic}START\n");

    public static byte[] FormatAnswer(string run, long line, long missing) => Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Magic}OK run={run} line={line} missing={(missing == UnknownMissing ? "?" : missing.ToString(CultureInfo.InvariantCulture))}\n"));

    /// <summary>Parses a hello line (without its <c>\n</c>); false when it is not one.</summary>
    public static bool TryParseHello(string line, out SourcePosition? resumeFrom)
    {
        resumeFrom = null;
        if (!line.StartsWith(Magic, StringComparison.Ordinal))
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
            && line1.StartsWith("line=", StringComparison.Ordinal)
            && long.TryParse(line1.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            resumeFrom = new SourcePosition(run[4..], number);
            return true;
        }

        return false;
    }

    /// <summary>Parses the feed's answer line (without its <c>\n</c>).</summary>
    public static bool TryParseAnswer(string line, out string run, out long firstLine, out long missing)
    {
        run = "";
        firstLine = 0;
        missing = 0;
        if (!line.StartsWith(Magic, StringComparison.Ordinal))
        {
            return false;
        }

        string[] words = line[Magic.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["OK", var runWord, var lineWord, var missingWord]
            || !runWord.StartsWith("run=", StringComparison.Ordinal)
            || !lineWord.StartsWith("line=", StringComparison.Ordinal)
            || !missingWord.StartsWith("missing=", StringComparison.Ordinal)
            || !long.TryParse(lineWord.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out firstLine))
        {
            return false;
        }

        run = runWord[4..];
        if (missingWord == "missing=?")
        {
            missing = UnknownMissing;
            return true;
        }

        return long.TryParse(missingWord.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out missing);
    }
}
