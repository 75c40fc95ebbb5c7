using Tagstream.Sources;

namespace Tagstream.Tests.Sources.Replay;

/// <summary>Collects the statuses a source reports, synchronously.</summary>
internal sealed class StatusList : IProgress<SourceStatus>
{
    public List<SourceStatus> Items { get; } = [];

    public void Report(SourceStatus value) => Items.Add(value);
}
