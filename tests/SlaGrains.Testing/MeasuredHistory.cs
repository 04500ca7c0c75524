using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Testing;

/// <summary>
/// Check results for a monitor that was measured throughout: a success every <see cref="Spacing"/> from a start to an
/// end, except inside the outages, plus a failure at each outage's start and a success at its end. A monitor goes
/// unknown after its stale-after time without a result and unknown time is neither up nor down, so history made only
/// of outage edges reads as "insufficient data"; configure the monitor with <see cref="StaleAfter"/> (or longer) to feed it this.
/// </summary>
public static class MeasuredHistory
{
    /// <summary>The time between two successes: 12 hours.</summary>
    public static Duration Spacing { get; } = Duration.FromHours(12);

    /// <summary>The stale-after time a monitor fed this history needs: one day (the longest the API accepts).</summary>
    public static Duration StaleAfter { get; } = Duration.FromDays(1);

    /// <summary>The results from <paramref name="from"/> to <paramref name="to"/> (half-open) with <paramref name="outages"/>, ordered by time.</summary>
    public static CheckResult[] Between(Instant from, Instant to, params Interval[] outages)
    {
        var results = new List<CheckResult>();
        for (var at = from; at < to; at += Spacing)
        {
            // An outage's end has its own success (below): no second result at the same instant.
            if (!outages.Any(o => o.Contains(at) || o.End == at))
            {
                results.Add(CheckResult.Up(at));
            }
        }

        foreach (var outage in outages)
        {
            results.Add(CheckResult.Down(outage.Start));
            results.Add(CheckResult.Up(outage.End));
        }

        return [.. results.OrderBy(r => r.At)];
    }
}
