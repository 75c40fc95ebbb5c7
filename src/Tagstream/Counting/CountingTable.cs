using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tagstream.Counting;

/// <summary>
/// The counts of one shard: an open-addressing table with linear probing over 32-byte slots in native, 64-byte
/// aligned memory (see <see cref="Slot"/>; keys of up to <see cref="MaxInlineLength"/> bytes live in their slot). The table grows by half when 80% full, so it is at least 53% full after
/// growing: at most 60 bytes of slot per key, plus the bytes of keys longer than 15 bytes in an arena. Growing frees
/// the old table's pages as it passes them, so the peak is the new table, not both.
/// Each slot's in-batch count starts at 0; its first touch in a batch puts the slot on the dirty list, so closing a
/// batch costs O(keys touched), never a pass over all keys.
/// Concurrency: a table is used by one thread at a time; the counter hands it between threads only across a
/// barrier or a semaphore, which order the memory accesses.
/// </summary>
internal sealed unsafe class CountingTable : IDisposable
{
    /// <summary>The longest key stored inline in its slot; the same layout is hashed by <see cref="HashtagSharding"/>.</summary>
    public const int MaxInlineLength = HashtagSharding.MaxShortLength;

    /// <summary>The first key byte of a slot whose key lives in the arena (inline keys start with their length).</summary>
    public const byte LongKeyTag = 0xFF;

    // Where an inline key's length byte sits in its slot; its bytes follow.
    private const int KeyOffset = 12;

    private const int SlotSize = 32;
    private const int MaxCapacity = 1 << 30;

    // Growing discards the old table's pages behind the re-placement in steps of this many slots (2 MiB).
    private const int DiscardStep = PageAdvice.HugePageSize / SlotSize;

    // How many tokens ahead to prefetch. Measured on the 2-core box with a 32 MiB table: 8 left misses exposed,
    // 24-32 was best (misses take longer than a token's work, and about ten can be in flight per core).
    private const int PrefetchDistance = 24;

    private readonly LongKeyArena _arena = new();
    private readonly bool _degenerateHash;
    private Slot* _slots;
    private void* _block;
    private int _capacity;
    private int _count;
    private int _growAt;
    private int[] _dirty = new int[256];
    private int _dirtyCount;

    // The thread inside CountTokens, to assert (debug builds) that a table is never probed by two threads at once.
    private int _probingThread;

    // In-batch counts beyond what a slot's 32-bit BatchCount holds, by slot: only for a key seen over 4 billion times
    // in one batch, so the hot path pays one predictable branch for it.
    private Dictionary<int, long>? _wrapped;

