using System.Numerics;
using System.Text;

namespace Tagstream.Counting;

/// <summary>
/// Heavy hitters in bounded memory: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient Computation of
/// Frequent and Top-k Elements in Data Streams", ICDT 2005) with a fixed number of counters, for <c>--max-tags N</c>.
/// </summary>
/// <remarks>
/// <para>
/// A hashtag already monitored gets its count raised. A new one takes a free counter, or else replaces the counter with
/// the smallest count m: its count becomes m + weight and its error m, the most it may have been counted before it was
/// monitored. Guarantees, for a stream of total weight L and N counters: every reported count c with error e brackets the
/// true count as c - e &lt;= true &lt;= c; every hashtag whose true count exceeds L / N is monitored. Weighted updates keep
/// both guarantees, so a batch's aggregated (hashtag, delta) pairs may be added instead of single occurrences.
/// </para>
/// <para>
/// Counters sit in a min-heap by count (O(log N) per update) and are found through an open-addressing index; keys live in
/// per-counter buffers that are reused when a counter changes hands, so an update allocates nothing once buffers have
/// grown to the longest hashtag.
/// </para>
/// </remarks>
public sealed class SpaceSavingSummary
{
    private readonly byte[][] _keys;
    private readonly int[] _keyLengths;
    private readonly int[] _hashes;
    private readonly long[] _counts;
    private readonly long[] _errors;
    private readonly int[] _heap;
    private readonly int[] _heapPosition;
    private readonly int[] _index;
    private readonly int _indexMask;

    /// <summary>Creates a summary with <paramref name="capacity"/> counters.</summary>
    /// <param name="capacity">The number of counters N: memory is bounded by it.</param>
    public SpaceSavingSummary(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 28);
        Capacity = capacity;
        _keys = new byte[capacity][];
        _keyLengths = new int[capacity];
        _hashes = new int[capacity];
        _counts = new long[capacity];
        _errors = new long[capacity];
        _heap = new int[capacity];
        _heapPosition = new int[capacity];

