using System.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;
using Tagstream.Cluster;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>
/// Redis, three <c>tagstream node</c> processes and <c>count --cluster</c> over a paced replay file: the node running the
/// job's ingest is killed (SIGKILL) at random moments, or asked to leave; the final totals and ranking equal the naive
/// reference of the whole file exactly.
/// </summary>
[Collection(ClusterSerial.Name)]
public sealed class ClusterFailoverTests
{
    private const int Posts = 60_000;
    private const string Job = "failover";

    public static TheoryData<int> Seeds() => [1, 2, 3];

    /// <summary>
    /// The first kill lands at the moment a replay must get exactly right: every shard has applied a batch that is not
    /// committed yet (the nodes hold each batch there for 300 ms so that the test can see it); the second at a random
    /// moment. A new ingest that did not read the planned range again would count another batch under that number,
    /// which the shards would ignore: posts would be lost.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Count_IngestNodeKilledAtRandomMoments_FinalTotalsEqualTheReference(int seed)
    {
        var random = new Random(seed);
        int kills = 0;
        (JsonElement last, NaiveReference reference, int stops) = await CountOnClusterAsync(seed, async (nodes, holder, redis, clusterId) =>
        {
            if (kills++ == 0)
            {
                await WaitUntilAppliedNotCommittedAsync(redis, clusterId);
            }
            else
            {
                await Task.Delay(random.Next(0, 1500), TestContext.Current.CancellationToken);
            }

            holder.Process.KillHard();
            await holder.Process.WaitForExitAsync();
            if (random.Next(2) == 0)
            {
                nodes.Add(await NodeProcess.StartAsync(redis.Url, clusterId, commitDelay: 300));
            }
        }, maxStops: 2, commitDelay: 300);

        AssertEqualsReference(last, reference);
        Assert.True(stops > 0, "No node was killed: the test proved nothing.");
    }

    [Fact]
    public async Task Count_IngestNodeLeavesGracefully_ExitsZeroAndTheJobGoesOnExactly()
    {
        (JsonElement last, NaiveReference reference, int stops) = await CountOnClusterAsync(seed: 4, async (_, holder, _, _) =>
        {
            holder.Process.Terminate();
            Assert.Equal(0, await holder.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("left the cluster", holder.Process.Stdout, StringComparison.Ordinal);
        }, maxStops: 1);

        AssertEqualsReference(last, reference);
        Assert.Equal(1, stops);
    }

    private static void AssertEqualsReference(JsonElement last, NaiveReference reference)
    {
        Assert.Equal(Posts, last.GetProperty("total_posts").GetInt64());
        Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
        Assert.Equal(reference.Distinct, last.GetProperty("distinct_tags").GetInt64());
        Assert.Equal(reference.Top(5000), ClusterInput.Ranking(last));
    }

    /// <summary>
    /// Runs the job on a fresh cluster and calls <paramref name="stop"/> with the node that holds the ingest, up to
    /// <paramref name="maxStops"/> times while the job runs; returns the last batch shown, the reference and the stops made.
    /// </summary>
    private static async Task<(JsonElement Last, NaiveReference Reference, int Stops)> CountOnClusterAsync(
        int seed, Func<List<NodeProcess>, NodeProcess, RedisServer, string, Task> stop, int maxStops, int commitDelay = 0)
    {
        using var folder = new TempDirectory();
        (string file, NaiveReference reference) = await ClusterInput.WriteAsync(folder.Path, seed, Posts);

        await using RedisServer redis = await RedisServer.StartAsync();
        string clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        var nodes = new List<NodeProcess>();
        try
        {
            nodes.AddRange(await Task.WhenAll(
                Enumerable.Range(0, 3).Select(_ => NodeProcess.StartAsync(redis.Url, clusterId, commitDelay))));
            await using CliProcess count = CliProcess.Start(
                "count", "--cluster", redis.Url, "--cluster-id", clusterId, "--job", Job, "--source", "replay", "--file", file,
                "--rate", "15000", "--until-eof", "--output", "jsonl", "--interval", "200ms", "--top", "5000", "--no-dashboard");
            Task<int> exit = count.WaitForExitAsync(TimeSpan.FromSeconds(240));
            int stops = 0;
            var seen = new Dictionary<NodeProcess, int>();
            while (stops < maxStops && !exit.IsCompleted)
            {
                NodeProcess? holder = await IngestHolderAsync(nodes, seen, exit);
                if (holder is null || LastTotal(count.Stdout) > Posts * 8 / 10)
                {
                    break;
                }

                await stop(nodes, holder, redis, clusterId);
                nodes.Remove(holder);
                await holder.DisposeAsync();
                stops++;
            }

            Assert.Equal(0, await exit);
            string[] output = count.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return (JsonDocument.Parse(output[^1]).RootElement.Clone(), reference, stops);
        }
        finally
        {
            foreach (NodeProcess node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>The live node that took the job's ingest since the last call: its count of takes grew past what was seen.</summary>
    private static async Task<NodeProcess?> IngestHolderAsync(List<NodeProcess> nodes, Dictionary<NodeProcess, int> seen, Task exit)
    {
        var watch = Stopwatch.StartNew();
        while (!exit.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            NodeProcess? holder = nodes.FirstOrDefault(n => !n.Process.HasExited && n.IngestsTaken(Job) > seen.GetValueOrDefault(n));
            if (holder is not null)
            {
                foreach (NodeProcess node in nodes)
                {
                    seen[node] = node.IngestsTaken(Job);
                }

                return holder;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return null;
    }

    /// <summary>Waits until a batch is planned and applied by every shard, but not committed.</summary>
    private static async Task WaitUntilAppliedNotCommittedAsync(RedisServer server, string clusterId)
    {
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
        IDatabase db = redis.GetDatabase();
        var keys = new ClusterKeys(clusterId);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            RedisValue plan = await db.StringGetAsync(keys.Plan(Job));
            if (!plan.IsNull)
            {
                long batch = JsonDocument.Parse((string)plan!).RootElement.GetProperty("batch").GetInt64();
                RedisValue[] applied = await Task.WhenAll(
                    Enumerable.Range(0, JobSpec.DefaultShards).Select(s => db.HashGetAsync(keys.ShardApplied(Job, s), 0)));
                if (applied.All(a => a == batch) && await db.StringGetAsync(keys.Plan(Job)) == plan)
                {
                    return;
                }
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail("No batch was ever applied by every shard and not yet committed.");
    }

    private static long LastTotal(string jsonLines)
    {
        string[] lines = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? 0 : JsonDocument.Parse(lines[^1]).RootElement.GetProperty("total_posts").GetInt64();
    }
}
