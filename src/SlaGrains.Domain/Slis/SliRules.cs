using NodaTime;
using System.Collections.Immutable;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Slis;

/// <summary>Good and total events a client counted over <c>[From, To)</c>, as posted.</summary>
public sealed record PostedCounts(Instant From, Instant To, long Good, long Total)
{
    /// <summary>The counts without their interval.</summary>
    public EventCounts Counts => new(Good, Total);

    /// <summary>The interval <c>[From, To)</c>.</summary>
    public Interval Interval => new(From, To);
}

/// <summary>An alert of <see cref="BurnRateAlert.SreWorkbook"/> firing since <paramref name="StartedAt"/>.</summary>
public sealed record SliFiring(string Name, Instant StartedAt);

/// <summary>An SLI's figures at an instant: its window, the window's error budget and the burn-rate alerts evaluated.</summary>
/// <param name="Window">The window <c>[start, end)</c> that holds the instant.</param>
/// <param name="Budget">The window's counts against the objective.</param>
/// <param name="BurnRates">Each alert of <see cref="BurnRateAlert.SreWorkbook"/> with its two burn rates and whether it fires.</param>
public sealed record SliFigures(Interval Window, EventRatioBudget Budget, IReadOnlyList<BurnRateAlertStatus> BurnRates);

/// <summary>A command to an SLI.</summary>
public abstract record SliCommand;

/// <summary>Sets (or changes) the objective, the window and the customer's zone; the counts kept stay.</summary>
public sealed record ConfigureSli(decimal ObjectivePercent, SliWindow Window, DateTimeZone Zone) : SliCommand;

/// <summary>Records counts a client posted.</summary>
public sealed record RecordCounts(PostedCounts Counts) : SliCommand;

/// <summary>Nothing but time passed: the burn-rate windows moved on.</summary>
public sealed record EvaluateBurnRates : SliCommand;

/// <summary>What happened to an SLI.</summary>
public abstract record SliEvent(Instant At);

/// <summary>The SLI was configured.</summary>
public sealed record SliConfigured(Instant At, decimal ObjectivePercent, SliWindow Window, DateTimeZone Zone) : SliEvent(At);

/// <summary>Counts were recorded; everything before <paramref name="KeepFrom"/> is no longer needed.</summary>
public sealed record CountsRecorded(Instant At, PostedCounts Counts, Instant KeepFrom) : SliEvent(At);

/// <summary>A burn-rate alert started firing.</summary>
public sealed record SliAlertStarted(Instant At, BurnRateAlertStatus Status) : SliEvent(At);

/// <summary>A burn-rate alert that fired since <paramref name="StartedAt"/> stopped.</summary>
public sealed record SliAlertStopped(Instant At, BurnRateAlertStatus Status, Instant StartedAt) : SliEvent(At);

/// <summary>The outcome of <see cref="SliRules.Decide"/>: the events and the state after them, or a rejection.</summary>
public sealed record SliDecision(IReadOnlyList<SliEvent> Events, SliRules? State, Rejection? Rejection)
{
    /// <summary>True when accepted (also when nothing changed: a replay).</summary>
    public bool IsAccepted => Rejection is null;
}

