using System.Globalization;

namespace Tagstream.Sources.Synthetic;

/// <summary>The parameters of a synthetic stream. The same options always give the same posts.</summary>
public sealed record SyntheticOptions
{
    /// <summary>The seed of the stream.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The Zipf exponent of hashtag popularity; 1.1 resembles real hashtag streams.</summary>
    public double Zipf { get; init; } = 1.1;

    /// <summary>How many distinct hashtags the stream draws from.</summary>
    public int Vocabulary { get; init; } = 1_000_000;

    /// <summary>Terms that appear among the hashtags, near the top, as on a live stream filtered by them.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>Posts per second, or null for as fast as possible.</summary>
    public double? Rate { get; init; }

    /// <summary>The index of the first post: a stream started at N continues one that stopped after N posts.</summary>
    public long StartAt { get; init; }

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate()
    {
        if (Zipf is <= 0 or > 10 || double.IsNaN(Zipf))
        {
            return string.Create(CultureInfo.InvariantCulture, $"SyntheticOptions.Zipf must be between 0 (excluded) and 10, not {Zipf}.");
        }

        if (Vocabulary is < 1 or > 50_000_000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"SyntheticOptions.Vocabulary must be between 1 and 50000000, not {Vocabulary}.");
        }

        if (Rate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
        {
            return string.Create(CultureInfo.InvariantCulture, $"SyntheticOptions.Rate must be a positive number of posts per second, not {rate}.");
        }

        if (StartAt < 0)
        {
            return "The first post index cannot be negative.";
        }

        foreach (string term in Terms)
        {
            if (term.Length == 0 || term.Any(char.IsWhiteSpace))
            {
                return $"The term '{term}' is not one word: a hashtag has no spaces.";
            }
        }

        return null;
    }

    /// <summary>Identifies the stream these options make, so a checkpoint can tell whether it can resume it.</summary>
    internal string RunId => string.Create(
        CultureInfo.InvariantCulture,
        $"synthetic:seed={Seed};zipf={Zipf};vocabulary={Vocabulary};terms={string.Join(',', Terms)}");
}
