using SlaGrains.Contracts.Notifications;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Monitors;

/// <summary>
/// One firing of a burn-rate (error-budget) alert on a monitor: from when it started until it stopped. Delivered once
/// when it starts and once when it stops (inbox, live feed, <c>budget.burn</c> webhook), identified by
/// <see cref="AlertId"/> = (monitor, alert name, started at).
/// </summary>
/// <param name="AlertId">Stable id: <c>{monitor}.{name}.{started at, Unix ticks}</c>.</param>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="ComponentName">The component it watches.</param>
/// <param name="Name">The alert rule's name, e.g. <c>page-fast</c>.</param>
/// <param name="Severity">Page or ticket.</param>
/// <param name="Factor">The burn rate both windows must reach.</param>
/// <param name="LongWindow">The long window.</param>
/// <param name="ShortWindow">The short window.</param>
/// <param name="LongWindowBurnRate">The long window's burn rate at the latest change (start or stop), 4 decimals.</param>
/// <param name="ShortWindowBurnRate">The short window's burn rate at the latest change, 4 decimals.</param>
/// <param name="StartedAt">When it started firing.</param>
/// <param name="StoppedAt">When it stopped; null while firing.</param>
[GenerateSerializer]
[Alias("slagrains.budget-alert-view")]
[Immutable]
public sealed record BudgetAlertView(
    [property: Id(0)] string AlertId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string ComponentName,
    [property: Id(4)] string Name,
    [property: Id(5)] AlertSeverity Severity,
    [property: Id(6)] decimal Factor,
    [property: Id(7)] Duration LongWindow,
    [property: Id(8)] Duration ShortWindow,
    [property: Id(9)] decimal LongWindowBurnRate,
    [property: Id(10)] decimal ShortWindowBurnRate,
    [property: Id(11)] Instant StartedAt,
    [property: Id(12)] Instant? StoppedAt)
{
    /// <summary>True while the alert fires.</summary>
    public bool IsFiring => StoppedAt is null;

    /// <summary><c>started</c> while firing, else <c>stopped</c>.</summary>
    public string State => IsFiring ? "started" : "stopped";

    /// <summary>The instant of the latest change: the stop, or the start.</summary>
    public Instant ChangedAt => StoppedAt ?? StartedAt;

    /// <summary>The id of an alert of <paramref name="monitorId"/> named <paramref name="name"/> that started at <paramref name="startedAt"/>.</summary>
    public static string IdOf(string monitorId, string name, Instant startedAt) => $"{monitorId}.{name}.{startedAt.ToUnixTimeTicks()}";
}

/// <summary>A burn-rate alert started or stopped (already written into the monitor).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.budget-alert-changed")]
[Immutable]
public sealed record BudgetAlertChanged(Instant At, [property: Id(0)] BudgetAlertView Alert) : SlaNotification(At);
