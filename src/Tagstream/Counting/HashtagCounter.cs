using System.Text;
using Tagstream.Sources.Lines;

namespace Tagstream.Counting;

/// <summary>
/// Counts hashtag occurrences in protocol lines exactly, per batch and in total, and keeps the top hashtags up to
/// date after each batch. Tokens are split as described in docs/protocol.md ("Tokens"); each token is one occurrence,
/// counted as sent. The state is split into one shard per worker by <see cref="HashtagSharding"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: call it from one thread at a time (it uses its own worker threads inside
/// <see cref="Count"/>). Totals, <see cref="GetTotal"/>, the enumerations and <see cref="Top"/> reflect the closed
/// batches plus recovered counts; <see cref="Posts"/>, <see cref="Tags"/>, <see cref="MalformedTokens"/> and
/// <see cref="DistinctTags"/> also include the open batch. Dispose it: it owns threads and native memory. If
/// <see cref="Count"/> ever throws (out of memory), the counts are no longer reliable.
/// </remarks>
public sealed unsafe class HashtagCounter : IDisposable
{
    private readonly CountingEngine _engine;
    private readonly TopRanking _top;
    private readonly bool _degenerateHash;
    private long _unterminatedLines;
    private bool _changesPending;
    private bool _disposed;

    /// <summary>Creates a counter.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    public HashtagCounter(CounterOptions? options = null)
        : this(options, CounterTuning.Default)
    {
    }

    internal HashtagCounter(CounterOptions? options, CounterTuning tuning)
    {
        options ??= new CounterOptions();
        TopCapacity = options.TopCapacity;
        _degenerateHash = tuning.DegenerateHash;
        _engine = new CountingEngine(options.Workers, tuning);
        _top = new TopRanking(options.TopCapacity, _engine.Shards, tuning.DegenerateHash);
    }

    /// <summary>Worker threads (and shards) counting, as set in <see cref="CounterOptions.Workers"/>.</summary>
    public int Workers => _engine.Shards.Length;

    /// <summary>The largest n that <see cref="Top"/> serves.</summary>
    public int TopCapacity { get; }

    /// <summary>Lines counted: each <c>\n</c> ends one, and a final chunk not ending in <c>\n</c> adds one.</summary>
    public long Posts
    {
        get
        {
            var posts = _unterminatedLines;
            foreach (var worker in _engine.Workers)
            {
                posts += worker.Newlines;
            }

            return posts;
        }
    }

    /// <summary>Tokens (hashtag occurrences) counted.</summary>
    public long Tags
    {
        get
        {
            long tags = 0;
            foreach (var worker in _engine.Workers)
            {
                tags += worker.Tags;
            }

            return tags;
        }
    }

    /// <summary>Tokens skipped because they were not valid UTF-8 or contained a NUL byte.</summary>
    public long MalformedTokens
    {
        get
        {
            long malformed = 0;
            foreach (var worker in _engine.Workers)
            {
                malformed += worker.Malformed;
            }

            return malformed;
        }
    }

    /// <summary>Distinct hashtags counted or recovered.</summary>
    public long DistinctTags
    {
        get
        {
            long distinct = 0;
            foreach (var shard in _engine.Shards)
            {
                distinct += shard.Count;
            }

            return distinct;
        }
    }

    internal CountingTable[] Shards => _engine.Shards;

    /// <summary>Bytes held by the tables (slots and long keys), for the memory budget per distinct tag.</summary>
    internal long MemoryBytes
    {
        get
        {
            long bytes = 0;
            foreach (var shard in _engine.Shards)
            {
                bytes += shard.MemoryBytes;
            }

            return bytes;
        }
    }

    /// <summary>Changes on every call that invalidates enumerations.</summary>
    internal int Version { get; private set; }

    /// <summary>
    /// Counts whole protocol lines into the open batch. Every line ends with <c>\n</c>, except the last line of the
    /// stream, which may come as a final chunk without one (it is still a post). A token never spans two calls.
    /// Allocation-free in the steady state.
    /// </summary>
    /// <param name="lines">Whole lines in UTF-8, each at most the line limit long.</param>
    public void Count(ReadOnlySpan<byte> lines)
    {
        BeginChange();
        if (lines.IsEmpty)
        {
            return;
        }

        if (lines[^1] != (byte)'\n')
        {
            _unterminatedLines++;
        }

        fixed (byte* chunk = lines)
        {
            _engine.Count(chunk, lines.Length);
        }
    }

    /// <summary>
    /// Ends the open batch: adds its counts to the totals and updates the top, at a cost proportional to the
    /// hashtags counted in the batch. <see cref="GetChanges"/> then enumerates them until the next change.
    /// </summary>
    public void CloseBatch()
    {
        BeginChange();
        _engine.ForEachShard(static shard => shard.FoldBatch());

        if (_top.IsStale)
        {
            _top.Rebuild();
        }
        else
        {
            _top.Update();
        }

        _changesPending = true;
    }

