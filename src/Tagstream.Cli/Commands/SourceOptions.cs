using System.CommandLine;
using System.Globalization;
using Tagstream.Cli.Terminal;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using Tagstream.Sources.Replay;
using Tagstream.Sources.Synthetic;

namespace Tagstream.Cli.Commands;

/// <summary>
/// The options that choose and configure a source, shared by <c>feed</c> and <c>count</c> so both read every source
/// the same way.
/// </summary>
internal sealed class SourceOptions
{
    /// <summary>The pace of a replay at <c>1x</c> when the file has no timestamps, in posts per second.</summary>
    public const double PlainReplayRate = 100;

    private readonly bool _forCounter;

    public Option<string> Source { get; }

    /// <summary>The feed to read (the counter's default source).</summary>
    public Option<string> Connect { get; } = new("--connect")
    {
        Description = "The feed to count, as HOST:PORT.",
        DefaultValueFactory = _ => "127.0.0.1:9876",
    };

    /// <summary>End when the feed closes the connection instead of reconnecting.</summary>
    public Option<bool> UntilEof { get; } = new("--until-eof")
    {
        Description = "Stop when the feed's run ends (and print the final totals); a feed that stops or crashes without ending its run is reconnected to.",
    };

    /// <summary>With --until-eof: how long the feed may stay out of reach before the counter gives up.</summary>
    public Option<string> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "With --until-eof: give up (exit code 1) when the feed cannot be reached for this long, for example 30s.",
        DefaultValueFactory = _ => "30s",
    };

    /// <summary>The server at --connect is a plain line server such as nc -l.</summary>
    public Option<bool> PlainServer { get; } = new("--plain-server")
    {
        Description = "The server at --connect is a plain line server (such as nc -l), not a Tagstream feed: count its lines without resuming.",
    };

    public Option<FileInfo?> File { get; } = new("--file") { Description = "The file to replay (--source replay)." };

    public Option<string> Speed { get; } = new("--speed")
    {
        Description = "Replay pace: 1x, 10x (any Nx) or max. Plain protocol lines have no timestamps: 1x is --rate, or 100 posts/s.",
        DefaultValueFactory = _ => "max",
    };

    public Option<string> Format { get; } = new("--format")
    {
        Description = "The replay file's format; auto detects it from its first lines.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the synthetic stream.", DefaultValueFactory = _ => 42 };

    public Option<double?> Rate { get; } = new("--rate") { Description = "Posts per second (synthetic, replay); unlimited when not given." };

    public Option<double> Zipf { get; } = new("--zipf") { Description = "Zipf exponent of hashtag popularity (synthetic).", DefaultValueFactory = _ => 1.1 };

    public Option<int> Vocabulary { get; } = new("--vocabulary") { Description = "Distinct hashtags of the synthetic stream.", DefaultValueFactory = _ => 1_000_000 };

    public LiveSourceOptions Live { get; } = new();

    public Argument<string[]> Terms { get; } = new("TERM")
    {
        Description = "Search terms: the live sources keep posts about them (x: the stream rule; bluesky, mastodon: a hashtag or a word of the text); the synthetic stream puts them among its hashtags; socket, replay and stdin ignore them.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <param name="forCounter">The counter reads a feed socket by default and has --connect and --until-eof.</param>
    public SourceOptions(bool forCounter)
    {
        _forCounter = forCounter;
        Source = new("--source")
        {
            Description = forCounter
                ? "Where posts come from: socket (a feed, see --connect), or a source read in this process: synthetic, replay (--file), stdin, x, bluesky, mastodon."
                : "Where posts come from: synthetic, replay (--file), stdin, or a live service: x, bluesky, mastodon.",
            DefaultValueFactory = _ => forCounter ? "socket" : "synthetic",
        };

        // TERM takes any word, so a mistyped option would silently become a search term.
        RefuseOptionsAsTerms(Terms);
    }

    public void AddTo(Command command)
    {
        command.Add(Source);
        if (_forCounter)
        {
            command.Add(Connect);
            command.Add(UntilEof);
            command.Add(ConnectTimeout);
            command.Add(PlainServer);
        }

        command.Add(File);
        command.Add(Speed);
        command.Add(Format);
        command.Add(Seed);
        command.Add(Rate);
        command.Add(Zipf);
        command.Add(Vocabulary);
        Live.AddTo(command);
        command.Add(Terms);
    }

    /// <summary>Makes a word that looks like an option an error rather than a TERM (a mistyped option would filter nothing).</summary>
    public static void RefuseOptionsAsTerms(Argument<string[]> terms) => terms.Validators.Add(static result =>
    {
        if ((result.GetValueOrDefault<string[]>() ?? []).FirstOrDefault(static term => term.StartsWith('-')) is { } option)
        {
            result.AddError($"Unknown option '{option}'.");
        }
    });

    /// <summary>Builds the source the options describe, resuming at <paramref name="resumeAt"/> where it can.</summary>
    /// <exception cref="UsageException">An option is invalid; the message says which and why.</exception>
    public PostSource Create(ParseResult parse, TimeProvider timeProvider, IProgress<SourceStatus> status, SourcePosition? resumeAt = null)
    {
        string kind = parse.GetValue(Source)!;
        double? rate = parse.GetValue(Rate);
        string[] terms = parse.GetValue(Terms) ?? [];
        if (terms.Length > 0 && kind is "socket" or "replay" or "stdin")
        {
            // Only the synthetic and live sources use TERMs: a counter of a feed would otherwise look filtered when it is not.
            string what = kind == "socket" ? "a feed counts what the feed sends (give the TERMs to tagstream feed)" : $"the {kind} source counts every post";
            status.Report(new SourceStatus(kind, SourceSeverity.Warning, $"TERMs ignored ({string.Join(' ', terms)}): {what}."));
        }

        switch (kind)
        {
            case "synthetic":
                var synthetic = new SyntheticOptions
                {
                    Seed = parse.GetValue(Seed),
                    Zipf = parse.GetValue(Zipf),
                    Vocabulary = parse.GetValue(Vocabulary),
                    Terms = terms,
                    Rate = rate,
                };
                if (synthetic.Validate() is { } problem)
                {
                    throw new UsageException(problem);
                }

                return new SyntheticSource(synthetic, timeProvider, resumeAt);

            case "replay":
                FileInfo file = parse.GetValue(File) ?? throw new UsageException("--source replay needs --file FILE.");
                if (!file.Exists)
                {
                    throw new UsageException($"The replay file '{file.FullName}' does not exist.");
                }

                PostFormat format = ReplayFormat(parse.GetValue(Format)!, file.FullName);
                if (format != PostFormat.Protocol)
                {
                    // Recorded service payloads (JSON, SSE) and texts: paced by the posts' own timestamps.
                    if (!ReplaySpeed.TryParse(parse.GetValue(Speed), out ReplaySpeed speed))
                    {
                        throw new UsageException($"--speed must be max or a factor such as 1x or 10x, not '{parse.GetValue(Speed)}'.");
                    }

                    return RecordedFileSource.Open(file.FullName, format, speed, timeProvider, resumeAt, new StatusPrinter(Console.Error));
                }

                return ProtocolStreamSource.OpenFile(file.FullName, ReplayRate(parse.GetValue(Speed)!, rate), resumeAt, timeProvider: timeProvider);

            case "socket" when _forCounter:
                (string host, int port) = ParseEndPoint(parse.GetValue(Connect)!);
                bool untilEof = parse.GetValue(UntilEof);
                TimeSpan giveUpAfter = Durations.Parse(parse.GetValue(ConnectTimeout)!, "--connect-timeout");
                return new FeedSocketSource(
                    new FeedSocketOptions
                    {
                        Host = host,
                        Port = port,
                        UntilEof = untilEof,
                        ConnectTimeout = untilEof ? giveUpAfter : null,
                        PlainServer = parse.GetValue(PlainServer),
                        ResumeFrom = resumeAt,
                        TimeProvider = timeProvider,
                    },
                    status);

            case "stdin":
                return new ProtocolStreamSource(Console.OpenStandardInput(), "stdin", rate: rate, timeProvider: timeProvider);

            case "x" or "bluesky" or "mastodon":
                return Live.Create(kind, parse, terms, timeProvider, status, resumeAt);

            default:
                throw new UsageException($"Unknown source '{kind}': use {(_forCounter ? "socket, " : "")}synthetic, replay, stdin, x, bluesky or mastodon.");
        }
    }

    /// <summary>
    /// Names the stream the options make, from the options that decide its content (not its pace): a feed log records it
    /// and refuses to continue a log of another stream.
    /// </summary>
    public string Identity(ParseResult parse)
    {
        string kind = parse.GetValue(Source)!;
        string terms = string.Join(' ', parse.GetValue(Terms) ?? []);
        return kind switch
        {
            "synthetic" => string.Create(
                CultureInfo.InvariantCulture,
                $"synthetic seed={parse.GetValue(Seed)} zipf={parse.GetValue(Zipf)} vocabulary={parse.GetValue(Vocabulary)} terms={terms}"),
            "replay" => $"replay file={(parse.GetValue(File) is { } file ? file.FullName : "")} format={parse.GetValue(Format)}",
            "x" or "bluesky" or "mastodon" => $"{kind} terms={terms} {Live.Identity(kind, parse)}",
            _ => kind,
        };
    }

    /// <summary>
    /// Names the stream a counter's checkpoint folder is bound to. A feed is named by its address (a feed restarted there
    /// continues); a stream that cannot be resumed (standard input, a plain line server) is a new stream every run.
    /// </summary>
    public string CheckpointIdentity(ParseResult parse, TimeProvider timeProvider)
    {
        string kind = parse.GetValue(Source)!;
        if (kind == "socket")
        {
            // Checked here, before the checkpoint folder is opened (or created) for a stream that cannot be read.
            ParseEndPoint(parse.GetValue(Connect)!);
        }

        string started = timeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return kind switch
        {
            "socket" when parse.GetValue(PlainServer) => $"the plain line server at {parse.GetValue(Connect)}, read from {started}",
            "socket" => $"the feed at {parse.GetValue(Connect)}",
            "stdin" => $"standard input, read from {started}",
            _ => Identity(parse),
        };
    }

    private static (string Host, int Port) ParseEndPoint(string text)
    {
        int colon = text.LastIndexOf(':');
        string host = colon > 0 ? text[..colon].Trim('[', ']') : "127.0.0.1";
        string portText = colon >= 0 ? text[(colon + 1)..] : text;
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? (host, port)
            : throw new UsageException($"--connect must be HOST:PORT with a port from 1 to 65535, not '{text}'.");
    }

    private static PostFormat ReplayFormat(string name, string path)
    {
        if (!PostFormatNames.TryParse(name, out PostFormat format))
        {
            throw new UsageException($"Unknown --format '{name}': use one of {string.Join(", ", PostFormatNames.All)}.");
        }

        return format == PostFormat.Auto ? PostFormatDetector.DetectFile(path) : format;
    }

    private static double? ReplayRate(string speed, double? rate)
    {
        if (speed == "max")
        {
            return rate;
        }

        if (speed.EndsWith('x') && double.TryParse(speed.AsSpan(0, speed.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double factor) && factor > 0 && double.IsFinite(factor))
        {
            return factor * (rate ?? PlainReplayRate);
        }

        throw new UsageException($"--speed must be max or a factor such as 1x or 10x, not '{speed}'.");
    }
}
