using System.Text;

namespace Tagstream.Counting.Windows;

/// <summary>
/// Sliding-window counts for <c>--window</c>: the window spans the last <see cref="Length"/> batches and slides by one
/// batch (the batch interval), like Storm's RollingTopWords with one slot per batch.
/// </summary>
/// <remarks>
/// <para>
/// A ring keeps each batch's (hashtag, delta) pairs until the batch leaves the window; then its deltas are subtracted
/// and hashtags whose count falls to 0 are forgotten, so the table holds only the window's hashtags. Memory: one entry
/// per window hashtag plus one (entry, delta) pair per hashtag per batch in the window.
/// </para>
/// <para>
/// The ranking keeps the candidates for the top (every hashtag whose count reaches a threshold; see
/// <see cref="WindowTopCandidates"/>), updated only for the hashtags a batch touched (added or evicted): O(touched) per
/// batch plus, rarely, one pass over the window to choose the threshold again; <see cref="Top"/> sorts only the
/// candidates. Window counts also fall, so the all-time trick "only touched tags can enter the top" does not apply.
/// </para>
/// <para>Use: for every hashtag counted in a batch call <see cref="Add"/> with its delta, then <see cref="CloseBatch"/>.</para>
/// </remarks>
public sealed class SlidingWindow
{
    private readonly Dictionary<byte[], int> _index = new(Utf8KeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Stack<int> _free = new();
    private readonly WindowSegment[] _ring;
    private readonly WindowTopCandidates _candidates;
    private readonly List<int> _released = [];
    private WindowSegment _current = new();
    private byte[]?[] _keys = new byte[1024][];
    private long[] _counts = new long[1024];
    private long[] _ranked = new long[1024];
    private long[] _touchedIn = new long[1024];
    private int[] _touched = new int[1024];
    private int _touchedLength;
    private int _used;
    private bool _justClosed;
    private int _distinct;

    /// <summary>Creates an empty window.</summary>
    /// <param name="length">The window length in batches: the window duration divided by the batch interval.</param>
    /// <param name="topCapacity">The largest n that <see cref="Top"/> serves; the default is 100.</param>
    public SlidingWindow(int length, int topCapacity = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(topCapacity, 1);
        Length = length;
        _ring = new WindowSegment[length];
        for (var i = 0; i < length; i++)
        {
            _ring[i] = new WindowSegment();
        }

        _lookup = _index.GetAlternateLookup<ReadOnlySpan<byte>>();
        _candidates = new WindowTopCandidates(this, topCapacity);
    }

    /// <summary>The window length in batches.</summary>
    public int Length { get; }

    /// <summary>Batches closed so far.</summary>
    public long BatchesClosed { get; private set; }

    /// <summary>Distinct hashtags in the window after the last closed batch.</summary>
    public int DistinctCount => _distinct;

    internal ReadOnlySpan<int> Touched => _touched.AsSpan(0, _touchedLength);

    /// <summary>Entries ever used; an entry is in the window when <see cref="InWindow"/> says so.</summary>
    internal int EntryCount => _used;

    /// <summary>Counts <paramref name="delta"/> occurrences of a hashtag in the current batch.</summary>
    public void Add(ReadOnlySpan<byte> hashtag, long delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, 1);
        StartChange();
        if (!_lookup.TryGetValue(hashtag, out var entry))
        {
            entry = NewEntry(hashtag);
        }

        _counts[entry] += delta;
        _current.Add(entry, delta);
        Touch(entry);
    }

    /// <summary>Ends the current batch: it joins the window and the batch that falls out of the window is subtracted.</summary>
    public void CloseBatch()
    {
        StartChange();
        var slot = (int)(BatchesClosed % Length);
        var leaving = _ring[slot];
        var entries = leaving.Entries;
        var deltas = leaving.Deltas;
        for (var i = 0; i < entries.Length; i++)
        {
            _counts[entries[i]] -= deltas[i];
            Touch(entries[i]);
        }

        leaving.Clear();
        _ring[slot] = _current;
        _current = leaving;

        foreach (var entry in Touched)
        {
            _distinct += (_ranked[entry] == 0 ? 1 : 0) - (_counts[entry] == 0 ? 1 : 0);
            _ranked[entry] = _counts[entry];
            _candidates.Update(entry);
            if (_counts[entry] == 0)
            {
                // Forgotten at the next change, so that GetChanges can still name it.
                _released.Add(entry);
            }
        }

        _candidates.Rebalance(_distinct);

        BatchesClosed++;
        _justClosed = true;
    }

    /// <summary>
    /// The hashtags the last closed batch touched (added or evicted), with their window counts now (0 = left the window);
    /// a hashtag added and evicted by the same amount appears with its unchanged count. Feed these to the SQL mirror.
    /// </summary>
    public WindowChanges GetChanges() => new(this);

    /// <summary>A hashtag's count in the window after the last closed batch.</summary>
    public long GetCount(ReadOnlySpan<byte> hashtag) => _lookup.TryGetValue(hashtag, out var entry) ? _ranked[entry] : 0;

    /// <summary>The window's top <paramref name="n"/>: count descending, then hashtag ascending by UTF-8 bytes.</summary>
    /// <param name="n">How many, from 0 to the top capacity given to the constructor.</param>
    public IReadOnlyList<HashtagCount> Top(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, _candidates.Capacity);
        var ranked = _candidates.Ranked(CompareRanked);
        return [.. ranked.Take(n).Select(entry => new HashtagCount(Encoding.UTF8.GetString(KeyOf(entry)), _ranked[entry]))];
    }

    internal bool InWindow(int entry) => _ranked[entry] != 0;

    internal ReadOnlySpan<byte> KeyOf(int entry) => _keys[entry];

    internal long CountOf(int entry) => _ranked[entry];

    private void StartChange()
    {
        if (!_justClosed)
        {
            return;
        }

        _justClosed = false;
        _touchedLength = 0;
        foreach (var entry in _released)
        {
            _index.Remove(_keys[entry]!);
            _keys[entry] = null;
            _free.Push(entry);
        }

        _released.Clear();
    }

    private int NewEntry(ReadOnlySpan<byte> hashtag)
    {
        if (!_free.TryPop(out var entry))
        {
            entry = _used++;
            if (entry == _keys.Length)
            {
                var size = _keys.Length * 2;
                Array.Resize(ref _keys, size);
                Array.Resize(ref _counts, size);
                Array.Resize(ref _ranked, size);
                Array.Resize(ref _touchedIn, size);
            }
        }

        var key = hashtag.ToArray();
        _keys[entry] = key;
        _counts[entry] = 0;
        _ranked[entry] = 0;
        _touchedIn[entry] = -1;
        _index.Add(key, entry);
        return entry;
    }

    private void Touch(int entry)
    {
        if (_touchedIn[entry] == BatchesClosed)
        {
            return;
        }

        _touchedIn[entry] = BatchesClosed;
        if (_touchedLength == _touched.Length)
        {
            Array.Resize(ref _touched, _touched.Length * 2);
        }

        _touched[_touchedLength++] = entry;
    }

    private int CompareRanked(int x, int y)
    {
        var byCount = _ranked[y].CompareTo(_ranked[x]);
        return byCount != 0 ? byCount : KeyOf(x).SequenceCompareTo(KeyOf(y));
    }
}