/// <summary>
/// A request-based SLI: counts of good and total events posted by a client, an objective, a window (rolling or the
/// calendar month), the window's error budget and multi-window burn-rate alerts (<see cref="BurnRateAlert.SreWorkbook"/>).
/// Pure <see cref="Decide"/>/<see cref="Apply"/>; <c>now</c> is always a parameter.
/// </summary>
/// <remarks>
/// <para><b>Counts.</b> A post covers <c>[from, to)</c>: at least <see cref="MinSpan"/>, at most <see cref="MaxSpan"/>,
/// ending no later than <see cref="MaxSkew"/> after now and starting no earlier than <see cref="EarliestAccepted"/>
/// (the window's start, or the longest burn-rate window back, whichever is earlier), with
/// 0 ≤ good ≤ total ≤ <see cref="MaxCount"/>. Counts go into 5-minute <see cref="CountBuckets"/> (split in proportion,
/// in whole events), kept as long as a window or a burn-rate window can still see them.</para>
/// <para><b>Idempotency.</b> Intervals are the keys: the same <c>[from, to)</c> posted again with the same counts is
/// accepted and changes nothing; with other counts it is refused (<c>counts-conflict</c>); an interval that overlaps
/// counts already recorded is refused (<c>counts-overlap</c>). Posted intervals are remembered for
/// <see cref="ReplayHorizon"/>; an older repeat overlaps what it recorded and is refused as an overlap.</para>
/// <para><b>Burn rates.</b> The burn-rate windows end at the start of the bucket holding now, so they see only
/// buckets whose time has passed (a client posting each minute has filled them): long and short window each
/// <c>[end − window, end)</c>, burn rate = (bad ÷ total) ÷ (1 − objective). An alert fires while both its windows'
/// exact burn rates are ≥ its factor, and a window without events does not burn.</para>
/// </remarks>
public sealed record SliRules
{
    private SliRules(decimal objectivePercent, SliWindow window, DateTimeZone zone)
    {
        ObjectivePercent = objectivePercent;
        Window = window;
        Zone = zone;
    }

    /// <summary>Shortest interval one post may cover: a minute (it bounds how many intervals are remembered).</summary>
    public static Duration MinSpan { get; } = Duration.FromMinutes(1);

    /// <summary>Longest interval one post may cover: a day.</summary>
    public static Duration MaxSpan { get; } = Duration.FromDays(1);

    /// <summary>How far after now a posted interval may end (the client's clock skew): a minute.</summary>
    public static Duration MaxSkew { get; } = Duration.FromMinutes(1);

    /// <summary>How long posted intervals are remembered to answer a repeat as a no-op: 3 days (the longest burn-rate window).</summary>
    public static Duration ReplayHorizon { get; } = Duration.FromDays(3);

    /// <summary>Most events one post may count: 10^12.</summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>The objective in percent, in (0, 100).</summary>
    public decimal ObjectivePercent { get; init; }

    /// <summary>The window.</summary>
    public SliWindow Window { get; init; }

    /// <summary>The customer's zone (calendar months).</summary>
    public DateTimeZone Zone { get; init; }

    /// <summary>Counts per 5-minute bucket, by bucket start.</summary>
    public ImmutableSortedDictionary<Instant, EventCounts> Buckets { get; init; } = ImmutableSortedDictionary<Instant, EventCounts>.Empty;

    /// <summary>The time already counted, as disjoint intervals in order (adjacent posts merged).</summary>
    public ImmutableList<Interval> Covered { get; init; } = [];

    /// <summary>The intervals posted within <see cref="ReplayHorizon"/>, with their counts.</summary>
    public ImmutableList<PostedCounts> Recent { get; init; } = [];

    /// <summary>The alerts firing now.</summary>
    public ImmutableList<SliFiring> Firing { get; init; } = [];

    /// <summary>A new SLI with no counts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The objective is outside (0, 100) or has too many decimals.</exception>
    public static SliRules New(decimal objectivePercent, SliWindow window, DateTimeZone zone)
        => new(EventRatioBudget.CheckObjective(objectivePercent, nameof(objectivePercent)), Guard.NotNull(window, nameof(window)), Guard.NotNull(zone, nameof(zone)));

    /// <summary>The earliest instant a post may start at: the window's start or 3 days back, whichever is earlier.</summary>
    public Instant EarliestAccepted(Instant now)
    {
        var windowStart = Window.At(now, Zone).Start;
        var burnStart = CountBuckets.Floor(now) - ReplayHorizon;
        return windowStart < burnStart ? windowStart : burnStart;
    }

