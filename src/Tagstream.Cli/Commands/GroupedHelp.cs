using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Help as <c>gh</c> and <c>docker</c> show it: usage, a few examples, then the options in groups (Source, Live-source
/// credentials, Batching and state, Output, Dashboard) instead of one flat list of thirty.
/// </summary>
internal sealed class GroupedHelp : SynchronousCommandLineAction
{
    private static readonly string[] s_groupOrder = ["Source", "Live sources", "Feed server", "Batching & state", "Output", "Dashboard", "Other options"];

    private static readonly Dictionary<string, string> s_groups = new()
    {
        ["--source"] = "Source", ["--connect"] = "Source", ["--until-eof"] = "Source", ["--file"] = "Source", ["--speed"] = "Source",
        ["--format"] = "Source", ["--seed"] = "Source", ["--rate"] = "Source", ["--zipf"] = "Source", ["--vocabulary"] = "Source",
        ["--limit"] = "Source", ["--posts"] = "Source", ["--size"] = "Source",
        ["--lang"] = "Live sources", ["--jetstream-url"] = "Live sources", ["--mastodon-url"] = "Live sources",
        ["--mastodon-streaming-url"] = "Live sources", ["--mastodon-transport"] = "Live sources", ["--x-api-url"] = "Live sources",
        ["--x-remove-other-rules"] = "Live sources",
        ["--host"] = "Feed server", ["--port"] = "Feed server", ["--buffer-mib"] = "Feed server", ["--log"] = "Feed server",
        ["--log-max-mib"] = "Feed server", ["--quiet"] = "Feed server",
        ["--interval"] = "Batching & state", ["--workers"] = "Batching & state", ["--checkpoint"] = "Batching & state",
        ["--no-checkpoint"] = "Batching & state", ["--window"] = "Batching & state", ["--trending"] = "Batching & state",
        ["--max-tags"] = "Batching & state",
        ["--top"] = "Output", ["--output"] = "Output", ["--view"] = "Output", ["--sql"] = "Output", ["--png"] = "Output",
        ["--svg"] = "Output", ["--chart-series"] = "Output", ["--out"] = "Output",
        ["--dashboard-url"] = "Dashboard", ["--no-dashboard"] = "Dashboard", ["--dashboard-token"] = "Dashboard",
    };

    private static readonly Dictionary<string, string[]> s_examples = new()
    {
        ["tagstream"] = ["tagstream demo", "tagstream feed --limit 1000 football", "tagstream count --until-eof"],
        ["feed"] = ["tagstream feed --limit 1000 football", "tagstream feed --source bluesky dotnet", "cat lines.txt | tagstream feed --source stdin"],
        ["count"] = [
            "tagstream count --until-eof",
            "tagstream count --source bluesky --window 5m --trending --view trending dotnet",
            "tagstream count --source replay --file posts.txt --output jsonl --no-dashboard",
        ],
        ["demo"] = ["tagstream demo", "tagstream demo --rate 20000 football worldcup"],
        ["gen"] = ["tagstream gen --size 1G --out posts.txt", "tagstream gen --posts 10 football"],
        ["extract"] = ["tagstream extract --format x < tweets.jsonl"],
        ["record"] = ["tagstream record --source bluesky --file bluesky.jsonl --limit 1000"],
        ["chart"] = ["tagstream chart --from-checkpoint tagstream_checkpoint --out top20.png"],
    };

    // What a value looks like, where the option's name alone does not say it.
    private static readonly Dictionary<string, string> s_valueNames = new()
    {
        ["--connect"] = "HOST:PORT", ["--checkpoint"] = "DIR", ["--from-checkpoint"] = "DIR", ["--png"] = "DIR", ["--svg"] = "DIR",
        ["--log"] = "DIR", ["--interval"] = "DURATION", ["--window"] = "DURATION", ["--dashboard-url"] = "URL",
        ["--dashboard-token"] = "TOKEN", ["--sql"] = "QUERY", ["--top"] = "N", ["--workers"] = "N", ["--seed"] = "N",
        ["--rate"] = "POSTS/S", ["--vocabulary"] = "N", ["--limit"] = "N", ["--posts"] = "N", ["--max-tags"] = "N",
        ["--size"] = "SIZE", ["--port"] = "PORT", ["--host"] = "ADDRESS", ["--buffer-mib"] = "MIB", ["--log-max-mib"] = "MIB",
        ["--jetstream-url"] = "URL", ["--mastodon-url"] = "URL", ["--mastodon-streaming-url"] = "URL", ["--x-api-url"] = "URL",
    };

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        Console.Out.Write(Render(parseResult.CommandResult.Command, Console.IsOutputRedirected ? 100 : Math.Clamp(Console.WindowWidth, 60, 140)));
        return 0;
    }

    /// <summary>The help text of <paramref name="command"/>, wrapped at <paramref name="width"/> columns.</summary>
    public static string Render(Command command, int width)
    {
        var text = new StringBuilder();
        bool root = command.Name == "tagstream";
        string path = root ? "tagstream" : "tagstream " + command.Name;
        text.Append(command.Description).Append("\n\nUsage:\n  ").Append(path);
        text.Append(root ? " COMMAND [options]" : " [options]");
        foreach (Argument argument in command.Arguments.Where(static a => !a.Hidden))
        {
            text.Append(argument.Arity.MinimumNumberOfValues == 0 ? $" [{argument.Name}...]" : $" {argument.Name}...");
        }

        text.Append('\n');
        if (s_examples.TryGetValue(root ? "tagstream" : command.Name, out string[]? examples))
        {
            text.Append("\nExamples:\n");
            foreach (string example in examples)
            {
                text.Append("  $ ").Append(example).Append('\n');
            }
        }

        var rows = new List<(string Group, string Name, string Description)>();
        foreach (Command sub in command.Subcommands.Where(static c => !c.Hidden))
        {
            rows.Add(("Commands", sub.Name, sub.Description ?? ""));
        }

        foreach (Argument argument in command.Arguments.Where(static a => !a.Hidden))
        {
            rows.Add(("Arguments", argument.Name, argument.Description ?? ""));
        }

        foreach (Option option in command.Options.Where(static o => !o.Hidden))
        {
            rows.Add((s_groups.GetValueOrDefault(option.Name, "Other options"), Signature(option), Describe(option)));
        }

        int nameWidth = Math.Min(34, rows.Select(static row => row.Name.Length).DefaultIfEmpty(0).Max());
        foreach (string group in (string[])["Commands", "Arguments", .. s_groupOrder])
        {
            var members = rows.Where(row => row.Group == group).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            text.Append('\n').Append(group).Append(":\n");
            foreach ((_, string name, string description) in members)
            {
                AppendRow(text, name, description, nameWidth, width);
            }
        }

        if (root)
        {
            text.Append("\nRun 'tagstream COMMAND --help' for a command's options.\n");
        }

        return text.ToString();
    }

    private static string Signature(Option option)
    {
        string names = string.Join(", ", option.Aliases.Order(StringComparer.Ordinal).Append(option.Name));
        bool flag = option.ValueType == typeof(bool);
        return flag ? names : $"{names} {option.HelpName ?? s_valueNames.GetValueOrDefault(option.Name, option.Name.TrimStart('-').ToUpperInvariant())}";
    }

    private static string Describe(Option option)
    {
        string description = option.Description ?? "";
        if (option.HasDefaultValue && option.ValueType != typeof(bool) && option.GetDefaultValue() is { } value && value.ToString() is { Length: > 0 } shown)
        {
            description += $" [default: {shown}]";
        }

        return description;
    }

    // "  name   description", the description wrapped at word boundaries and indented under itself.
    private static void AppendRow(StringBuilder text, string name, string description, int nameWidth, int width)
    {
        int indent = 2 + nameWidth + 2;
        text.Append("  ").Append(name);
        int column = 2 + name.Length;
        if (column + 2 > indent)
        {
            text.Append('\n');
            column = 0;
        }

        text.Append(' ', indent - column);
        int room = Math.Max(20, width - indent);
        int used = 0;
        foreach (string word in description.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (used > 0 && used + 1 + word.Length > room)
            {
                text.Append('\n').Append(' ', indent);
                used = 0;
            }
            else if (used > 0)
            {
                text.Append(' ');
                used++;
            }

            text.Append(word);
            used += word.Length;
        }

        text.Append('\n');
    }
}
