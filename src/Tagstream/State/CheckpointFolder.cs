namespace Tagstream.State;

/// <summary>The checkpoint files present in a folder, by kind and batch.</summary>
internal sealed class CheckpointFolder
{
    private CheckpointFolder(SortedSet<long> deltas, SortedSet<long> snapshots, List<string> temporaries)
    {
        Deltas = deltas;
        Snapshots = snapshots;
        Temporaries = temporaries;
    }

    public SortedSet<long> Deltas { get; }

    public SortedSet<long> Snapshots { get; }

    /// <summary>Files a crash left before their rename: never committed.</summary>
    public List<string> Temporaries { get; }

    public static CheckpointFolder List(string directory)
    {
        var deltas = new SortedSet<long>();
        var snapshots = new SortedSet<long>();
        var temporaries = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(CheckpointFile.TemporaryExtension, StringComparison.Ordinal))
            {
                temporaries.Add(path);
            }
            else if (CheckpointFile.TryParseFileName(name, out var kind, out var batch))
            {
                (kind == CheckpointFileKind.Delta ? deltas : snapshots).Add(batch);
            }
        }

        return new CheckpointFolder(deltas, snapshots, temporaries);
    }
}
