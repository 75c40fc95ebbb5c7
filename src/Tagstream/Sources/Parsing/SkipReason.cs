namespace Tagstream.Sources.Parsing;

/// <summary>Why a well-formed record carries no post.</summary>
public enum SkipReason
{
    /// <summary>Not skipped.</summary>
    None,

    /// <summary>A keep-alive: a blank line in an X stream or in a recorded file.</summary>
    KeepAlive,

    /// <summary>A heartbeat or comment: an SSE line starting with <c>:</c> (Mastodon sends <c>:thump</c>).</summary>
    Heartbeat,

    /// <summary>A deletion notice: an X v1.1 <c>delete</c>, a Jetstream <c>delete</c> commit, a Mastodon <c>delete</c> event.</summary>
    Delete,

    /// <summary>An X v1.1 <c>limit</c> notice (posts the stream did not deliver).</summary>
    Limit,

    /// <summary>A Jetstream <c>account</c> event (an account's status changed).</summary>
    AccountEvent,

    /// <summary>A Jetstream <c>identity</c> event (a handle or DID document changed).</summary>
    IdentityEvent,

    /// <summary>
    /// Another kind of event that is not a new post: an edit (Jetstream <c>update</c>, Mastodon <c>status.update</c>, counted
    /// once already when created), another collection, a notification; <see cref="ParseOutcome.Problem"/> names it.
    /// </summary>
    OtherEvent,
}
