using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Contracts.Slis;

/// <summary>A request-based SLI's settings.</summary>
/// <param name="CustomerId">The customer whose requests it counts.</param>
/// <param name="Name">A name people read, e.g. "Checkout requests".</param>
/// <param name="ObjectivePercent">The objective in percent, in (0, 100).</param>
/// <param name="WindowKind">Rolling days or the calendar month.</param>
/// <param name="WindowDays">The rolling window's days (1–90); 0 for a calendar month.</param>
/// <param name="TimeZoneId">The customer's IANA zone when the SLI was saved (calendar months).</param>
/// <param name="GoodQuery">The query that counts good events in the caller's metrics system (an imported OpenSLO
/// <c>ratioMetric.good</c>), for the Prometheus rules; null: none given.</param>
/// <param name="BadQuery">The query that counts bad events (OpenSLO <c>ratioMetric.bad</c>); null: none given.</param>
/// <param name="TotalQuery">The query that counts all events (OpenSLO <c>ratioMetric.total</c>); null: none given.</param>
[GenerateSerializer]
[Alias("slagrains.sli-settings")]
[Immutable]
public sealed record SliSettings(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal ObjectivePercent,
    [property: Id(3)] SliWindowKind WindowKind,
    [property: Id(4)] int WindowDays,
    [property: Id(5)] string TimeZoneId,
    [property: Id(6)] string? GoodQuery = null,
    [property: Id(7)] string? BadQuery = null,
    [property: Id(8)] string? TotalQuery = null)
{
    /// <summary>The window as the domain takes it.</summary>
    public SliWindow Window => WindowKind == SliWindowKind.CalendarMonth ? SliWindow.CalendarMonth : SliWindow.Rolling(WindowDays);

    /// <summary>The zone (UTC when the id is unknown to this tzdb).</summary>
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZoneId) ?? DateTimeZone.Utc;
}

/// <summary>One alert of the SRE workbook evaluated now: both windows' burn rates (4 decimals) and whether it fires.</summary>
[GenerateSerializer]
[Alias("slagrains.sli-burn-rate")]
[Immutable]
public sealed record SliBurnRateView(
    [property: Id(0)] string Name,
    [property: Id(1)] AlertSeverity Severity,
    [property: Id(2)] decimal Factor,
    [property: Id(3)] Duration LongWindow,
    [property: Id(4)] Duration ShortWindow,
    [property: Id(5)] decimal LongWindowBurnRate,
    [property: Id(6)] decimal ShortWindowBurnRate,
    [property: Id(7)] bool IsFiring);

/// <summary>
/// An SLI at <see cref="AsOf"/>: its settings, its window's counts and error budget, the burn-rate alerts. Budget and
/// remaining are exact (in events); the percentages and burn rates are rounded toward zero to 4 decimals.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.sli-view")]
[Immutable]
public sealed record SliView(
    [property: Id(0)] string SliId,
    [property: Id(1)] SliSettings Settings,
    [property: Id(2)] Instant WindowStart,
    [property: Id(3)] Instant WindowEnd,
    [property: Id(4)] long Good,
    [property: Id(5)] long Total,
    [property: Id(6)] decimal? SliPercent,
    [property: Id(7)] decimal Budget,
    [property: Id(8)] long Used,
    [property: Id(9)] decimal Remaining,
    [property: Id(10)] decimal? RemainingPercent,
    [property: Id(11)] ImmutableArray<SliBurnRateView> BurnRates,
    [property: Id(12)] Instant AsOf)
{
    /// <summary>The view of <paramref name="figures"/>.</summary>
    public static SliView Of(string sliId, SliSettings settings, SliFigures figures, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var b = figures.Budget;
        return new SliView(
            sliId, settings, figures.Window.Start, figures.Window.End, b.Good, b.Total, b.SliPercent, b.Budget, b.Used, b.Remaining, b.RemainingPercent,
            [.. figures.BurnRates.Select(s => new SliBurnRateView(
                s.Alert.Name, s.Alert.Severity, s.Alert.Factor, s.Alert.LongWindow, s.Alert.ShortWindow, s.LongWindowBurnRate, s.ShortWindowBurnRate, s.IsFiring))],
            asOf);
    }
}

/// <summary>The answer to an SLI command: the SLI after it, or why nothing changed.</summary>
/// <param name="Sli">The SLI now (also when rejected, if it exists).</param>
/// <param name="Rejection">Why not; null when accepted (and durable).</param>
/// <param name="Replayed">True when the command repeated one already recorded and changed nothing.</param>
[GenerateSerializer]
[Alias("slagrains.sli-result")]
[Immutable]
public sealed record SliResult([property: Id(0)] SliView? Sli, [property: Id(1)] Rejection? Rejection, [property: Id(2)] bool Replayed = false)
{
    /// <summary>True when accepted.</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>
/// A request-based SLI (key: SLI id): counts of good and total events in, the window's error budget and the SRE
/// workbook's burn-rate alerts out (delivered as monitors' budget alerts are). Accepted commands are written before
/// the call returns.
/// </summary>
public interface ISliGrain : IGrainWithStringKey
{
    /// <summary>Sets (or changes) the settings; counts already recorded stay. Another customer's SLI is rejected (<c>sli-conflict</c>).</summary>
    Task<SliResult> Configure(SliSettings settings);

    /// <summary>Records counts for <c>[from, to)</c>; see <see cref="SliRules"/> for the bounds and the idempotency by interval.</summary>
    Task<SliResult> RecordCounts(Instant from, Instant to, long good, long total);

    /// <summary>The SLI at now; null when never configured.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<SliView?> Get();

    /// <summary>
    /// Acknowledges the firing of burn-rate alert <paramref name="name"/> that started at <paramref name="startedAt"/> as
    /// <paramref name="by"/> (written with its row, published as <see cref="Monitors.BudgetAlertChanged"/>); again keeps
    /// the first. Null when the SLI keeps no such firing.
    /// </summary>
    Task<Monitors.BudgetAlertView?> AcknowledgeBudgetAlert(string name, Instant startedAt, string by);
}

/// <summary>The SLIs of one customer (key: customer id): the ids, for listing.</summary>
public interface ICustomerSlisGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="sliId"/> (idempotent); false when the customer already has <see cref="MaxSlis"/>.</summary>
    Task<bool> Add(string sliId);

    /// <summary>The ids, in order.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<string>> List();

    /// <summary>Most SLIs one customer has.</summary>
    public const int MaxSlis = 100;
}
