using System.Text;

namespace Tagstream.Tests.Counting;

/// <summary>
/// The obviously-correct counter the fast path must equal: decode each line, split it as Python's str.split() does,
/// count strings in a Dictionary. A line that is not valid UTF-8 or has a NUL byte falls back to the token rule of
/// docs/protocol.md: split the bytes on ASCII whitespace, a piece that is invalid or has a NUL is one malformed token,
/// other pieces are decoded and split like a valid line.
/// </summary>
internal sealed class NaiveReference
{
    // The characters for which Python's str.isspace() is true, listed by hand (not via .NET's whitespace tables).
    private const string PythonWhitespace =
        "\t\n\v\f\r\x1C\x1D\x1E\x1F \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Dictionary<string, long> _batch = new(StringComparer.Ordinal);

    public Dictionary<string, long> Totals { get; } = new(StringComparer.Ordinal);

    public long Posts { get; private set; }

    public long Tags { get; private set; }

    public long Malformed { get; private set; }

    public void Count(ReadOnlySpan<byte> lines)
    {
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf((byte)'\n');
            if (end < 0)
            {
                Line(lines);
                return;
            }

            Line(lines[..end]);
            lines = lines[(end + 1)..];
        }
    }

    /// <summary>Ends the batch: returns the counts in it and adds them to the totals.</summary>
    public Dictionary<string, long> CloseBatch()
    {
        var batch = _batch;
        foreach (var (tag, count) in batch)
        {
            Totals[tag] = Totals.GetValueOrDefault(tag) + count;
        }

        _batch = new(StringComparer.Ordinal);
        return batch;
    }

    public void AddTotal(string tag, long count)
    {
        if (count > 0)
        {
            Totals[tag] = Totals.GetValueOrDefault(tag) + count;
        }
    }

    /// <summary>Distinct tags counted, in closed batches or in the open one.</summary>
    public int Distinct => Totals.Keys.Union(_batch.Keys, StringComparer.Ordinal).Count();

    public List<(string Tag, long Total)> Top(int n) =>
    [
        .. Totals
            .Select(pair => (Tag: pair.Key, Total: pair.Value))
            .Order(Comparer<(string Tag, long Total)>.Create(static (a, b) =>
                a.Total != b.Total ? b.Total.CompareTo(a.Total) : CompareUtf8(a.Tag, b.Tag)))
            .Take(n),
    ];

    public static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    public static string[] PythonSplit(string text) =>
        text.Split(PythonWhitespace.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);

    private void Line(ReadOnlySpan<byte> line)
    {
        Posts++;
        if (TryDecode(line, out var text))
        {
            AddAll(text);
            return;
        }

        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && !IsAsciiWhitespace(line[i]))
            {
                continue;
            }

            if (i > start)
            {
                if (TryDecode(line[start..i], out var piece))
                {
                    AddAll(piece);
                }
                else
                {
                    Malformed++;
                }
            }

            start = i + 1;
        }
    }

    private void AddAll(string text)
    {
        foreach (var tag in PythonSplit(text))
        {
            _batch[tag] = _batch.GetValueOrDefault(tag) + 1;
            Tags++;
        }
    }

    private static bool IsAsciiWhitespace(byte b) => b < 0x80 && PythonWhitespace.Contains((char)b, StringComparison.Ordinal);

    private static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = Strict.GetString(bytes);
            return !text.Contains('\0', StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
