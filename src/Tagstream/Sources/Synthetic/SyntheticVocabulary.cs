using System.Text;

namespace Tagstream.Sources.Synthetic;

/// <summary>
/// The hashtags a synthetic stream draws from: one pseudo-word per Zipf rank, made once at start as UTF-8 in a
/// single array, so that writing a post copies bytes and allocates nothing.
/// </summary>
/// <remarks>
/// The most frequent ranks are real-looking hashtags (<see cref="SyntheticHashtags"/>, in an order drawn from the seed),
/// so a first screen shows topics rather than gibberish. The long tail is generated: mostly ASCII syllables; some carry
/// accented Latin letters, some are CJK, and some end next to an emoji, so the stream exercises multi-byte UTF-8
/// everywhere. Lengths are 3 to 20 characters. The user's terms take the even ranks 2, 4, 6... so they show up near
/// the top of the ranking, as they would on a live stream filtered by them.
/// </remarks>
internal sealed class SyntheticVocabulary
{
    private const ulong Salt = 0x7461677374726561UL;

    private static readonly string[] s_consonants = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "st", "tr", "ch"];
    private static readonly string[] s_vowels = ["a", "e", "i", "o", "u", "y"];
    private static readonly string[] s_accented = ["é", "è", "ü", "ö", "ñ", "ç", "å", "ø", "á", "í"];
    private static readonly string[] s_emoji = ["🔥", "⚽", "🎉", "🚀", "❤", "✨"];
    private const string CjkPool = "東京大阪足球音乐电影新闻天气学习科技旅行美食猫狗春夏秋冬日本中国한국서울축구음악";

    private readonly byte[] _bytes;
    private readonly int[] _offsets;

    public SyntheticVocabulary(ulong seed, int size, IReadOnlyList<string> terms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var words = new byte[size][];
        long total = 0;
        int[] head = HeadOrder(seed);
        int nextHead = 0;
        for (int rank = 1; rank <= size; rank++)
        {
            int term = (rank / 2) - 1;
            string word;
            if (rank % 2 == 0 && term < terms.Count)
            {
                word = terms[term];
            }
            else
            {
                // A listed hashtag the user also gave as a term keeps the term's rank only.
                while (nextHead < head.Length && terms.Contains(SyntheticHashtags.All[head[nextHead]]))
                {
                    nextHead++;
                }

                word = nextHead < head.Length ? SyntheticHashtags.All[head[nextHead++]] : MakeWord(seed, rank);
            }

            words[rank - 1] = Encoding.UTF8.GetBytes(word);
            total += words[rank - 1].Length;
        }

        _bytes = new byte[total];
        _offsets = new int[size + 1];
        int offset = 0;
        for (int i = 0; i < size; i++)
        {
            _offsets[i] = offset;
            words[i].CopyTo(_bytes, offset);
            offset += words[i].Length;
        }

        _offsets[size] = offset;
    }

    public int Count => _offsets.Length - 1;

    /// <summary>The UTF-8 bytes of the word at a rank in 1..Count.</summary>
    public ReadOnlySpan<byte> this[int rank] => _bytes.AsSpan(_offsets[rank - 1], _offsets[rank] - _offsets[rank - 1]);

    // The listed hashtags in an order drawn from the seed (Fisher-Yates): another seed, another top. Plain topics come
    // before compounds, so the most frequent ranks read like a real stream's top.
    private static int[] HeadOrder(ulong seed)
    {
        int[] order = [.. Enumerable.Range(0, SyntheticHashtags.All.Count)];
        var random = SplitMix64.For(seed ^ Salt, ulong.MaxValue);
        Shuffle(order.AsSpan(0, SyntheticHashtags.Topics), ref random);
        Shuffle(order.AsSpan(SyntheticHashtags.Topics), ref random);
        return order;
    }

    private static void Shuffle(Span<int> items, ref SplitMix64 random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static string MakeWord(ulong seed, int rank)
    {
        var random = SplitMix64.For(seed ^ Salt, (ulong)rank);
        int length = 3 + random.NextInt(18);
        int kind = random.NextInt(100);
        var word = new StringBuilder(length + 4);
        if (kind < 5)
        {
            // CJK words are shorter in characters: 3 to 8.
            int cjkLength = 3 + random.NextInt(6);
            for (int i = 0; i < cjkLength; i++)
            {
                word.Append(CjkPool[random.NextInt(CjkPool.Length)]);
            }

            return word.ToString();
        }

        bool accents = kind < 12;
        while (word.Length < length)
        {
            word.Append(s_consonants[random.NextInt(s_consonants.Length)]);
            word.Append(accents && random.NextInt(3) == 0
                ? s_accented[random.NextInt(s_accented.Length)]
                : s_vowels[random.NextInt(s_vowels.Length)]);
        }

        word.Length = length;
        if (kind >= 97)
        {
            word.Length = Math.Max(3, length - 1);
            word.Append(s_emoji[random.NextInt(s_emoji.Length)]);
        }

        return word.ToString();
    }
}
