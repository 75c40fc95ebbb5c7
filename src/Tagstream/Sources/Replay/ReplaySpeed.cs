using System.Globalization;

namespace Tagstream.Sources.Replay;

/// <summary>How fast a recording is replayed: as fast as possible, or its recorded pace sped up by a factor.</summary>
/// <param name="Factor">How many times faster than recorded; positive infinity for as fast as possible.</param>
public readonly record struct ReplaySpeed(double Factor)
{
    /// <summary>As fast as possible (<c>max</c>).</summary>
    public static ReplaySpeed Max { get; } = new(double.PositiveInfinity);

    /// <summary>At the recorded pace (<c>1x</c>).</summary>
    public static ReplaySpeed Recorded { get; } = new(1);

    /// <summary>True when the replay does not wait at all.</summary>
    public bool IsMax => double.IsPositiveInfinity(Factor);

    /// <summary>Reads <c>max</c>, or a positive factor such as <c>1x</c>, <c>10x</c> or <c>0.5x</c> (the <c>x</c> is optional).</summary>
    public static bool TryParse(string? text, out ReplaySpeed speed)
    {
        speed = Max;
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var number = text.AsSpan().TrimEnd("xX");
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var factor)
            && factor > 0 && double.IsFinite(factor))
        {
            speed = new ReplaySpeed(factor);
            return true;
        }

        return false;
    }

    /// <summary>The speed as <see cref="TryParse"/> reads it: <c>max</c> or, for example, <c>2x</c>.</summary>
    public override string ToString() => IsMax ? "max" : Factor.ToString(CultureInfo.InvariantCulture) + "x";
}
