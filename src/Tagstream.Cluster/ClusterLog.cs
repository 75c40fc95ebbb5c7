namespace Tagstream.Cluster;

/// <summary>Where a node's one-line messages go (its standard output): joins, state changes, jobs taken and stalls.</summary>
/// <param name="write">Writes one line; called from any thread.</param>
internal sealed class ClusterLog(Action<string> write)
{
    private readonly Lock _gate = new();

    public void Line(string message)
    {
        lock (_gate)
        {
            write(message);
        }
    }
}
