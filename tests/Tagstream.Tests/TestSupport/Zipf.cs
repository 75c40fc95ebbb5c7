namespace Tagstream.Tests.TestSupport;

/// <summary>Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s, by inverting the cumulative distribution.</summary>
internal sealed class Zipf
{
    private readonly double[] _cumulative;
    private readonly Random _random;

    public Zipf(Random random, int n, double s)
    {
        _random = random;
        _cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, s);
            _cumulative[i] = sum;
        }
    }

    public int Next()
    {
        var target = _random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
