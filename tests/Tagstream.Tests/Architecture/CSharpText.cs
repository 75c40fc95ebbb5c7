using System.Text.RegularExpressions;

namespace Tagstream.Tests.Architecture;

/// <summary>Just enough of C#'s lexical rules to read which type names a file uses and declares.</summary>
internal static partial class CSharpText
{
    /// <summary>The code without comments and with every string and character literal emptied.</summary>
    public static string Code(string source) =>
        CommentOrLiteral().Replace(source, m => m.Value.StartsWith('/') ? " " : "\"\"");

    /// <summary>The names of the types a file declares.</summary>
    public static IEnumerable<string> DeclaredTypes(string code) =>
        Declaration().Matches(code).Select(m => m.Groups["name"].Value);

    /// <summary>Every identifier that could name a type (capitalised).</summary>
    public static IEnumerable<string> TypeLikeNames(string code) =>
        Identifier().Matches(code).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    /// <summary>The file-scoped namespace, or the empty string.</summary>
    public static string Namespace(string code) => FileNamespace().Match(code) is { Success: true } m ? m.Groups["ns"].Value : "";

    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|\$*@"(?:""|[^"])*"|\$*"{3}[\s\S]*?"{3}|\$*"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])+'""", RegexOptions.Singleline)]
    private static partial Regex CommentOrLiteral();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
