namespace Tagstream.Tests.Hashtags;

/// <summary>One twitter-text conformance case: the expected tags and, for the indices section, their code-point spans.</summary>
internal sealed record ConformanceCase(
    string Section,
    string Description,
    string Text,
    IReadOnlyList<string> ExpectedTags,
    IReadOnlyList<(int Start, int End)>? ExpectedIndices);
