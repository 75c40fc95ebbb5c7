using System.CommandLine;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;
using Tagstream.Cli.Dashboard;
using Tagstream.Cluster;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>count --cluster</c>: the job runs on the cluster's nodes (they read the source and count); this process registers
/// it, or attaches to it, and shows its committed batches with the outputs of a single-node <c>count</c>. Stopping this
/// process does not stop the job.
/// </summary>
internal sealed class ClusterCountOptions
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    private readonly Option<string?> _cluster = new("--cluster")
    {
        Description = "Run the job on a Tagstream cluster whose Redis is redis://HOST:PORT; this process only shows its results.",
    };

    private readonly Option<string> _clusterId = ClusterIdOption();

    private readonly Option<string?> _job = new("--job")
    {
        Description = "The cluster job's name (default: derived from the source); an existing job of that name is attached to.",
    };

    /// <summary>The <c>--cluster-id</c> option of <c>node</c> and <c>count</c>.</summary>
    public static Option<string> ClusterIdOption() => new("--cluster-id")
    {
        Description = "The cluster's id: clusters with different ids can share one Redis.",
        DefaultValueFactory = _ => "tagstream",
    };

    public void AddTo(Command command)
    {
        command.Add(_cluster);
        command.Add(_clusterId);
        command.Add(_job);
    }

    /// <summary>Whether <c>--cluster</c> was given.</summary>
    /// <exception cref="UsageException"><c>--job</c> or <c>--cluster-id</c> without <c>--cluster</c>.</exception>
    public bool IsGiven(ParseResult parse)
    {
        if (parse.GetValue(_cluster) is not null)
        {
            return true;
        }

        RefuseAny(parse, "without --cluster", _job, _clusterId);
        return false;
    }

    /// <summary>Refuses, naming it, the first of <paramref name="options"/> that was given.</summary>
    public static void RefuseAny(ParseResult parse, params Option[] options) => RefuseAny(parse, "with --cluster", options);

    public async Task<int> RunAsync(
        ParseResult parse,
        SourceOptions sources,
        ChartOutputOptions charts,
        TimeSpan interval,
        int top,
        string output,
        CancellationToken stop)
    {
        ClusterAddress address = ClusterConnection.Parse(parse.GetValue(_cluster)!);
        string clusterId = ClusterConnection.ValidName(parse.GetValue(_clusterId)!, "--cluster-id");
        JobSpec wanted = Spec(parse, sources, interval, top);
        if (top is < 1 or > 10_000)
        {
            throw new UsageException($"--top must be from 1 to 10000 with --cluster, not {top}.");
        }

        await using ConnectionMultiplexer redis = await ClusterConnection.ConnectAsync(address).ConfigureAwait(false);
        var jobs = new ClusterJobs(redis, new ClusterKeys(clusterId));
        (JobSpec spec, bool existed) = await jobs.SubmitAsync(wanted).ConfigureAwait(false);
        if (spec.Identity != wanted.Identity)
        {
            throw new UsageException($"job '{spec.Name}' counts another source ({spec.Identity}): choose another --job.");
        }

        if (spec.Interval != wanted.Interval || spec.Top != wanted.Top)
        {
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"job '{spec.Name}' runs with --interval {spec.Interval.TotalMilliseconds}ms and --top {spec.Top}: "
                + $"give those, or choose another --job."));
        }

        Console.Error.WriteLine(existed
            ? $"Attached to job '{spec.Name}' on cluster {clusterId} at {address}; stopping this process does not stop the job."
            : $"Started job '{spec.Name}' on cluster {clusterId} at {address}; the cluster's nodes read and count it.");

        (IBatchSink sink, IAsyncDisposable owner) = CountCommand.CreateOutput(output, parse.GetValue(sources.Source)!);
        await using (owner.ConfigureAwait(false))
        {
            await using ChartOutputs chartOutputs = await charts
                .StartAsync(parse, [DashboardView.All], TimeProvider.System, Console.Error, stop)
                .ConfigureAwait(false);
            IBatchSink[] sinks = [sink, .. chartOutputs.Sinks];
            int exit = await ShowAsync(jobs.Progress(spec.Name), existed, sinks, stop).ConfigureAwait(false);
            foreach (IBatchSink each in sinks)
            {
                await each.OnCompletedAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return exit;
        }
    }

    private static void RefuseAny(ParseResult parse, string context, params Option[] options)
    {
        foreach (Option option in options)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new UsageException($"{option.Name} cannot be used {context}.");
            }
        }
    }

    /// <summary>Shows the job's committed batches as they come, from the latest one when attaching; ends after the final one.</summary>
    private static async Task<int> ShowAsync(IngestStore progress, bool existed, IBatchSink[] sinks, CancellationToken stop)
    {
        long next = 1;
        bool redisLost = false;
        using var timer = new PeriodicTimer(s_poll);
        try
        {
            if (existed && (await progress.LoadAsync().ConfigureAwait(false)).Committed is { } last)
            {
                next = last.Batch;
            }

            while (true)
            {
                try
                {
                    while (await progress.ResultAsync(next).ConfigureAwait(false) is { } batch)
                    {
                        BatchResult result = ToResult(batch);
                        foreach (IBatchSink sink in sinks)
                        {
                            await sink.OnBatchAsync(result, stop).ConfigureAwait(false);
                        }

                        if (batch.Final)
                        {
                            return 0;
                        }

                        next++;
                    }

                    if (await progress.ErrorAsync().ConfigureAwait(false) is { } error)
                    {
                        return CommandRunner.Fail("count", $"the cluster stopped the job: {error}", CommandRunner.Failure);
                    }

                    if ((await progress.LoadAsync().ConfigureAwait(false)).Committed is { } committed
                        && committed.Batch - next >= IngestStore.KeptResults)
                    {
                        next = committed.Batch; // fell behind further than the cluster keeps: go on from the latest
                    }

                    if (redisLost)
                    {
                        redisLost = false;
                        Console.Error.WriteLine("The cluster's Redis is back.");
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    if (!redisLost)
                    {
                        redisLost = true;
                        Console.Error.WriteLine("The cluster's Redis cannot be reached; waiting for it (the job's state is kept there).");
                    }
                }

                await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0; // the job goes on on the cluster
        }
    }

    private static BatchResult ToResult(CommittedBatch batch)
    {
        var top = new HashtagCount[batch.Top.Count];
        for (var i = 0; i < top.Length; i++)
        {
            top[i] = new HashtagCount(batch.Top[i].Hashtag, batch.Top[i].Total);
        }

        return new BatchResult
        {
            Batch = batch.Batch,
            Time = batch.Time,
            Source = batch.Source,
            Posts = batch.Posts,
            Tags = batch.Tags,
            TotalPosts = batch.TotalPosts,
            TotalTags = batch.TotalTags,
            Malformed = batch.Malformed,
            DistinctTags = batch.DistinctTags,
            Top = top,
        };
    }

    /// <summary>The job the options describe: its source as the nodes will open it, its name, batching and ranking.</summary>
    private JobSpec Spec(ParseResult parse, SourceOptions sources, TimeSpan interval, int top)
    {
        string kind = parse.GetValue(sources.Source)!;
        OffsetUnit unit;
        string identity = sources.Identity(parse);
        string readable;
        switch (kind)
        {
            case "socket":
                unit = OffsetUnit.Lines;
                identity = "socket connect=" + parse.GetValue(sources.Connect);
                readable = "feed-" + parse.GetValue(sources.Connect);
                break;
            case "synthetic":
                unit = OffsetUnit.Lines;
                readable = "synthetic";
                break;
            case "replay":
                FileInfo file = parse.GetValue(sources.File) ?? throw new UsageException("--source replay needs --file FILE.");
                if (parse.GetValue(sources.Format) is not ("auto" or "protocol")
                    || (file.Exists && Sources.Parsing.PostFormatDetector.DetectFile(file.FullName) != Sources.Parsing.PostFormat.Protocol))
                {
                    throw new UsageException(
                        "--format: a cluster replays files of protocol lines only (tagstream extract turns a recording into one).");
                }

                unit = OffsetUnit.Bytes;
                readable = "replay-" + file.Name;
                break;
            default:
                throw new UsageException(
                    $"--source {kind} cannot run on a cluster yet: only this process could read it, and a node loss could lose or "
                    + "repeat its posts. Use socket (a feed with --log), replay or synthetic.");
        }

        string name = parse.GetValue(_job) is { } given
            ? ClusterConnection.ValidName(given, "--job")
            : DefaultName(readable, identity);
        return new JobSpec(name, identity, SourceArguments(parse, sources), unit, interval, top, JobSpec.DefaultShards);
    }

    /// <summary>A job name from the source: readable, with a short hash of its identity so two sources never share one.</summary>
    private static string DefaultName(string readable, string identity)
    {
        var name = new StringBuilder();
        foreach (char c in readable)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        if (name.Length > 80)
        {
            name.Length = 80;
        }

        uint hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(identity));
        return string.Create(CultureInfo.InvariantCulture, $"{name}-{hash:x8}");
    }

    /// <summary>The source options as given, as the nodes parse them again; a replay file's name made absolute.</summary>
    private static List<string> SourceArguments(ParseResult parse, SourceOptions sources)
    {
        var arguments = new List<string>();
        Option[] given =
        [
            sources.Source, sources.Connect, sources.UntilEof, sources.Speed, sources.Format, sources.Seed, sources.Rate, sources.Zipf,
            sources.Vocabulary,
        ];
        foreach (Option option in given)
        {
            if (parse.GetResult(option) is { Implicit: false } result)
            {
                arguments.Add(option.Name);
                arguments.AddRange(result.Tokens.Select(t => t.Value));
            }
        }

        if (parse.GetValue(sources.File) is { } file)
        {
            arguments.Add(sources.File.Name);
            arguments.Add(file.FullName);
        }

        arguments.AddRange(parse.GetValue(sources.Terms) ?? []);
        return arguments;
    }
}
