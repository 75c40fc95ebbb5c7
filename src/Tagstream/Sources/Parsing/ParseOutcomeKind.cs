namespace Tagstream.Sources.Parsing;

/// <summary>What one record of a wire format turned out to be.</summary>
public enum ParseOutcomeKind
{
    /// <summary>A post: <see cref="ParseOutcome.Post"/> is set.</summary>
    Post,

    /// <summary>A record that is well-formed but carries no post: <see cref="ParseOutcome.SkipReason"/> says why.</summary>
    Skip,

    /// <summary>An error object the service sent inside the stream: <see cref="ParseOutcome.Error"/> is set.</summary>
    StreamError,

    /// <summary>A record that could not be read: <see cref="ParseOutcome.Problem"/> says why in one line.</summary>
    Malformed,
}
