namespace Tagstream.Sources.Synthetic;

/// <summary>
/// A small counter-based random generator (Steele, Lea and Flood's SplitMix64): the state after seeding from
/// (seed, post index) is known without generating the posts before it, so a synthetic stream can resume at any post.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one item of a stream, independent of every other item's.</summary>
    public static SplitMix64 For(ulong seed, ulong index) => new(Mix(seed ^ Mix(index + Gamma)));

    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) by Lemire's multiply-shift (a negligible bias for small bounds).</summary>
    public int NextInt(int bound) => (int)(((Next() >> 32) * (ulong)bound) >> 32);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
