using System.Text;

namespace Tagstream.Benchmarks;

/// <summary>
/// A seeded stream of protocol lines for benchmarks: 1-5 hashtags per post drawn from a Zipf(s) law over a fixed
/// vocabulary of 3-20 character tags, about one in ten with non-ASCII letters. The same seed gives the same bytes.
/// </summary>
internal sealed class ZipfStream
{
    private static readonly string[] NonAscii = ["é", "ü", "ñ", "ç", "日本", "語", "ö", "å"];

    private readonly Random _random;
    private readonly byte[][] _tags;
    private readonly double[] _cumulative;

    public ZipfStream(int vocabulary, double exponent, int seed)
    {
        _random = new Random(seed);
        _tags = new byte[vocabulary][];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < vocabulary; i++)
        {
            string tag;
            do
            {
                tag = NewTag();
            }
            while (!seen.Add(tag));

            _tags[i] = Encoding.UTF8.GetBytes(tag);
        }

        _cumulative = new double[vocabulary];
        var sum = 0.0;
        for (var rank = 1; rank <= vocabulary; rank++)
        {
            sum += 1.0 / Math.Pow(rank, exponent);
            _cumulative[rank - 1] = sum;
        }

        for (var i = 0; i < vocabulary; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    public IReadOnlyList<byte[]> Vocabulary => _tags;

    /// <summary>Lines of about <paramref name="bytes"/> bytes in total, each ended by <c>\n</c>.</summary>
    public byte[] Generate(long bytes)
    {
        var output = new MemoryStream((int)Math.Min(bytes + 1024, int.MaxValue - 64));
        WriteTo(output, bytes);
        return output.ToArray();
    }

    public void WriteTo(Stream output, long bytes)
    {
        var written = 0L;
        var line = new List<byte>(128);
        while (written < bytes)
        {
            line.Clear();
            var count = _random.Next(1, 6);
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    line.Add((byte)' ');
                }

                line.AddRange(_tags[Sample()]);
            }

            line.Add((byte)'\n');
            output.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
            written += line.Count;
        }
    }

    private int Sample()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _tags.Length - 1);
    }

    private string NewTag()
    {
        var length = _random.Next(3, 21);
        var builder = new StringBuilder(length + 4);
        var nonAscii = _random.Next(10) == 0;
        while (builder.Length < length)
        {
            builder.Append(nonAscii && _random.Next(4) == 0 ? NonAscii[_random.Next(NonAscii.Length)] : (char)('a' + _random.Next(26)));
        }

        return builder.ToString();
    }
}
