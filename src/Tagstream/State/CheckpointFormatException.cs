namespace Tagstream.State;

/// <summary>One checkpoint file is truncated or corrupt: recovery falls back to the previous good state.</summary>
internal sealed class CheckpointFormatException(string message) : Exception(message);
