using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// A monitor's latency objective: a check is <b>good</b> when it is up and answered within <paramref name="ThresholdMs"/>
/// milliseconds; at least <paramref name="ObjectivePercent"/> % of checks should be good.
/// </summary>
/// <remarks>
/// Which checks count (the decision, stated once): every check that measured something — an up check with a response
/// time, and every failed check. A failure counts as <em>not good</em>: a service that does not answer has not
/// answered fast, and leaving failures out would let an outage improve the latency SLI. An up check without a response
/// time (a pushed result that did not say) measured no latency and is left out of both counts; heartbeats are not checks.
/// </remarks>
/// <param name="ThresholdMs">The threshold in milliseconds, 1–60,000 (inclusive: a check at exactly the threshold is good).</param>
/// <param name="ObjectivePercent">The objective in percent, in (0, 100).</param>
public sealed record LatencyObjective(int ThresholdMs, decimal ObjectivePercent)
{
    /// <summary>Largest threshold: a minute.</summary>
    public const int MaxThresholdMs = 60_000;

    /// <summary>The threshold as a duration.</summary>
    public Duration Threshold => Duration.FromMilliseconds(ThresholdMs);

    /// <summary>Whether <paramref name="result"/> counts toward the latency SLI (see the remarks).</summary>
    public static bool Counts(CheckResult result) => result.IsDown || result.ResponseTime is not null;

    /// <summary>Whether <paramref name="result"/> is good: up, with a response time at most the threshold.</summary>
    public bool IsGood(CheckResult result) => !result.IsDown && result.ResponseTime is { } time && time <= Threshold;

    /// <summary>Why the objective cannot be used, naming the field (<c>thresholdMs</c>, <c>objectivePercent</c>); null when it can.</summary>
    public (string Field, string Message)? Problem()
    {
        if (ThresholdMs is < 1 or > MaxThresholdMs)
        {
            return ("thresholdMs", $"A latency threshold is 1 to {MaxThresholdMs:N0} milliseconds; got {ThresholdMs}.");
        }

        if (ObjectivePercent is <= 0m or >= 100m || decimal.Round(ObjectivePercent, EventRatioBudget.MaxObjectiveDecimals) != ObjectivePercent)
        {
            return ("objectivePercent", $"A latency objective is a percentage above 0 and below 100 with at most {EventRatioBudget.MaxObjectiveDecimals} decimals, e.g. 99; got {ObjectivePercent}.");
        }

        return null;
    }
}

/// <summary>Good and total latency checks whose instants fall in one minute starting at <paramref name="Start"/>.</summary>
/// <param name="Start">The minute's first instant (whole UTC minute).</param>
/// <param name="Good">Good checks in it.</param>
/// <param name="Total">Counted checks in it.</param>
public readonly record struct EventBucket(Instant Start, int Good, int Total);

/// <summary>
/// What a monitor keeps for its latency burn-rate windows: per-minute counts of good and total checks over the
/// longest window (<see cref="Kept"/>, the SRE workbook's 3 days), so the grain's state stays small (at most 4,321
/// buckets) however often it probes. Immutable; buckets by start.
/// </summary>
/// <remarks>
/// Windows are measured in whole minutes: a bucket counts in the window <c>[now − w, now)</c> when its minute starts in
/// it. A check in the minute the window starts in, but before its start, is left out, and one after <c>now</c> in
/// now's minute is counted: at most a minute's error at each edge, the price of a bounded state.
/// </remarks>
public sealed record LatencyCounts
{
    /// <summary>The bucket length: a minute.</summary>
    public static readonly Duration BucketLength = Duration.FromMinutes(1);

    /// <summary>How far back from the newest bucket counts are kept: 3 days, the longest burn-rate window.</summary>
    public static readonly Duration Kept = Duration.FromDays(3);

    /// <summary>No checks counted.</summary>
    public static LatencyCounts Empty { get; } = new([]);

