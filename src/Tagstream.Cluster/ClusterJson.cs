using System.Text.Json.Serialization;

namespace Tagstream.Cluster;

/// <summary>The JSON forms of what the cluster keeps in Redis (generated at build time, no reflection).</summary>
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(BatchPlan))]
[JsonSerializable(typeof(CommittedBatch))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
internal sealed partial class ClusterJson : JsonSerializerContext;
