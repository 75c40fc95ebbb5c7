using System.Text;

namespace Tagstream.Sources.Synthetic;

/// <summary>
/// A reproducible stream of posts whose hashtags follow a Zipf distribution: the source for the demo, tests and
/// benchmarks. Post <c>i</c> depends only on the seed and <c>i</c>, so the stream can resume at any post.
/// </summary>
public sealed class SyntheticSource : PostSource
{
    private const int ChunkBytes = 256 * 1024;

    // The longest line: 5 tags of 20 characters of at most 4 UTF-8 bytes, each followed by a separator.
    private const int MaxLineBytes = 5 * ((20 * 4) + 1);
    private const ulong AuthorSalt = 0x617574686f72UL;

    private static readonly string[] s_names = ["ana", "ben", "chloe", "dev", "emma", "felix", "gita", "hugo", "ines", "jon", "kai", "lea", "mo", "nina", "omar", "pia"];

    private readonly SyntheticOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SyntheticVocabulary _vocabulary;
    private readonly ZipfSampler _zipf;
    private readonly byte[] _buffer = new byte[ChunkBytes];
    private readonly string _runId;
    private readonly RatePacer? _pacer;
    private long _next;

    /// <summary>Creates a synthetic source; building the vocabulary takes a moment for large vocabularies.</summary>
    /// <param name="options">The stream's parameters.</param>
    /// <param name="timeProvider">The clock for <see cref="SyntheticOptions.Rate"/>.</param>
    /// <param name="resumeAt">A position of the same stream from a checkpoint: the stream continues after it.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message says why.</exception>
    public SyntheticSource(SyntheticOptions options, TimeProvider? timeProvider = null, SourcePosition? resumeAt = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options with { Terms = [.. options.Terms.Select(NormalizeTerm)] };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _vocabulary = new SyntheticVocabulary(_options.Seed, _options.Vocabulary, _options.Terms);
        _zipf = new ZipfSampler(_options.Vocabulary, _options.Zipf);
        _pacer = _options.Rate is { } rate ? new RatePacer(rate, _timeProvider) : null;
        _runId = _options.RunId;
        _next = resumeAt is { } at && at.Run == _runId ? at.Offset : _options.StartAt;
    }

    /// <inheritdoc />
    public override string Name => "synthetic";

    /// <summary>Writes post <paramref name="index"/> as one protocol line (with its <c>\n</c>) and returns its length.</summary>
    internal int WriteLine(long index, Span<byte> destination)
    {
        var random = SplitMix64.For(_options.Seed, (ulong)index);
        int tags = 1 + random.NextInt(5);
        int written = 0;
        for (int t = 0; t < tags; t++)
        {
            ReadOnlySpan<byte> tag = _vocabulary[_zipf.Sample(ref random)];
            tag.CopyTo(destination[written..]);
            written += tag.Length;
            destination[written++] = t == tags - 1 ? (byte)'\n' : (byte)' ';
        }

        return written;
    }

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        long count = _pacer is null ? long.MaxValue : await _pacer.PostsDueAsync(cancellationToken).ConfigureAwait(false);
        int length = 0;
        long first = _next;
        while (count-- > 0 && length <= ChunkBytes - MaxLineBytes)
        {
            length += WriteLine(_next++, _buffer.AsSpan(length));
        }

        _pacer?.Emitted(_next - first);
        IReadOnlyList<Post>? posts = _options.Rate is null ? null : DescribePosts(first, _next);
        return new PostChunk(_buffer.AsMemory(0, length), posts, skippedLines: 0, new SourcePosition(_runId, _next), isFinal: false);
    }

    private List<Post> DescribePosts(long first, long end)
    {
        var posts = new List<Post>((int)(end - first));
        int offset = 0;
        for (long index = first; index < end; index++)
        {
            int length = _buffer.AsSpan(offset).IndexOf((byte)'\n');
            string[] tags = Encoding.UTF8.GetString(_buffer, offset, length).Split(' ');
            offset += length + 1;
            var random = SplitMix64.For(_options.Seed ^ AuthorSalt, (ulong)index);
            string author = s_names[random.NextInt(s_names.Length)] + "_" + random.NextInt(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            posts.Add(new Post(Name, index.ToString(System.Globalization.CultureInfo.InvariantCulture), author, "en", _timeProvider.GetUtcNow(), tags));
        }

        return posts;
    }

    private static string NormalizeTerm(string term) => term.TrimStart('#', '＃').Normalize(NormalizationForm.FormC).ToLowerInvariant();
}