    /// <summary>The counts of the buckets that start in <paramref name="interval"/>.</summary>
    public EventCounts CountsIn(Interval interval)
    {
        var sum = default(EventCounts);
        foreach (var (start, counts) in Buckets)
        {
            if (start >= interval.End)
            {
                break;
            }

            if (start >= interval.Start)
            {
                sum = sum.Plus(counts);
            }
        }

        return sum;
    }

    /// <summary>The figures at <paramref name="now"/>: the window holding it, its budget, the burn-rate alerts.</summary>
    public SliFigures FiguresAt(Instant now)
    {
        var window = Window.At(now, Zone);
        var counts = CountsIn(window);
        return new SliFigures(window, EventRatioBudget.Of(counts.Good, counts.Total, ObjectivePercent), BurnRatesAt(now));
    }

    /// <summary>Each alert of <see cref="BurnRateAlert.SreWorkbook"/> evaluated at <paramref name="now"/>.</summary>
    public IReadOnlyList<BurnRateAlertStatus> BurnRatesAt(Instant now)
    {
        var end = CountBuckets.Floor(now);
        return EventRatioBudget.Alerts(BurnRateAlert.SreWorkbook, window =>
        {
            var counts = CountsIn(new Interval(end - window, end));
            return EventRatioBudget.Of(counts.Good, counts.Total, ObjectivePercent);
        });
    }

    /// <summary>
    /// When the burn-rate alerts should be evaluated again: the next bucket boundary while an alert fires or counts
    /// from the last <see cref="ReplayHorizon"/> could still start one; otherwise null (nothing can change by itself).
    /// </summary>
    public Instant? NextEvaluation(Instant now)
    {
        var next = CountBuckets.Floor(now) + CountBuckets.Width;
        return Firing.Count > 0 || (Buckets.Count > 0 && Buckets.Keys.Last() >= next - ReplayHorizon - CountBuckets.Width) ? next : null;
    }

