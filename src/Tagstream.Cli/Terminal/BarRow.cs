namespace Tagstream.Cli.Terminal;

/// <summary>One row of a <see cref="HashtagBars"/> chart.</summary>
/// <param name="Label">What the bar stands for, as shown (for example <c>#dotnet</c>).</param>
/// <param name="Value">The bar's length is proportional to this; negative values draw no bar.</param>
/// <param name="Figure">The number printed after the bar, as the user should read it.</param>
internal sealed record BarRow(string Label, double Value, string Figure);
