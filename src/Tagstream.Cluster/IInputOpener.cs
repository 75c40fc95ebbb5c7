using Tagstream.Sources;

namespace Tagstream.Cluster;

/// <summary>Opens a job's input on the node that runs its ingest: the host knows how source options become a source.</summary>
internal interface IInputOpener
{
    /// <summary>Opens the job's input at <paramref name="resumeAt"/> (null: from its start).</summary>
    /// <exception cref="IOException">The input cannot be opened here; the message says why in one line.</exception>
    PostSource Open(JobSpec spec, SourcePosition? resumeAt);
}