    /// <summary>
    /// Every hashtag counted in the batch that <see cref="CloseBatch"/> just closed, with its count in the batch
    /// and its total after it; empty if no batch was closed since the last <see cref="Count"/> or
    /// <see cref="AddTotal"/>. Valid until the next <see cref="Count"/>, <see cref="CloseBatch"/> or
    /// <see cref="AddTotal"/>.
    /// </summary>
    /// <returns>An allocation-free enumerator for <c>foreach</c>.</returns>
    public ChangeEnumerator GetChanges()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ChangeEnumerator(this, empty: !_changesPending);
    }

    /// <summary>
    /// What <see cref="GetChanges"/> enumerates, each shard's hashtags given on that shard's own worker, all shards at once:
    /// for a consumer that can split its work by shard (the checkpoint's encoding), so that it does not hold both workers
    /// up for a serial pass.
    /// </summary>
    internal void VisitChangesByShard(ShardEntryVisitor visit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_changesPending)
        {
            return;
        }

        var shards = Shards;
        _engine.ForEachShard(table =>
        {
            var shard = Array.IndexOf(shards, table);
            var dirty = table.Dirty;
            for (var i = 0; i < dirty.Length; i++)
            {
                table.PrefetchDirty(dirty, i);
                visit(shard, table.KeyAt(dirty[i]), table.At(dirty[i]).Total);
            }
        });
    }

    /// <summary>Every hashtag with a total, as the counter's enumerator gives them, each shard's on its own worker at once.</summary>
    internal void VisitEntriesByShard(ShardEntryVisitor visit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shards = Shards;
        _engine.ForEachShard(table =>
        {
            var shard = Array.IndexOf(shards, table);
            for (var slot = 0; slot < table.Capacity; slot++)
            {
                ref readonly var state = ref table.At(slot);
                if (state.HasTotal)
                {
                    visit(shard, table.KeyAt(slot), state.Total);
                }
            }
        });
    }

    /// <summary>
    /// The <paramref name="n"/> hashtags with the largest totals: total descending, then hashtag ascending by its
    /// UTF-8 bytes (ordinal, which is Unicode code point order). Fewer if fewer hashtags have a total.
    /// </summary>
    /// <param name="n">How many, from 0 to <see cref="TopCapacity"/>.</param>
    /// <returns>The ranking, best first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative or above <see cref="TopCapacity"/>.</exception>
    public IReadOnlyList<HashtagCount> Top(int n)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (n < 0 || n > TopCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Top serves 0 to {TopCapacity} hashtags (CounterOptions.TopCapacity), got {n}.");
        }

        if (_top.IsStale)
        {
            _top.Rebuild();
        }

        var count = Math.Min(n, _top.Count);
        var ranking = new HashtagCount[count];
        for (var i = 0; i < count; i++)
        {
            ranking[i] = new HashtagCount(Encoding.UTF8.GetString(_top.KeyAt(i)), _top.TotalAt(i));
        }

        return ranking;
    }

    /// <summary>The total of a hashtag (closed batches plus recovered counts), 0 if it was never counted.</summary>
    /// <param name="hashtagUtf8">The hashtag in UTF-8, as sent.</param>
    /// <returns>Its total.</returns>
    public long GetTotal(ReadOnlySpan<byte> hashtagUtf8)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (hashtagUtf8.IsEmpty)
        {
            return 0;
        }

        var hash = KeyHash.Of(hashtagUtf8, _degenerateHash);
        var table = _engine.Shards[HashtagSharding.ShardOfUnchecked(hash, Workers)];
        var slot = table.Find(hashtagUtf8, CountingTable.FingerprintOf(hash));
        return slot < 0 ? 0 : table.At(slot).Total;
    }

    /// <summary>
    /// Makes room for <paramref name="distinctTags"/> hashtags in all, as before restoring a checkpoint of that many: the
    /// tables then take them without growing on the way. It matters for more than speed: a checkpoint lists its
    /// hashtags in the order of the table that wrote it, and such an ordered run into a small table piles up in a
    /// few slots until the table has grown to its final size.
    /// </summary>
    /// <param name="distinctTags">How many distinct hashtags the counter will hold; never shrinks a table.</param>
    public void EnsureCapacity(long distinctTags)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(distinctTags);
        BeginChange();

        // Hashes spread keys evenly over the shards: 5 % (and 64 keys) above the mean covers the spread.
        var perShard = (distinctTags / Workers) + (distinctTags / Workers / 20) + 64;
        foreach (var shard in _engine.Shards)
        {
            shard.EnsureCapacity(perShard);
        }
    }

    /// <summary>
    /// Adds a recovered count to a hashtag's total, as when restoring a checkpoint. It is not part of any batch's
    /// changes; <see cref="Top"/> reflects it (the next ranking is rebuilt from all hashtags once).
    /// </summary>
    /// <param name="hashtagUtf8">One token: non-empty valid UTF-8 without NUL or whitespace.</param>
    /// <param name="count">Occurrences to add, at least 0.</param>
    /// <exception cref="ArgumentException">The hashtag is not one token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void AddTotal(ReadOnlySpan<byte> hashtagUtf8, long count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!TokenRule.IsSingleToken(hashtagUtf8))
        {
            throw new ArgumentException("A hashtag must be one token: non-empty valid UTF-8 without NUL or whitespace.", nameof(hashtagUtf8));
        }

        BeginChange();
        if (count == 0)
        {
            return;
        }

        var hash = KeyHash.Of(hashtagUtf8, _degenerateHash);
        _engine.Shards[HashtagSharding.ShardOfUnchecked(hash, Workers)].AddToTotal(hashtagUtf8, CountingTable.FingerprintOf(hash), count);
        _top.MarkStale();
    }

    /// <summary>Enumerates every hashtag with its total, for snapshots and queries; valid until the next change.</summary>
    /// <returns>An allocation-free enumerator for <c>foreach</c>.</returns>
    public EntryEnumerator GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new EntryEnumerator(this);
    }

    /// <summary>Stops the worker threads and frees the tables' native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine.Dispose();
    }

    internal void ThrowIfChangedSince(int version)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (version != Version)
        {
            throw new InvalidOperationException("The counter changed (Count, CloseBatch or AddTotal) since this enumeration started.");
        }
    }

    /// <summary>Invalidates enumerations and, if a batch was just closed, clears its in-batch counts.</summary>
    private void BeginChange()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Version++;
        if (_changesPending)
        {
            _engine.ForEachShard(static shard => shard.ResetBatch());
            _changesPending = false;
        }
    }
}
