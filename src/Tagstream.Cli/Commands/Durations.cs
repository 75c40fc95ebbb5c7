using System.Globalization;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Parses durations as users write them: <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>1h</c>. A bare number is refused rather
/// than taken as seconds: <c>--window 5</c> meaning five seconds surprises anyone who meant minutes.
/// </summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        (string number, double unitSeconds) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, double.NaN),
        };
        if (double.IsNaN(unitSeconds) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"{option}: '{text}' needs a unit: {text}s, {text}m, {text}ms or {text}h.");
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value) && value * unitSeconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(value * unitSeconds)
            : throw new UsageException($"{option} must be a duration such as 500ms, 10s, 5m or 1h, not '{text}'.");
    }
}