    /// <param name="initialCapacity">Slots to start with.</param>
    /// <param name="degenerateHash">Whether the keys' fingerprints come from <see cref="KeyHash.Degenerate"/> (tests),
    /// which growing must know to place inline keys again.</param>
    public CountingTable(int initialCapacity, bool degenerateHash = false)
    {
        if (initialCapacity < 8 || initialCapacity > MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapacity), initialCapacity, $"The capacity must be from 8 to {MaxCapacity} slots.");
        }

        _degenerateHash = degenerateHash;
        Allocate(initialCapacity);
    }

    ~CountingTable() => Free();

    /// <summary>Keys in the table.</summary>
    public int Count => _count;

    /// <summary>Slots in the table.</summary>
    public int Capacity => _capacity;

    /// <summary>Bytes of slots and of the long-key arena.</summary>
    public long MemoryBytes => ((long)Capacity * SlotSize) + _arena.Bytes;

    /// <summary>Indexes of the slots touched in the open (or just closed) batch, each once.</summary>
    public ReadOnlySpan<int> Dirty => new(_dirty, 0, _dirtyCount);

    /// <summary>The fingerprint of a hash: its high half, never 0 (0 marks an empty slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FingerprintOf(ulong hash) => (uint)(hash >> 32) | 1;

    public ref readonly Slot At(int index)
    {
        Debug.Assert((uint)index < (uint)Capacity);
        return ref _slots[index];
    }

    /// <summary>The key bytes of an occupied slot; valid until the table grows (long keys: for the table's life).</summary>
    public ReadOnlySpan<byte> KeyAt(int index)
    {
        var slot = _slots + index;
        Debug.Assert(slot->KeyTag != 0);
        return slot->KeyTag == LongKeyTag
            ? _arena.Get(slot->LongReference, slot->LongLength)
            : new ReadOnlySpan<byte>((byte*)slot + KeyOffset + 1, slot->KeyTag);
    }

    /// <summary>The count of the slot in the open (or just closed) batch.</summary>
    public long DeltaAt(int index)
    {
        var delta = (long)_slots[index].BatchCount;
        if (_wrapped is { Count: > 0 } && _wrapped.TryGetValue(index, out var extra))
        {
            delta += extra;
        }

        return delta;
    }

    /// <summary>
    /// Adds one occurrence for each token, all of this shard, whose bytes are in <paramref name="chunk"/>. Probes are
    /// issued <see cref="PrefetchDistance"/> tokens ahead so that cache misses overlap instead of queueing.
    /// </summary>
    public void CountTokens(byte* chunk, int chunkLength, ReadOnlySpan<TokenRef> tokens)
    {
        EnterExclusive();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (Sse.IsSupported && i + PrefetchDistance < tokens.Length)
            {
                Sse.Prefetch0(_slots + Home(tokens[i + PrefetchDistance].Fingerprint));
            }

            var token = tokens[i];
            if (token.Length <= MaxInlineLength)
            {
                IncrementInline(InlineKey(chunk, chunkLength, token.Offset, token.Length), token.Fingerprint);
            }
            else
            {
                IncrementLong(new ReadOnlySpan<byte>(chunk + token.Offset, token.Length), token.Fingerprint);
            }
        }

        ExitExclusive();
    }

    /// <summary>The slot index of a key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key, uint fingerprint)
    {
        var index = Home(fingerprint);
        if (key.Length <= MaxInlineLength)
        {
            var inline = InlineKey(key);
            while (true)
            {
                var slot = _slots + index;
                if (HoldsInline(slot, inline))
                {
                    return index;
                }

                if (slot->KeyTag == 0)
                {
                    return -1;
                }

                index = Next(index);
            }
        }

        while (true)
        {
            var slot = _slots + index;
            if (slot->KeyTag == 0)
            {
                return -1;
            }

            if (IsLongKey(slot, key, fingerprint))
            {
                return index;
            }

            index = Next(index);
        }
    }

    /// <summary>Adds a recovered count to a key's total, outside the in-batch count (the key is not made dirty).</summary>
    public void AddToTotal(ReadOnlySpan<byte> key, uint fingerprint, long count)
    {
        var index = Find(key, fingerprint);
        if (index < 0)
        {
            index = Insert(key, fingerprint, counted: false);
        }

        _slots[index].Total += count;
    }

    /// <summary>Grows the table, once, so that it holds <paramref name="keys"/> keys without growing again.</summary>
    public void EnsureCapacity(long keys)
    {
        var needed = Math.Min((keys * 5 / 4) + 1, MaxCapacity);
        if (needed > _capacity && keys > _count)
        {
            Grow((int)needed);
        }
    }

    /// <summary>Adds each dirty slot's in-batch count to its total; the in-batch counts stay for the batch's changes.</summary>
    public void FoldBatch()
    {
        var dirty = Dirty;
        for (var i = 0; i < dirty.Length; i++)
        {
            PrefetchDirty(dirty, i);
            _slots[dirty[i]].Total += DeltaAt(dirty[i]);
        }
    }

    /// <summary>Starts a new batch: clears the in-batch counts of the dirty slots and the dirty list.</summary>
    public void ResetBatch()
    {
        var dirty = Dirty;
        for (var i = 0; i < dirty.Length; i++)
        {
            PrefetchDirty(dirty, i);
            _slots[dirty[i]].BatchCount = 0;
        }

        _dirtyCount = 0;
        _wrapped?.Clear();
    }

    /// <summary>
    /// Prefetches the slot of the dirty entry <see cref="PrefetchDistance"/> places after <paramref name="position"/>:
    /// the passes over the dirty list (fold, rank, reset) jump around the table like the probes do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchDirty(ReadOnlySpan<int> dirty, int position)
    {
        if (Sse.IsSupported && position + PrefetchDistance < dirty.Length)
        {
            Sse.Prefetch0(_slots + dirty[position + PrefetchDistance]);
        }
    }

    /// <summary>Test seam: sets a dirty slot's in-batch count, to reach the 32-bit wrap-around without 4 billion tokens.</summary>
    internal void SetBatchCount(int index, uint count)
    {
        Debug.Assert(_slots[index].BatchCount != 0 && count != 0, "Only a dirty slot may be set, and never to 0.");
        _slots[index].BatchCount = count;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The inline key of a token of at most <see cref="MaxInlineLength"/> bytes, laid out as a whole slot whose key area
    /// holds [length, bytes, zero padding] and whose other bytes are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> InlineKey(byte* chunk, int chunkLength, int offset, int length)
    {
        // The byte before a token is whitespace (or it is the chunk's first byte), so one unaligned 32-byte load that
        // puts that byte at the length's place, masked to the token's bytes with the length put in, builds the key
        // without a copy.
        if (offset >= KeyOffset + 1 && offset + MaxInlineLength <= chunkLength)
        {
            // Byte i of laneMinus13 holds i - 13 (wrapped), so "lane < length" selects the key bytes 13..12+length.
            // Constants of the method, so no tier of the JIT has to load them from a static field.
            var laneMinus13 = Vector256.Create(
                (byte)243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 0, 1, 2,
                3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
            var lengthLane = Vector256.Create(0UL, 0xFFUL << 32, 0UL, 0UL).AsByte();
            var raw = Vector256.Load(chunk + offset - (KeyOffset + 1));
            var lengths = Vector256.Create((byte)length);
            return (raw & Vector256.LessThan(laneMinus13, lengths)) | (lengths & lengthLane);
        }

        return InlineKey(new ReadOnlySpan<byte>(chunk + offset, length));
    }

    public static Vector256<byte> InlineKey(ReadOnlySpan<byte> key)
    {
        Debug.Assert(key.Length is > 0 and <= MaxInlineLength);
        var bytes = stackalloc byte[SlotSize];
        new Span<byte>(bytes, SlotSize).Clear();
        bytes[KeyOffset] = (byte)key.Length;
        key.CopyTo(new Span<byte>(bytes + KeyOffset + 1, MaxInlineLength));
        return Vector256.Load(bytes);
    }

    /// <summary>Whether the slot holds the inline key: its key area equals the key's (empty and long-key slots never do).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HoldsInline(Slot* slot, Vector256<byte> key)
    {
        return (Vector256.Load((byte*)slot) & KeyAreaMask()) == key;
    }

    /// <summary>0xFF on the key area's bytes (12-31) of a slot, 0 on the others. A method, so its callers fold the constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> KeyAreaMask() => Vector256.Create(0UL, 0xFFFF_FFFFUL << 32, ulong.MaxValue, ulong.MaxValue).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void IncrementInline(Vector256<byte> key, uint fingerprint)
    {
        var slots = _slots;
        var index = Home(fingerprint);
        while (true)
        {
            var slot = slots + index;
            if (HoldsInline(slot, key))
            {
                Touch(slot, index);
                return;
            }

            if (slot->KeyTag == 0)
            {
                InsertNew(key, fingerprint, counted: true);
                return;
            }

            index = Next(index);
        }
    }

    // Called (not inlined) from CountTokens, which the JIT compiles fully optimized at once: without this, the calls
    // would run unoptimized code until tiering caught up, during the run's first few hundred milliseconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IncrementLong(ReadOnlySpan<byte> key, uint fingerprint)
    {
        var index = Home(fingerprint);
        while (true)
        {
            var slot = _slots + index;
            if (slot->KeyTag == 0)
            {
                Insert(key, fingerprint, counted: true);
                return;
            }

            if (IsLongKey(slot, key, fingerprint))
            {
                Touch(slot, index);
                return;
            }

            index = Next(index);
        }
    }

    private bool IsLongKey(Slot* slot, ReadOnlySpan<byte> key, uint fingerprint) =>
        slot->KeyTag == LongKeyTag
        && slot->LongFingerprint == fingerprint
        && slot->LongLength == key.Length
        && _arena.Get(slot->LongReference, key.Length).SequenceEqual(key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(Slot* slot, int index)
    {
        var count = slot->BatchCount + 1;
        slot->BatchCount = count;
        if (count <= 1)
        {
            if (count == 1)
            {
                AddDirty(index);
            }
            else
            {
                Wrap(slot, index);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddDirty(int index)
    {
        if (_dirtyCount == _dirty.Length)
        {
            Array.Resize(ref _dirty, _dirty.Length * 2);
        }

        _dirty[_dirtyCount++] = index;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Wrap(Slot* slot, int index)
    {
        // BatchCount went from uint.MaxValue to 0: keep 2^32 - 1 aside and 1 in the slot, so a dirty slot's
        // BatchCount is never 0 and the in-batch count is BatchCount + the amount kept aside.
        _wrapped ??= [];
        _wrapped[index] = _wrapped.GetValueOrDefault(index) + uint.MaxValue;
        slot->BatchCount = 1;
    }

    private int Insert(ReadOnlySpan<byte> key, uint fingerprint, bool counted)
    {
        if (key.Length <= MaxInlineLength)
        {
            return InsertNew(InlineKey(key), fingerprint, counted);
        }

        var template = default(Slot);
        template.KeyTag = LongKeyTag;
        template.LongLength = key.Length;
        template.LongFingerprint = fingerprint;
        template.LongReference = _arena.Append(key);
        return InsertNew(Vector256.Load((byte*)&template), fingerprint, counted);
    }

    /// <summary>Inserts a key known to be absent; grows first if the table is 80% full.</summary>
    /// <remarks>Optimized at once like <see cref="IncrementLong"/>: most new keys arrive in a run's first second.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int InsertNew(Vector256<byte> keyArea, uint fingerprint, bool counted)
    {
        if (_count >= _growAt)
        {
            Grow((int)Math.Min((long)_capacity + (_capacity / 2), MaxCapacity));
        }

        var index = Home(fingerprint);
        while (_slots[index].KeyTag != 0)
        {
            index = Next(index);
        }

        // The key area's other bytes are zero: the stored slot starts with a zero total and in-batch count.
        var slot = _slots + index;
        Vector256.Store(keyArea, (byte*)slot);
        slot->BatchCount = counted ? 1u : 0u;
        if (counted)
        {
            AddDirty(index);
        }

        _count++;
        return index;
    }

    [Conditional("DEBUG")]
    private void EnterExclusive()
    {
        var previous = Interlocked.CompareExchange(ref _probingThread, Environment.CurrentManagedThreadId, 0);
        Debug.Assert(previous == 0, $"Shard table probed by thread {Environment.CurrentManagedThreadId} while thread {previous} probes it.");
    }

    [Conditional("DEBUG")]
    private void ExitExclusive()
    {
        Volatile.Write(ref _probingThread, 0);
    }

    /// <summary>The slot a fingerprint's probe starts at: its position scaled to the capacity (Lemire's reduction).</summary>
    /// <remarks>The start slots keep the fingerprints' order, so growing re-places keys mostly front to back.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(uint fingerprint) => (int)(((ulong)fingerprint * (uint)_capacity) >> 32);

    /// <summary>The fingerprint an occupied slot's key was placed by: stored for a long key, recomputed for an inline one.</summary>
    private uint PlacedBy(Slot* slot)
    {
        if (slot->KeyTag == LongKeyTag)
        {
            return slot->LongFingerprint;
        }

        var hash = HashtagSharding.HashShort(Vector256.Load((byte*)slot) & KeyAreaMask());
        return FingerprintOf(_degenerateHash ? KeyHash.Degenerate(hash) : hash);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next(int index) => ++index == _capacity ? 0 : index;

    private void Grow(int capacity)
    {
        if (capacity <= Capacity)
        {
            throw new InvalidOperationException($"A counting shard cannot hold more than {MaxCapacity / 5 * 4} distinct hashtags.");
        }

        var oldSlots = _slots;
        var oldBlock = _block;
        var oldCapacity = Capacity;
        var oldWrapped = _wrapped;
        _slots = null;
        Allocate(capacity);

        // Re-placing visits every slot anyway, so the dirty list (slot indexes) is rebuilt from the in-batch counts.
        // The new table's pages are touched as keys land in it, roughly front to back, while the old table's pages
        // are given back behind the re-placement: the process never holds both tables whole.
        _dirtyCount = 0;
        _wrapped = null;
        var discarded = 0;
        for (var i = 0; i < oldCapacity; i++)
        {
            if (i - discarded >= DiscardStep)
            {
                PageAdvice.Discard(oldSlots + discarded, (nuint)(i - discarded) * SlotSize);
                discarded = i;
            }

            var old = oldSlots + i;
            if (old->KeyTag == 0)
            {
                continue;
            }

            var index = Home(PlacedBy(old));
            while (_slots[index].KeyTag != 0)
            {
                index = Next(index);
            }

            _slots[index] = *old;
            if (old->BatchCount != 0)
            {
                AddDirty(index);
                if (oldWrapped is not null && oldWrapped.TryGetValue(i, out var extra))
                {
                    (_wrapped ??= [])[index] = extra;
                }
            }
        }

        NativeMemory.Free(oldBlock);
        GC.RemoveMemoryPressure((long)oldCapacity * SlotSize);
    }

    private void Allocate(int capacity)
    {
        // Zeroed by calloc: a large block comes straight from mmap, whose pages are zero and stay untouched (not
        // resident) until a key lands in them. Aligned by hand, as no aligned calloc exists: slots to a cache line,
        // large tables to the huge page size.
        var bytes = (nuint)capacity * SlotSize;
        var alignment = bytes >= PageAdvice.HugePageSize ? (nuint)PageAdvice.HugePageSize : 64;
        _block = NativeMemory.AllocZeroed(bytes + alignment);
        _slots = (Slot*)(((nuint)_block + alignment - 1) & ~(alignment - 1));
        PageAdvice.AdviseHugePages(_slots, bytes);
        GC.AddMemoryPressure((long)bytes);
        _capacity = capacity;
        _growAt = capacity / 5 * 4;
    }

    private void Free()
    {
        if (_block != null)
        {
            NativeMemory.Free(_block);
            GC.RemoveMemoryPressure((long)Capacity * SlotSize);
            _block = null;
            _slots = null;
        }
    }
}
