using System.Text;

// The naive reference for bench/compare.sh: read UTF-8 lines, split on whitespace, count in a
// Dictionary<string, long>, print the top 20 as "total hashtag" lines (total desc, then hashtag in code
// point order = UTF-8 byte order, as DESIGN.md's top-N order). Deliberately plain: this is the baseline.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: NaiveCount FILE");
    return 2;
}

var counts = new Dictionary<string, long>(StringComparer.Ordinal);
using (var reader = new StreamReader(args[0], Encoding.UTF8))
{
    string? line;
    while ((line = reader.ReadLine()) is not null)
    {
        foreach (var tag in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            counts[tag] = counts.GetValueOrDefault(tag) + 1;
        }
    }
}

var top = counts.ToList();
top.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : CodePointOrder(a.Key, b.Key));
using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
foreach (var (tag, total) in top.Take(20))
{
    output.Write(total);
    output.Write(' ');
    output.Write(tag);
    output.Write('\n');
}

return 0;

// Ordinal UTF-16 order puts surrogates (astral code points) before U+E000..U+FFFF; code point order puts
// them after. Shifting both ranges at the first difference fixes that (the usual UTF-16 fix-up).
static int CodePointOrder(string a, string b)
{
    var length = Math.Min(a.Length, b.Length);
    for (var i = 0; i < length; i++)
    {
        if (a[i] != b[i])
        {
            return Fix(a[i]) - Fix(b[i]);
        }
    }

    return a.Length - b.Length;

    static int Fix(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