    /// <summary>Decides <paramref name="command"/> at <paramref name="now"/> on <paramref name="state"/> (null before configuration).</summary>
    public static SliDecision Decide(SliRules? state, SliCommand command, Instant now)
    {
        Guard.NotNull(command, nameof(command));
        if (command is ConfigureSli configure)
        {
            var configured = new SliConfigured(now, configure.ObjectivePercent, configure.Window, configure.Zone);
            return Accept(state, [configured], now);
        }

        if (state is null)
        {
            return new SliDecision([], null, new Rejection("sli-not-found", "The SLI is not configured."));
        }

        return command switch
        {
            RecordCounts record => state.Record(record.Counts, now),
            EvaluateBurnRates => Accept(state, [], now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown SLI command."),
        };
    }

    /// <summary>The state after <paramref name="e"/> (null before configuration).</summary>
    public static SliRules Apply(SliRules? state, SliEvent e)
    {
        Guard.NotNull(e, nameof(e));
        switch (e)
        {
            case SliConfigured c:
                return state is null ? New(c.ObjectivePercent, c.Window, c.Zone) : state with { ObjectivePercent = EventRatioBudget.CheckObjective(c.ObjectivePercent, nameof(c.ObjectivePercent)), Window = c.Window, Zone = c.Zone };
            case CountsRecorded r when state is not null:
                return state.WithCounts(r);
            case SliAlertStarted s when state is not null:
                return state with { Firing = state.Firing.Add(new SliFiring(s.Status.Alert.Name, s.At)) };
            case SliAlertStopped s when state is not null:
                return state with { Firing = state.Firing.RemoveAll(f => f.Name == s.Status.Alert.Name) };
            default:
                throw new InvalidOperationException($"{e.GetType().Name} cannot apply to an SLI that is not configured.");
        }
    }

    private SliDecision Record(PostedCounts posted, Instant now)
    {
        if (posted.Good < 0 || posted.Total < 0 || posted.Good > posted.Total || posted.Total > MaxCount)
        {
            return Reject("invalid-counts", $"Counts are 0 ≤ good ≤ total ≤ {MaxCount:N0}.");
        }

        if (posted.To <= posted.From)
        {
            return Reject("invalid-interval", "Counts cover [from, to): to is after from.");
        }

        var span = posted.To - posted.From;
        if (span < MinSpan || span > MaxSpan)
        {
            return Reject("invalid-span", "Counts cover a minute to a day.");
        }

        if (posted.To > now + MaxSkew)
        {
            return Reject("invalid-future", $"Counts end at most {(int)MaxSkew.TotalSeconds} s after the server's clock ({now}).");
        }

        var earliest = EarliestAccepted(now);
        if (posted.From < earliest)
        {
            return Reject("invalid-too-old", $"Counts start no earlier than {earliest} (the SLI's window or the last 3 days, whichever is longer).");
        }

        if (Recent.Find(p => p.From == posted.From && p.To == posted.To) is { } seen)
        {
            return seen.Good == posted.Good && seen.Total == posted.Total
                ? new SliDecision([], this, null)
                : Reject("counts-conflict", $"Other counts were already recorded for [{posted.From}, {posted.To}): {seen.Good} good of {seen.Total}.");
        }

        if (Covered.FindIndex(c => c.Start < posted.To && posted.From < c.End) is var index and >= 0)
        {
            var overlap = Covered[index];
            return Reject("counts-overlap", $"[{posted.From}, {posted.To}) overlaps counts already recorded for [{overlap.Start}, {overlap.End}).");
        }

        return Accept(this, [new CountsRecorded(now, posted, earliest)], now);
    }

    private SliDecision Reject(string code, string message) => new([], this, new Rejection(code, message));

    /// <summary>Applies <paramref name="events"/>, then starts and stops the alerts as the burn rates at now say.</summary>
    private static SliDecision Accept(SliRules? state, IReadOnlyList<SliEvent> events, Instant now)
    {
        var all = new List<SliEvent>(events);
        var next = events.Aggregate(state, (s, e) => Apply(s, e))!;
        foreach (var status in next.BurnRatesAt(now))
        {
            var firing = next.Firing.Find(f => f.Name == status.Alert.Name);
            if (status.IsFiring && firing is null)
            {
                all.Add(new SliAlertStarted(now, status));
            }
            else if (!status.IsFiring && firing is not null)
            {
                all.Add(new SliAlertStopped(now, status, firing.StartedAt));
            }
        }

        return new SliDecision(all, all.Skip(events.Count).Aggregate(next, Apply), null);
    }

    private SliRules WithCounts(CountsRecorded recorded)
    {
        var posted = recorded.Counts;
        var buckets = Buckets.ToBuilder();
        foreach (var (start, counts) in CountBuckets.Split(posted.From, posted.To, posted.Counts))
        {
            buckets[start] = buckets.TryGetValue(start, out var had) ? had.Plus(counts) : counts;
        }

        var keepBuckets = CountBuckets.Floor(recorded.KeepFrom);
        foreach (var start in buckets.Keys.TakeWhile(s => s < keepBuckets).ToList())
        {
            buckets.Remove(start);
        }

        return this with
        {
            Buckets = buckets.ToImmutable(),
            Covered = Merge(Covered, posted.Interval, recorded.KeepFrom),
            Recent = Recent.Add(posted).RemoveAll(p => p.To <= recorded.At - ReplayHorizon),
        };
    }

    /// <summary>Adds <paramref name="added"/> (disjoint from the rest) and merges neighbours; drops what ends before <paramref name="keepFrom"/>.</summary>
    private static ImmutableList<Interval> Merge(ImmutableList<Interval> covered, Interval added, Instant keepFrom)
    {
        var merged = new List<Interval>();
        foreach (var interval in covered.Add(added).Where(i => i.End > keepFrom).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && merged[^1].End >= interval.Start)
            {
                var last = merged[^1];
                merged[^1] = new Interval(last.Start, interval.End > last.End ? interval.End : last.End);
            }
            else
            {
                merged.Add(interval);
            }
        }

        return [.. merged];
    }
}
