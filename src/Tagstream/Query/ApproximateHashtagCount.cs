namespace Tagstream.Query;

/// <summary>A hashtag and its approximate count from the bounded-memory summary (<c>--max-tags</c>).</summary>
/// <param name="Hashtag">The hashtag, without <c>#</c>.</param>
/// <param name="Total">An upper bound of its true count.</param>
/// <param name="Error">
/// The most by which <see cref="Total"/> can exceed the true count: the true count lies in
/// [<see cref="Total"/> - <see cref="Error"/>, <see cref="Total"/>]. Shown as "total ±error".
/// </param>
public sealed record ApproximateHashtagCount(string Hashtag, long Total, long Error);
