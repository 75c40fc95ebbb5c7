namespace Tagstream.Sources.Parsing;

/// <summary>
/// An error object a service sent inside its stream instead of a post, such as X's <c>operational-disconnect</c> or
/// <c>TooManyConnections</c> (https://docs.x.com/x-api/posts/filtered-stream/integrate/handling-disconnections).
/// </summary>
/// <param name="Title">The error's title, for example <c>operational-disconnect</c> or <c>ConnectionException</c>.</param>
/// <param name="Type">The problem type URI, for example <c>https://api.x.com/2/problems/operational-disconnect</c>.</param>
/// <param name="Detail">The human-readable detail, when given.</param>
/// <param name="Code">The machine-readable cause, when given: X's <c>disconnect_type</c> or <c>connection_issue</c>.</param>
public sealed record StreamError(string Title, string? Type, string? Detail, string? Code)
{
    /// <summary>One line for the user, for example <c>operational-disconnect (UpstreamOperationalDisconnect): This stream ...</c>.</summary>
    public override string ToString() =>
        (Code is null ? Title : $"{Title} ({Code})") + (Detail is null ? string.Empty : ": " + Detail);
}