    /// <summary>Counts from buckets (any order; buckets of one minute are added together).</summary>
    public LatencyCounts(IEnumerable<EventBucket> buckets)
    {
        Buckets = [.. Guard.NotNull(buckets, nameof(buckets))
            .GroupBy(b => b.Start)
            .Select(g => new EventBucket(g.Key, g.Sum(b => b.Good), g.Sum(b => b.Total)))
            .OrderBy(b => b.Start)];
    }

    /// <summary>The buckets, oldest first, one per minute that had a counted check.</summary>
    public ImmutableArray<EventBucket> Buckets { get; }

    /// <summary>Counts of <paramref name="results"/> judged against <paramref name="objective"/>.</summary>
    public static LatencyCounts From(IEnumerable<CheckResult> results, LatencyObjective objective) => Empty.Add(results, objective);

    /// <summary>
    /// These counts with <paramref name="results"/> added (those that count, see <see cref="LatencyObjective"/>), then
    /// those older than <see cref="Kept"/> before the newest bucket dropped.
    /// </summary>
    public LatencyCounts Add(IEnumerable<CheckResult> results, LatencyObjective objective)
    {
        Guard.NotNull(results, nameof(results));
        Guard.NotNull(objective, nameof(objective));
        var added = results.Where(LatencyObjective.Counts)
            .Select(r => new EventBucket(MinuteOf(r.At), objective.IsGood(r) ? 1 : 0, 1))
            .ToList();
        if (added.Count == 0)
        {
            return this;
        }

        var all = new LatencyCounts(Buckets.Concat(added));
        var cut = all.Buckets[^1].Start - Kept;
        return all.Buckets[0].Start >= cut ? all : new LatencyCounts(all.Buckets.Where(b => b.Start >= cut));
    }

    /// <summary>Good and total checks in the buckets whose minute starts in <c>[now − window, now)</c>.</summary>
    public EventRatioBudget In(Instant now, Duration window, decimal objectivePercent)
    {
        var from = now - window;
        long good = 0, total = 0;
        foreach (var b in Buckets)
        {
            if (b.Start >= from && b.Start < now)
            {
                good += b.Good;
                total += b.Total;
            }
        }

        return EventRatioBudget.Of(good, total, objectivePercent);
    }

    /// <summary>The whole UTC minute <paramref name="at"/> falls in.</summary>
    public static Instant MinuteOf(Instant at)
    {
        var ticks = at.ToUnixTimeTicks();
        var minute = NodaConstants.TicksPerMinute;
        return Instant.FromUnixTimeTicks(ticks - (((ticks % minute) + minute) % minute));
    }
}

/// <summary>
/// Multi-window burn-rate alerts on a latency SLI, like the availability ones (<see cref="BurnRate"/>): the SRE
/// workbook's windows and factors, burn rate = bad fraction over the window ÷ (1 − objective / 100). The alerts are
/// named <c>latency-page-fast</c>, <c>latency-page-slow</c> and <c>latency-ticket</c>, so a stored or delivered alert
/// says which SLI it is about by its name (<see cref="IsLatency"/>).
/// </summary>
public static class LatencyBurnRate
{
    /// <summary>The prefix of a latency alert's name.</summary>
    public const string Prefix = "latency-";

    /// <summary>The SRE workbook's three alerts, named for latency.</summary>
    public static IReadOnlyList<BurnRateAlert> Alerts { get; } =
        [.. BurnRateAlert.SreWorkbook.Select(a => new BurnRateAlert(Prefix + a.Name, a.Severity, a.Factor, a.LongWindow, a.ShortWindow))];

    /// <summary>Whether an alert's name is a latency alert's.</summary>
    public static bool IsLatency(string? alertName) => alertName?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// Each latency alert evaluated at <paramref name="now"/>: both windows' burn rates (4 decimals) and whether it fires
    /// (both exact burn rates ≥ its factor; a window without checks never fires).
    /// </summary>
    public static IReadOnlyList<BurnRateAlertStatus> Evaluate(LatencyCounts counts, LatencyObjective objective, Instant now)
    {
        Guard.NotNull(counts, nameof(counts));
        Guard.NotNull(objective, nameof(objective));
        return EventRatioBudget.Alerts(Alerts, window => counts.In(now, window, objective.ObjectivePercent));
    }
}
