using System.Globalization;

namespace Tagstream.Feed;

/// <summary>Names feed runs: the time the run started and a random suffix, so two runs never share an id.</summary>
internal static class FeedRun
{
    public static string NewId(TimeProvider timeProvider) =>
        timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
}
