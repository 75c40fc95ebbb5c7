using System.Text;

namespace Tagstream.Benchmarks;

/// <summary>
/// The naive C# counter people would write (decode each line to a string, <c>Split</c>, a
/// <c>Dictionary&lt;string, long&gt;</c>), measured in the same run as a yardstick that suffers the same machine load.
/// </summary>
internal static class NaiveCounter
{
    public static (long Tags, int Distinct) Count(byte[] data)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        long tags = 0;
        foreach (var line in Encoding.UTF8.GetString(data).Split('\n'))
        {
            foreach (var tag in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                totals[tag] = totals.GetValueOrDefault(tag) + 1;
                tags++;
            }
        }

        return (tags, totals.Count);
    }
}
