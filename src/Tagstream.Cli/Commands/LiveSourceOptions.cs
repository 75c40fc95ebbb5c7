using System.CommandLine;
using Tagstream.Sources;
using Tagstream.Sources.Live;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Mastodon;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;

namespace Tagstream.Cli.Commands;

/// <summary>
/// The options of the live sources (<c>--source x|bluesky|mastodon</c>), shared by <c>feed</c>, <c>count</c> and
/// <c>record</c>. Credentials come only from the environment, never from the command line (where they would land in
/// the shell history and the process list).
/// </summary>
internal sealed class LiveSourceOptions
{
    public const string XTokenVariable = "X_BEARER_TOKEN";
    public const string MastodonTokenVariable = "MASTODON_TOKEN";

    public static readonly string[] Kinds = ["x", "bluesky", "mastodon"];

    public Option<string?> Language { get; } = new("--lang")
    {
        Description = "Only posts in this language, for example en (live sources).",
    };

    public Option<string> JetstreamUrl { get; } = new("--jetstream-url")
    {
        Description = "The Jetstream host for --source bluesky.",
        DefaultValueFactory = _ => JetstreamOptions.DefaultUrl.ToString(),
    };

    public Option<string?> MastodonUrl { get; } = new("--mastodon-url")
    {
        Description = $"The Mastodon instance for --source mastodon, for example https://mastodon.social (token in {MastodonTokenVariable}).",
    };

    public Option<string?> MastodonStreamingUrl { get; } = new("--mastodon-streaming-url")
    {
        Description = "The instance's streaming server, when it is not the instance's own address.",
    };

    public Option<string> MastodonTransportOption { get; } = new("--mastodon-transport")
    {
        Description = "How to read the Mastodon stream: sse (Server-Sent Events) or websocket.",
        DefaultValueFactory = _ => "sse",
        HelpName = "sse|websocket",
    };

    public Option<string> XApiUrl { get; } = new("--x-api-url")
    {
        Description = $"The X API's base address for --source x (token in {XTokenVariable}); change it only for a proxy or a test server.",
        DefaultValueFactory = _ => "https://api.x.com/",
    };

    public Option<bool> XRemoveOtherRules { get; } = new("--x-remove-other-rules")
    {
        Description = "Delete the app's filtered-stream rules that Tagstream did not create (they add their own posts to the stream).",
    };

    public void AddTo(Command command)
    {
        command.Add(Language);
        command.Add(JetstreamUrl);
        command.Add(MastodonUrl);
        command.Add(MastodonStreamingUrl);
        command.Add(MastodonTransportOption);
        command.Add(XApiUrl);
        command.Add(XRemoveOtherRules);
    }

    /// <summary>Builds the live source of <paramref name="kind"/>; its problems go to <paramref name="status"/>, rate-limited.</summary>
    /// <exception cref="UsageException">A credential or an option is missing or invalid.</exception>
    public LiveSource Create(
        string kind, ParseResult parse, IReadOnlyList<string> terms, TimeProvider timeProvider, IProgress<SourceStatus> status, SourcePosition? resumeAt = null)
    {
        var context = new LiveSourceContext
        {
            Problems = new ProblemReporter(kind, status, timeProvider),
            TimeProvider = timeProvider,
        };
        string? language = parse.GetValue(Language);
        switch (kind)
        {
            case "x":
                if (terms.Count == 0)
                {
                    throw new UsageException("--source x needs at least one TERM: X's filtered stream only delivers posts that match a rule.");
                }

                return LiveSource.CreateX(
                    new XStreamOptions
                    {
                        BearerToken = Token(XTokenVariable, "an app-only bearer token of an X developer app with filtered-stream access"),
                        Terms = terms,
                        Language = language,
                        BaseUrl = Url(parse.GetValue(XApiUrl), XApiUrl.Name, "http", "https")!,
                        RemoveOtherRules = parse.GetValue(XRemoveOtherRules),
                    },
                    context);

            case "bluesky":
                Uri url = Url(parse.GetValue(JetstreamUrl), JetstreamUrl.Name, "ws", "wss")!;
                return LiveSource.CreateBluesky(
                    new JetstreamOptions
                    {
                        Url = url,
                        Terms = terms,
                        Language = language,
                        // A checkpoint's cursor is only meaningful on the host that issued it.
                        Cursor = resumeAt is { } position && position.Run == url.Host ? position.Offset : null,
                    },
                    context);

            case "mastodon":
                Uri instance = Url(parse.GetValue(MastodonUrl), MastodonUrl.Name, "http", "https")
                    ?? throw new UsageException("--source mastodon needs --mastodon-url, for example --mastodon-url https://mastodon.social.");
                return LiveSource.CreateMastodon(
                    new MastodonOptions
                    {
                        InstanceUrl = instance,
                        StreamingUrl = Url(parse.GetValue(MastodonStreamingUrl), MastodonStreamingUrl.Name, "http", "https"),
                        AccessToken = Token(MastodonTokenVariable, $"an access token with the read:statuses scope from {instance.Host} (Preferences > Development)"),
                        Terms = terms,
                        Language = language,
                        Transport = parse.GetValue(MastodonTransportOption) switch
                        {
                            "sse" => MastodonTransport.ServerSentEvents,
                            "websocket" => MastodonTransport.WebSocket,
                            var other => throw new UsageException($"--mastodon-transport must be sse or websocket, not '{other}'."),
                        },
                    },
                    context);

            default:
                throw new UsageException($"Unknown live source '{kind}': use {string.Join(", ", Kinds)}.");
        }
    }

    /// <summary>The options that decide which posts a live source delivers (its service and filters), for a feed log's identity.</summary>
    public string Identity(string kind, ParseResult parse) => kind switch
    {
        "x" => $"url={parse.GetValue(XApiUrl)} lang={parse.GetValue(Language)}",
        "bluesky" => $"url={parse.GetValue(JetstreamUrl)} lang={parse.GetValue(Language)}",
        _ => $"url={parse.GetValue(MastodonUrl)} lang={parse.GetValue(Language)}",
    };

    /// <summary>An absolute address with one of the schemes (a base address gets a trailing '/' so paths append to it).</summary>
    private static Uri? Url(string? text, string option, params string[] schemes)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || !schemes.Contains(url.Scheme))
        {
            throw new UsageException($"{option} must be an absolute {string.Join(" or ", schemes)} address, not '{text}'.");
        }

        return url.AbsolutePath.EndsWith('/') || schemes.Contains("ws") ? url : new Uri(url + "/");
    }

    private static SecretToken Token(string variable, string what) =>
        SecretToken.FromEnvironment(variable)
        ?? throw new UsageException($"Set {variable} to {what}; it is read from the environment only.");
}
