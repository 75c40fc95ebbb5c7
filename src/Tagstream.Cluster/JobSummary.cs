namespace Tagstream.Cluster;

/// <summary>A job as <c>tagstream cluster jobs</c> lists it.</summary>
/// <param name="Spec">What it reads and how it batches.</param>
/// <param name="Running">Whether the nodes keep it running (its input has not ended, and it was not stopped).</param>
/// <param name="LastCommitted">Its last committed batch, if any.</param>
/// <param name="Error">Why it stopped, when it was stopped or failed.</param>
internal sealed record JobSummary(JobSpec Spec, bool Running, CommittedBatch? LastCommitted, string? Error);
