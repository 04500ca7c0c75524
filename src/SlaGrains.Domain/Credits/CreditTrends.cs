using System.Globalization;
using NodaTime;

namespace SlaGrains.Domain.Credits;

/// <summary>One customer's credit for one closed month, as it stands (after any dispute adjustment), in one currency.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Month">The month the credit is for.</param>
/// <param name="Amount">Money, ≥ 0; 0 when the month earned none.</param>
public sealed record CreditPoint(string CustomerId, YearMonth Month, decimal Amount);

/// <summary>Credits issued for one month across customers, in one currency.</summary>
/// <param name="Month">The month.</param>
/// <param name="Total">Sum of the month's credits.</param>
/// <param name="AccountsWithCredits">Customers whose credit for the month is above zero.</param>
/// <param name="LargestCredit">The largest single credit of the month (0 when none).</param>
public sealed record MonthCreditSummary(YearMonth Month, decimal Total, int AccountsWithCredits, decimal LargestCredit);

/// <summary>Which way credits are going.</summary>
public enum CreditTrendDirection
{
    /// <summary>Fewer than <see cref="CreditTrends.MonthsNeeded"/> months of data: no trend is stated.</summary>
    NotEnoughData,

    /// <summary>The last 3 months' total is more than the tolerance below the 3 months before.</summary>
    Improving,

    /// <summary>Within the tolerance either way (or no credits in either window).</summary>
    Stable,

    /// <summary>The last 3 months' total is more than the tolerance above the 3 months before (or above zero after none).</summary>
    Increasing,
}

/// <summary>The 3-month credit trend.</summary>
/// <param name="Direction">The direction.</param>
/// <param name="LastThreeMonths">Total of the last 3 months; null without enough data.</param>
/// <param name="PreviousThreeMonths">Total of the 3 months before them; null without enough data.</param>
/// <param name="ChangePercent">(last − previous) / previous × 100, 1 decimal; null without enough data or when the previous total is 0.</param>
/// <param name="Explanation">The comparison as a sentence.</param>
public sealed record CreditTrend(CreditTrendDirection Direction, decimal? LastThreeMonths, decimal? PreviousThreeMonths, decimal? ChangePercent, string Explanation);

/// <summary>
/// Credits per month and their 3-month trend. Pure functions.
/// </summary>
/// <remarks>
/// The trend compares the total of the last 3 months with the total of the 3 months before them: more than
/// <see cref="TolerancePercent"/> % higher is increasing, more than that lower is improving, otherwise stable (exactly
/// ±10 % is stable). With a previous total of 0 the ratio is not computed: any credit in the last 3 months is
/// increasing, none is stable. With fewer than 6 months of data there is no trend.
/// </remarks>
public static class CreditTrends
{
    /// <summary>Months in each window compared.</summary>
    public const int WindowMonths = 3;

    /// <summary>Months of data the trend needs: two windows.</summary>
    public const int MonthsNeeded = 2 * WindowMonths;

    /// <summary>Relative change, percent, within which credits are stable.</summary>
    public const decimal TolerancePercent = 10m;

    /// <summary>
    /// Every month from <paramref name="first"/> to <paramref name="last"/> (inclusive, oldest first), with the
    /// credits of that month; a month without credits has zeros. Credits outside the range are ignored.
    /// </summary>
    /// <param name="credits">Credits in one currency.</param>
    /// <param name="first">First month.</param>
    /// <param name="last">Last month, not before <paramref name="first"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="last"/> is before <paramref name="first"/>.</exception>
    public static IReadOnlyList<MonthCreditSummary> PerMonth(IEnumerable<CreditPoint> credits, YearMonth first, YearMonth last)
    {
        Guard.NotNull(credits, nameof(credits));
        if (last < first)
        {
            throw new ArgumentException($"{nameof(last)} {last} is before {nameof(first)} {first}.", nameof(last));
        }

        var byMonth = credits.Where(c => c.Month >= first && c.Month <= last).ToLookup(c => c.Month);
        var months = new List<MonthCreditSummary>();
        for (var month = first; month <= last; month = month.PlusMonths(1))
        {
            var these = byMonth[month].ToList();
            months.Add(new MonthCreditSummary(
                month,
                these.Sum(c => c.Amount),
                these.Where(c => c.Amount > 0m).Select(c => c.CustomerId).Distinct(StringComparer.Ordinal).Count(),
                these.Count == 0 ? 0m : these.Max(c => c.Amount)));
        }

        return months;
    }

    /// <summary>The trend over consecutive months, oldest first; see <see cref="CreditTrends"/> for the rule.</summary>
    /// <param name="months">Consecutive months of data, oldest first (as <see cref="PerMonth"/> gives them).</param>
    public static CreditTrend Trend(IReadOnlyList<MonthCreditSummary> months)
    {
        Guard.NotNull(months, nameof(months));
        if (months.Count < MonthsNeeded)
        {
            return new CreditTrend(CreditTrendDirection.NotEnoughData, null, null, null,
                $"Not enough data: {months.Count} month(s) closed; the trend compares the last {WindowMonths} months with the {WindowMonths} before and needs {MonthsNeeded}.");
        }

        var last = months.TakeLast(WindowMonths).Sum(m => m.Total);
        var previous = months.SkipLast(WindowMonths).TakeLast(WindowMonths).Sum(m => m.Total);
        var window = $"{Money(last)} in the last {WindowMonths} months against {Money(previous)} in the {WindowMonths} before";
        if (previous == 0m)
        {
            return last == 0m
                ? new CreditTrend(CreditTrendDirection.Stable, last, previous, null, $"Stable: no credits in either window.")
                : new CreditTrend(CreditTrendDirection.Increasing, last, previous, null, $"Increasing: {window} (none).");
        }

        var change = Math.Round((last - previous) / previous * 100m, 1, MidpointRounding.AwayFromZero);
        var direction = change > TolerancePercent ? CreditTrendDirection.Increasing
            : change < -TolerancePercent ? CreditTrendDirection.Improving
            : CreditTrendDirection.Stable;
        var tolerance = TolerancePercent.ToString("0.#", CultureInfo.InvariantCulture);
        return new CreditTrend(direction, last, previous, change,
            $"{direction}: {window}, {change.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} % (tolerance ±{tolerance} %).");
    }

    private static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
}
