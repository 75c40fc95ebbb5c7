using System.Text;

namespace Tagstream.Tests.TestSupport;

/// <summary>Random hashtag vocabularies with ASCII, accented, CJK, astral (emoji) and shared-prefix tags.</summary>
internal static class RandomTags
{
    private static readonly string[] Pieces = ["a", "b", "z", "é", "ß", "日本", "中", "ｆ", "🙂", "𝔘", "0", "_", "Ω"];

    public static string[] Vocabulary(Random random, int size)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (set.Count < size)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 5);
            for (var i = 0; i < parts; i++)
            {
                builder.Append(Pieces[random.Next(Pieces.Length)]);
            }

            set.Add(builder.ToString());
        }

        return [.. set];
    }

    public static byte[] Utf8(string tag) => Encoding.UTF8.GetBytes(tag);

    /// <summary>The top-N reference: total descending, then hashtag ascending by UTF-8 bytes.</summary>
    public static List<KeyValuePair<string, long>> NaiveTop(IEnumerable<KeyValuePair<string, long>> totals, int n) =>
        totals.OrderByDescending(p => p.Value)
            .ThenBy(p => Utf8(p.Key), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
            .Take(n)
            .ToList();
}
