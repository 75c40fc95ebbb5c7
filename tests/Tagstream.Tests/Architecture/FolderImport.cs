namespace Tagstream.Tests.Architecture;

/// <summary>A file of <paramref name="From"/> naming <paramref name="Type"/>, declared in <paramref name="To"/>.</summary>
internal sealed record FolderImport(string From, string To, string Type, string File)
{
    public override string ToString() => $"{From} -> {To} ({Type} in {File})";
}
