using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>The availability of one component over a period.</summary>
/// <param name="Component">The component.</param>
/// <param name="Report">Its availability, computed like any monitor's.</param>
public sealed record ComponentAvailability(Component Component, AvailabilityReport Report);

/// <summary>
/// A customer's availability over a period, aggregated from its components: the customer is down while any
/// <b>critical</b> component is down, degraded while only non-critical components are down.
/// </summary>
/// <param name="Sla">The customer's SLA availability: its downtime is the union of the critical components' downtime
/// (overlaps counted once), with the period's maintenance rules applied; its unknown time is the union of the critical
/// components' times without data, outside that downtime. With no critical component it is 100 % with full coverage.</param>
/// <param name="DegradedIntervals">When only non-critical components were down, clipped to the period and outside
/// excluded maintenance and outages; sorted and disjoint. Reported, not downtime.</param>
/// <param name="Components">Each component's own availability, in input order.</param>
public sealed record CustomerAvailability(
    AvailabilityReport Sla,
    IReadOnlyList<Interval> DegradedIntervals,
    IReadOnlyList<ComponentAvailability> Components)
{
    /// <summary>Total degraded time in the period (elapsed time); not downtime.</summary>
    public Duration Degraded => IntervalSet.Total(DegradedIntervals);

    /// <summary>The customer's availability over <paramref name="period"/>.</summary>
    /// <param name="period">The reporting period; both ends required.</param>
    /// <param name="components">The components and their downtime.</param>
    /// <param name="maintenance">Maintenance windows of the customer's service; <c>null</c> means none.</param>
    /// <param name="maintenanceNotice">The contract's notice; <c>null</c> means 48 hours.</param>
    /// <exception cref="ArgumentException"><paramref name="period"/> has no start or end, or two components share an id.</exception>
    public static CustomerAvailability Compute(
        Interval period,
        IEnumerable<ComponentDowntime> components,
        IEnumerable<MaintenanceWindow>? maintenance = null,
        Duration? maintenanceNotice = null)
    {
        AvailabilityReport.RequireBounded(period, nameof(period));
        Guard.NotNull(components, nameof(components));
        var list = components.ToList();
        var duplicate = list.GroupBy(c => c.Component.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{nameof(components)}: component id '{duplicate.Key}' appears more than once.", nameof(components));
        }

        var windows = (maintenance ?? []).ToList();
        // Any critical component without data leaves the customer's state unknown for that time (unless one is down).
        var sla = AvailabilityReport.Compute(
            period, list.Where(c => c.Component.IsCritical).SelectMany(c => c.Downtime), windows, maintenanceNotice,
            list.Where(c => c.Component.IsCritical).SelectMany(c => c.Unknown ?? []));
        var nonCritical = AvailabilityReport.Compute(
            period, list.Where(c => !c.Component.IsCritical).SelectMany(c => c.Downtime), windows, maintenanceNotice);
        var degraded = IntervalSet.Subtract(nonCritical.DowntimeIntervals, sla.DowntimeIntervals);
        var perComponent = list
            .Select(c => new ComponentAvailability(c.Component, AvailabilityReport.Compute(period, c.Downtime, windows, maintenanceNotice, c.Unknown)))
            .ToList();
        return new CustomerAvailability(sla, degraded, perComponent);
    }
}

/// <summary>The customer's current status, rolled up from its components.</summary>
public static class CustomerStatus
{
    /// <summary>
    /// The status from what each component's monitor last reported: a critical component down → outage; only
    /// non-critical ones down → degraded; otherwise any under maintenance → under maintenance; otherwise any without
    /// data → unknown ("Status unknown: no data from …"), never operational; otherwise operational (also with no components).
    /// </summary>
    public static StatusSummary Summarize(IEnumerable<ComponentReading> readings)
    {
        Guard.NotNull(readings, nameof(readings));
        var list = readings.ToList();
        List<string> Ids(ComponentHealth health) => [.. list.Where(r => r.Health == health).Select(r => r.Component.Id).Order(StringComparer.Ordinal)];
        string Names(ComponentHealth health, bool? critical = null) => string.Join(", ", list
            .Where(r => r.Health == health && (critical is null || r.Component.IsCritical == critical))
            .Select(r => r.DisplayName).Order(StringComparer.Ordinal));
        var down = Ids(ComponentHealth.Down);
        var maintenance = Ids(ComponentHealth.Maintenance);
        var unknown = Ids(ComponentHealth.Unknown);
        var (status, words) =
            list.Any(r => r.Health == ComponentHealth.Down && r.Component.IsCritical) ? (ServiceStatus.Outage, $"Service disruption: {Names(ComponentHealth.Down, critical: true)} down")
            : down.Count > 0 ? (ServiceStatus.Degraded, $"Degraded performance: {Names(ComponentHealth.Down)} down")
            : maintenance.Count > 0 ? (ServiceStatus.UnderMaintenance, $"Under maintenance: {Names(ComponentHealth.Maintenance)}")
            : unknown.Count > 0 ? (ServiceStatus.Unknown, $"Status unknown: no data from {Names(ComponentHealth.Unknown)}")
            : (ServiceStatus.Operational, "All systems operational");
        return new StatusSummary(status, words, down, maintenance, unknown);
    }

    /// <summary>
    /// <see cref="ServiceStatus.Outage"/> if any critical component is down, else <see cref="ServiceStatus.Degraded"/>
    /// if any component is down, else <see cref="ServiceStatus.Operational"/> (also with no components).
    /// </summary>
    public static ServiceStatus Of(IEnumerable<ComponentState> states)
    {
        Guard.NotNull(states, nameof(states));
        var status = ServiceStatus.Operational;
        foreach (var state in states)
        {
            if (state.IsDown)
            {
                if (state.Component.IsCritical)
                {
                    return ServiceStatus.Outage;
                }

                status = ServiceStatus.Degraded;
            }
        }

        return status;
    }

    /// <summary>
    /// The status at <paramref name="at"/>: a component is down at an instant inside one of its down intervals
    /// (half-open, so down at the start, up again at the end; an interval without an end is still down).
    /// Maintenance is not considered here: a status page shows what is down, announced or not.
    /// </summary>
    public static ServiceStatus At(Instant at, IEnumerable<ComponentDowntime> components)
    {
        Guard.NotNull(components, nameof(components));
        return Of(components.Select(c => new ComponentState(c.Component, c.Downtime.Any(d => d.Contains(at)))));
    }
}
