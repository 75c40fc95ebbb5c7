namespace Tagstream.Sources.Synthetic;

/// <summary>
/// Draws ranks 1..N with probability proportional to rank^-s in constant time, without tables, by
/// rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from monotone
/// discrete distributions", ACM TOMACS 6(3), 1996).
/// </summary>
/// <remarks>
/// The hat is the integral H of x^-s. A uniform draw on [H(N + 1/2), H(3/2) - 1] is inverted to x; the rank
/// k = round(x) is accepted when it falls in the part of the hat that lies under the histogram of the exact
/// distribution, which happens with high probability, so about one draw suffices on average.
/// </remarks>
internal sealed class ZipfSampler
{
    private readonly double _exponent;
    private readonly int _count;
    private readonly double _hIntegralOne;
    private readonly double _hIntegralCount;
    private readonly double _squeeze;

    public ZipfSampler(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(exponent, 0);
        _count = count;
        _exponent = exponent;
        _hIntegralOne = HIntegral(1.5) - 1.0;
        _hIntegralCount = HIntegral(count + 0.5);
        _squeeze = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
    }

    /// <summary>A rank in 1..N.</summary>
    public int Sample(ref SplitMix64 random)
    {
        while (true)
        {
            double u = _hIntegralCount + (random.NextDouble() * (_hIntegralOne - _hIntegralCount));
            double x = HIntegralInverse(u);
            int k = (int)(x + 0.5);
            k = Math.Clamp(k, 1, _count);
            if (k - x <= _squeeze || u >= HIntegral(k + 0.5) - H(k))
            {
                return k;
            }
        }
    }

    private double H(double x) => Math.Exp(-_exponent * Math.Log(x));

    // H(x) = (x^(1-s) - 1) / (1-s), written with log1p/expm1 helpers so that s near 1 stays accurate.
    private double HIntegral(double x)
    {
        double logX = Math.Log(x);
        return Helper2((1.0 - _exponent) * logX) * logX;
    }

    private double HIntegralInverse(double x)
    {
        double t = Math.Max(x * (1.0 - _exponent), -1.0);
        return Math.Exp(Helper1(t) * x);
    }

    // log(1 + x) / x, continuous at 0.
    private static double Helper1(double x) => Math.Abs(x) > 1e-8 ? Math.Log(1.0 + x) / x : 1.0 - (x * (0.5 - (x / 3.0)));

    // (exp(x) - 1) / x, continuous at 0.
    private static double Helper2(double x) => Math.Abs(x) > 1e-8 ? (Math.Exp(x) - 1.0) / x : 1.0 + (x * 0.5 * (1.0 + (x / 3.0)));
}
