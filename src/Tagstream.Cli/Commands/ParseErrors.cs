using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Says what is wrong with a command line in the user's words: the option and the value as typed, never a .NET type name,
/// and the closest command or option when a name is misspelt (as <c>git</c>, <c>gh</c> and <c>dotnet</c> do).
/// </summary>
internal static class ParseErrors
{
    /// <summary>One line for the first problem of <paramref name="parse"/>, or null when it has none.</summary>
    public static string? Describe(ParseResult parse)
    {
        if (parse.Errors.Count == 0)
        {
            return null;
        }

        Command command = parse.CommandResult.Command;
        Token? unknownOption = parse.Tokens.FirstOrDefault(static t =>
            t.Type == TokenType.Argument && t.Value.StartsWith('-') && t.Value.Length > 1 && !double.TryParse(t.Value, CultureInfo.InvariantCulture, out _));
        if (unknownOption is not null)
        {
            string[] options = [.. command.Options.Where(static o => !o.Hidden).SelectMany(static o => o.Aliases.Prepend(o.Name))];
            return $"unknown option '{unknownOption.Value}'{Suggestion(unknownOption.Value, options)}";
        }

        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            return command.Subcommands.Count > 0 && parse.CommandResult.Parent is null
                ? $"unknown command '{token}'{Suggestion(token, [.. command.Subcommands.Select(static c => c.Name)])}"
                : $"unexpected argument '{token}'";
        }

        foreach (ParseError error in parse.Errors)
        {
            if (error.SymbolResult is OptionResult option && Unconvertible(option.Option.ValueType, option.Tokens) is { } bad)
            {
                return $"{option.Option.Name}: '{bad.Value}' {bad.Problem}";
            }

            if (error.SymbolResult is ArgumentResult argument && Unconvertible(argument.Argument.ValueType, argument.Tokens) is { } badArgument)
            {
                string name = argument.Parent is OptionResult owner ? owner.Option.Name : argument.Argument.Name;
                return $"{name}: '{badArgument.Value}' {badArgument.Problem}";
            }
        }

        if (command.Subcommands.Count > 0 && parse.CommandResult.Parent is null)
        {
            return $"a command is needed: {string.Join(", ", command.Subcommands.Select(static c => c.Name))}";
        }

        // System.CommandLine's own words for the rest (a missing value, a value not among the allowed ones), on one line.
        return string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The candidate closest to <paramref name="typed"/>, as <c>; did you mean 'x'?</c>, when one is close enough.</summary>
    public static string Suggestion(string typed, IReadOnlyList<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(typed, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Two edits (a swapped pair counts as one) catch the usual typos without suggesting unrelated names.
        return best is not null && bestDistance <= Math.Min(2, Math.Max(1, typed.Length / 3)) ? $"; did you mean '{best}'?" : "";
    }

    // Edit distance where inserting, deleting or replacing a character, or swapping two neighbours, costs one.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    // The first token that cannot be read as the value's type, and why, in words.
    private static (string Value, string Problem)? Unconvertible(Type type, IReadOnlyList<Token> tokens)
    {
        Type valueType = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType()! : type);
        foreach (Token token in tokens)
        {
            string value = token.Value;
            NumberStyles integer = NumberStyles.AllowLeadingSign;
            string? problem = valueType switch
            {
                _ when valueType == typeof(int) => int.TryParse(value, integer, CultureInfo.InvariantCulture, out _) ? null : WholeNumber(value, int.MaxValue),
                _ when valueType == typeof(long) => long.TryParse(value, integer, CultureInfo.InvariantCulture, out _) ? null : WholeNumber(value, long.MaxValue),
                _ when valueType == typeof(ulong) => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? null
                    : value.StartsWith('-') && long.TryParse(value, integer, CultureInfo.InvariantCulture, out _) ? "is not a whole number of 0 or more" : WholeNumber(value, ulong.MaxValue),
                _ when valueType == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "is not a number",
                _ => null,
            };
            if (problem is not null)
            {
                return (value, problem);
            }
        }

        return null;
    }

    private static string WholeNumber(string value, object largest) =>
        value.Length > 0 && value.TrimStart('-').All(char.IsAsciiDigit)
            ? string.Create(CultureInfo.InvariantCulture, $"is too large (at most {largest})")
            : "is not a whole number";
}
