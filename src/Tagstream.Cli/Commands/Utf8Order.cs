namespace Tagstream.Cli.Commands;

/// <summary>Orders UTF-8 strings by their bytes, which is Unicode code point order (as Spark SQL orders strings).</summary>
internal sealed class Utf8Order : IComparer<byte[]>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
