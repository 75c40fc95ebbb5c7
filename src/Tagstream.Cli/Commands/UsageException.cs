namespace Tagstream.Cli.Commands;

/// <summary>An option or argument that cannot be used; its message is shown as is, and the exit code is 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
