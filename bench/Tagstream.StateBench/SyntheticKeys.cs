using System.Text;

namespace Tagstream.StateBench;

/// <summary>Distinct hashtag keys 3-20 bytes long, one in eight non-ASCII, as the synthetic source makes them.</summary>
internal static class SyntheticKeys
{
    private static readonly string[] Accents = ["é", "ü", "日本", "ñ", "中文"];

    public static byte[][] Create(int count, int seed)
    {
        var random = new Random(seed);
        var keys = new byte[count][];
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Clear();
            var length = random.Next(3, 14);
            for (var j = 0; j < length; j++)
            {
                builder.Append((char)('a' + random.Next(26)));
            }

            if (i % 8 == 0)
            {
                builder.Append(Accents[random.Next(Accents.Length)]);
            }

            // The index makes every key distinct.
            builder.Append(i.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            keys[i] = Encoding.UTF8.GetBytes(builder.ToString());
        }

        return keys;
    }
}
