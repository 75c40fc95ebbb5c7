namespace Tagstream.Sources.Live.Transport;

/// <summary>Why a connection ended and how to retry: the kind keys the problem reporter, the message is for the user.</summary>
internal readonly record struct StreamFailure(ReconnectReason Reason, string Kind, string Message);