        // At most half full, so linear probing stays short.
        _index = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
        _indexMask = _index.Length - 1;
    }

    /// <summary>The number of counters.</summary>
    public int Capacity { get; }

    /// <summary>Hashtags monitored now (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>The total weight added: the stream length L in the guarantees.</summary>
    public long StreamLength { get; private set; }

    /// <summary>Counts <paramref name="weight"/> occurrences of a hashtag.</summary>
    /// <param name="hashtag">The hashtag in UTF-8.</param>
    /// <param name="weight">How many occurrences; at least 1.</param>
    public void Add(ReadOnlySpan<byte> hashtag, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        StreamLength += weight;
        var hash = Utf8KeyComparer.Hash(hashtag);
        var found = Find(hashtag, hash);
        if (found >= 0)
        {
            _counts[found] += weight;
            SiftDown(_heapPosition[found]);
            return;
        }

        int counter;
        if (Count < Capacity)
        {
            counter = Count;
            _heap[Count] = counter;
            _heapPosition[counter] = Count;
            Count++;
            _counts[counter] = 0;
            _errors[counter] = 0;
        }
        else
        {
            counter = _heap[0];
            RemoveFromIndex(counter);
            _errors[counter] = _counts[counter];
        }

        SetKey(counter, hashtag, hash);
        _counts[counter] += weight;
        SiftUp(_heapPosition[counter]);
        SiftDown(_heapPosition[counter]);
    }

    /// <summary>Looks a hashtag up.</summary>
    /// <returns>True with its count and error when monitored; false when not (its true count is then at most the smallest count).</returns>
    public bool TryGetCount(ReadOnlySpan<byte> hashtag, out long count, out long error)
    {
        var found = Find(hashtag, Utf8KeyComparer.Hash(hashtag));
        count = found >= 0 ? _counts[found] : 0;
        error = found >= 0 ? _errors[found] : 0;
        return found >= 0;
    }

    /// <summary>
    /// The <paramref name="n"/> highest counts, ordered by count descending then hashtag ascending by UTF-8 bytes, in
    /// O(N log n) without sorting all counters.
    /// </summary>
    public IReadOnlyList<HashtagCount> Top(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var comparer = Comparer<int>.Create(Compare);

        // The heap's root is the worst of the best n so far.
        var best = new PriorityQueue<int, int>(Comparer<int>.Create((x, y) => comparer.Compare(y, x)));
        for (var counter = 0; counter < Count && n > 0; counter++)
        {
            if (best.Count < n)
            {
                best.Enqueue(counter, counter);
            }
            else if (Compare(counter, best.Peek()) < 0)
            {
                best.DequeueEnqueue(counter, counter);
            }
        }

        var chosen = new int[best.Count];
        for (var i = chosen.Length - 1; i >= 0; i--)
        {
            chosen[i] = best.Dequeue();
        }

        return [.. chosen.Select(c => new HashtagCount(Encoding.UTF8.GetString(KeyOf(c)), _counts[c], _errors[c]))];
    }

    /// <summary>Ranking order: count descending, then hashtag ascending by UTF-8 bytes.</summary>
    private int Compare(int x, int y)
    {
        var byCount = _counts[y].CompareTo(_counts[x]);
        return byCount != 0 ? byCount : KeyOf(x).SequenceCompareTo(KeyOf(y));
    }

    private ReadOnlySpan<byte> KeyOf(int counter) => _keys[counter].AsSpan(0, _keyLengths[counter]);

    private void SetKey(int counter, ReadOnlySpan<byte> hashtag, int hash)
    {
        if (_keys[counter] is null || _keys[counter].Length < hashtag.Length)
        {
            _keys[counter] = new byte[Math.Max(hashtag.Length, 16)];
        }

        hashtag.CopyTo(_keys[counter]);
        _keyLengths[counter] = hashtag.Length;
        _hashes[counter] = hash;
        var slot = hash & _indexMask;
        while (_index[slot] != 0)
        {
            slot = (slot + 1) & _indexMask;
        }

        _index[slot] = counter + 1;
    }

    private int Find(ReadOnlySpan<byte> hashtag, int hash)
    {
        for (var slot = hash & _indexMask; _index[slot] != 0; slot = (slot + 1) & _indexMask)
        {
            var counter = _index[slot] - 1;
            if (_hashes[counter] == hash && KeyOf(counter).SequenceEqual(hashtag))
            {
                return counter;
            }
        }

        return -1;
    }

    /// <summary>Linear-probing deletion by backward shift (Knuth, TAOCP vol. 3, algorithm 6.4R): no tombstones pile up.</summary>
    private void RemoveFromIndex(int counter)
    {
        var hole = _hashes[counter] & _indexMask;
        while (_index[hole] != counter + 1)
        {
            hole = (hole + 1) & _indexMask;
        }

        var next = hole;
        while (true)
        {
            next = (next + 1) & _indexMask;
            if (_index[next] == 0)
            {
                break;
            }

            var home = _hashes[_index[next] - 1] & _indexMask;

            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            var homeInRange = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeInRange)
            {
                _index[hole] = _index[next];
                hole = next;
            }
        }

        _index[hole] = 0;
    }

    private void SiftUp(int position)
    {
        var counter = _heap[position];
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (_counts[_heap[parent]] <= _counts[counter])
            {
                break;
            }

            Place(_heap[parent], position);
            position = parent;
        }

        Place(counter, position);
    }

    private void SiftDown(int position)
    {
        var counter = _heap[position];
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && _counts[_heap[child + 1]] < _counts[_heap[child]])
            {
                child++;
            }

            if (_counts[_heap[child]] >= _counts[counter])
            {
                break;
            }

            Place(_heap[child], position);
            position = child;
        }

        Place(counter, position);
    }

    private void Place(int counter, int position)
    {
        _heap[position] = counter;
        _heapPosition[counter] = position;
    }
}
