using System.Numerics;
using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// Exact arithmetic for availability figures: durations become whole nanoseconds and percentages
/// become exact fractions, so no figure ever passes through <see cref="double"/>.
/// </summary>
internal static class ExactArithmetic
{
    /// <summary>The duration as a whole number of nanoseconds.</summary>
    public static BigInteger Nanoseconds(Duration duration) => duration.ToBigIntegerNanoseconds();

    /// <summary>
    /// A decimal as the exact fraction <c>numerator / denominator</c>, the denominator being a power of ten.
    /// </summary>
    public static (BigInteger Numerator, BigInteger Denominator) Fraction(decimal value)
    {
        var scale = value.Scale;
        var denominator = BigInteger.Pow(10, scale);
        var bits = decimal.GetBits(value);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (value < 0m ? -magnitude : magnitude, denominator);
    }

    /// <summary>
    /// <c>numerator / denominator</c> truncated toward zero to <paramref name="decimals"/> places.
    /// The denominator must be positive.
    /// </summary>
    public static decimal TruncatedQuotient(BigInteger numerator, BigInteger denominator, int decimals)
    {
        var scale = BigInteger.Pow(10, decimals);
        var scaled = BigInteger.Divide(numerator * scale, denominator); // BigInteger division truncates toward zero.
        return (decimal)scaled / (decimal)scale;
    }

    /// <summary>
    /// The part of <paramref name="measured"/> that a target percentage leaves as an allowance:
    /// <c>(100 − target) / 100 × measured</c>, truncated toward zero to whole nanoseconds.
    /// </summary>
    public static Duration Allowance(decimal targetPercent, Duration measured)
    {
        var (num, den) = Fraction(targetPercent);
        var allowed = BigInteger.Divide(((100 * den) - num) * Nanoseconds(measured), 100 * den);
        return Duration.FromNanoseconds(allowed);
    }

    /// <summary>
    /// Compares the exact ratio <c>part / whole</c> with <c>(100 − targetPercent) / 100 × factor</c>:
    /// negative, zero or positive as the ratio is below, equal to or above it. <paramref name="whole"/> must be positive.
    /// </summary>
    public static int CompareFractionWithAllowance(Duration part, Duration whole, decimal targetPercent, decimal factor)
    {
        var (tNum, tDen) = Fraction(targetPercent);
        var (fNum, fDen) = Fraction(factor);

        // part / whole  vs  ((100·tDen − tNum) / (100·tDen)) · (fNum / fDen), cross-multiplied (all denominators positive).
        var left = Nanoseconds(part) * 100 * tDen * fDen;
        var right = ((100 * tDen) - tNum) * fNum * Nanoseconds(whole);
        return left.CompareTo(right);
    }

    /// <summary>Whether <c>part / whole ≥ percent / 100</c>, exactly. <paramref name="whole"/> must be positive.</summary>
    public static bool IsAtLeastPercent(Duration part, Duration whole, decimal percent)
    {
        var (num, den) = Fraction(percent);
        return Nanoseconds(part) * 100 * den >= num * Nanoseconds(whole);
    }
}
