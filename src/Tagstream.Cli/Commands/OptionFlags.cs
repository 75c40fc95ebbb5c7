namespace Tagstream.Cli.Commands;

/// <summary>
/// The one place where the library's option members become this command's flags. The library's messages name its own
/// members (<c>FeedServerOptions.Port must be ...</c>), because a library user sets properties, not flags; every message
/// the command prints passes through <see cref="InFlags"/>, so a command-line user reads <c>--port must be ...</c>.
/// </summary>
internal static class OptionFlags
{
    // Longest first, so that no name is replaced inside a longer one.
    private static readonly (string Member, string Flag)[] Names =
    [
        .. new (string Member, string Flag)[]
        {
            ("FeedServerOptions.Port", "--port"),
            ("SyntheticOptions.Zipf", "--zipf"),
            ("SyntheticOptions.Vocabulary", "--vocabulary"),
            ("SyntheticOptions.Rate", "--rate"),
            ("HashtagJobOptions.MaxTags", "--max-tags"),
            ("HashtagJobOptions.Window", "--window"),
            ("HashtagJobOptions.Trending", "--trending"),
            ("HashtagJobOptions.Sql", "--sql"),
            ("HashtagJobOptions.CheckpointDirectory", "checkpoints (add --no-checkpoint)"),
            ("JetstreamOptions.Url", "--jetstream-url"),
            ("MastodonOptions.InstanceUrl", "--mastodon-url"),
            ("MastodonOptions.StreamingUrl", "--mastodon-streaming-url"),
            ("XStreamOptions.RemoveOtherRules", "--x-remove-other-rules"),
            ("SQL query:", "--sql:"),
        }.OrderByDescending(n => n.Member.Length),
    ];

    /// <summary>The library members (and phrases) that have a flag.</summary>
    public static IEnumerable<string> Members => Names.Select(n => n.Member);

    /// <summary><paramref name="message"/> with each library member it names replaced by the flag that sets it.</summary>
    public static string InFlags(string message)
    {
        foreach (var (member, flag) in Names)
        {
            message = message.Replace(member, flag, StringComparison.Ordinal);
        }

        return message;
    }
}
