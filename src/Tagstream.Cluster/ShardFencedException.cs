namespace Tagstream.Cluster;

/// <summary>A stale activation of a shard was refused by the store; a call made again reaches the current one.</summary>
[GenerateSerializer]
internal sealed class ShardFencedException : Exception
{
    public ShardFencedException()
        : base("A newer activation of this shard holds it; this one was refused.")
    {
    }

    public ShardFencedException(string message)
        : base(message)
    {
    }

    public ShardFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
