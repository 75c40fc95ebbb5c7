using System.CommandLine;
using System.Globalization;
using StackExchange.Redis;
using Tagstream.Cluster;

namespace Tagstream.Cli.Commands;

/// <summary><c>tagstream cluster status|jobs|stop JOB</c>: what a cluster is made of and runs, and stopping a job.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Show a Tagstream cluster's members and jobs, or stop a job.");
        command.Add(Status());
        command.Add(Jobs());
        command.Add(Stop());
        return command;
    }

    private static Command Status()
    {
        (Option<string> cluster, Option<string> clusterId) = Options();
        var command = new Command("status", "The cluster's active members and the shards each holds, then its jobs.")
        {
            cluster, clusterId,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync("cluster status", async stop =>
        {
            ClusterAddress address = ClusterConnection.Parse(parse.GetValue(cluster)!);
            string id = ClusterConnection.ValidName(parse.GetValue(clusterId)!, "--cluster-id");
            await using ConnectionMultiplexer redis = await ClusterConnection.ConnectAsync(address).ConfigureAwait(false);
            IReadOnlyList<(string Member, int Shards)> members;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                try
                {
                    members = await ClusterMembers.ReadAsync(address, id, limit.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    throw new IOException($"no member of cluster {id} answered at {address}: is a tagstream node running?", e);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster {id} at {address}: {members.Count} active member(s)"));
            foreach ((string member, int shards) in members)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  member {member}: {shards} shard(s) active"));
            }

            await PrintJobsAsync(new ClusterJobs(redis, new ClusterKeys(id))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Jobs()
    {
        (Option<string> cluster, Option<string> clusterId) = Options();
        var command = new Command("jobs", "The cluster's jobs: input, position, last committed batch and lag.") { cluster, clusterId };
        command.SetAction((parse, _) => CommandRunner.RunAsync("cluster jobs", async _ =>
        {
            ClusterAddress address = ClusterConnection.Parse(parse.GetValue(cluster)!);
            string id = ClusterConnection.ValidName(parse.GetValue(clusterId)!, "--cluster-id");
            await using ConnectionMultiplexer redis = await ClusterConnection.ConnectAsync(address).ConfigureAwait(false);
            await PrintJobsAsync(new ClusterJobs(redis, new ClusterKeys(id))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Stop()
    {
        (Option<string> cluster, Option<string> clusterId) = Options();
        var job = new Argument<string>("JOB") { Description = "The job to stop." };
        var command = new Command("stop", "Stop a job for good: the nodes commit no batch of it after this.") { cluster, clusterId, job };
        command.SetAction((parse, _) => CommandRunner.RunAsync("cluster stop", async _ =>
        {
            ClusterAddress address = ClusterConnection.Parse(parse.GetValue(cluster)!);
            string id = ClusterConnection.ValidName(parse.GetValue(clusterId)!, "--cluster-id");
            string name = parse.GetValue(job)!;
            await using ConnectionMultiplexer redis = await ClusterConnection.ConnectAsync(address).ConfigureAwait(false);
            if (!await new ClusterJobs(redis, new ClusterKeys(id)).StopAsync(name).ConfigureAwait(false))
            {
                throw new UsageException($"cluster {id} has no job '{name}' (see tagstream cluster jobs).");
            }

            Console.WriteLine($"stopped job {name}");
            return 0;
        }));
        return command;
    }

    private static async Task PrintJobsAsync(ClusterJobs jobs)
    {
        IReadOnlyList<JobSummary> all = await jobs.ListAsync().ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{all.Count} job(s)"));
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        foreach (JobSummary job in all)
        {
            CommittedBatch? last = job.LastCommitted;
            string state = job.Error is { } error ? $"stopped: {error}"
                : last is { Final: true } ? "done"
                : job.Running ? "running"
                : "registered";
            string progress = last is null
                ? "no batch committed yet"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"batch {last.Batch} committed {(now - last.Time).TotalSeconds:0.0} s ago, {last.TotalPosts} posts, "
                    + $"{last.TotalTags} tags, position {last.End?.Offset.ToString(CultureInfo.InvariantCulture) ?? "start"}");
            Console.WriteLine($"  job {job.Spec.Name} [{state}]: input {job.Spec.Identity}; {progress}");
        }
    }

    private static (Option<string> Cluster, Option<string> ClusterId) Options() =>
        (new Option<string>("--cluster") { Description = "The cluster's Redis, redis://HOST:PORT.", Required = true },
            ClusterCountOptions.ClusterIdOption());
}
