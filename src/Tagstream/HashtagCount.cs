namespace Tagstream;

/// <summary>A hashtag and its count, as shown in a ranking.</summary>
/// <param name="Hashtag">The hashtag, without <c>#</c>.</param>
/// <param name="Total">Occurrences counted: exact, or with <c>--max-tags</c> an upper bound of the true count.</param>
/// <param name="Error">
/// How far <paramref name="Total"/> may exceed the true count: 0 when exact. With the bounded-memory summary
/// (Space-Saving), the true count lies in [Total - Error, Total].
/// </param>
public sealed record HashtagCount(string Hashtag, long Total, long Error = 0);
