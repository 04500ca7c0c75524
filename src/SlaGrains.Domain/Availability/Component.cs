using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// A part of a customer's service shown on the status page (API, dashboard, e-mail delivery …). While a
/// <em>critical</em> component is down the customer is in an outage; while only non-critical ones are down the
/// service is degraded.
/// </summary>
public sealed record Component
{
    /// <summary>Creates a component.</summary>
    /// <param name="id">A stable identifier, unique per customer; not empty.</param>
    /// <param name="isCritical">Whether its downtime is the customer's downtime for the SLA.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    public Component(string id, bool isCritical)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"{nameof(id)} must not be empty.", nameof(id));
        }

        Id = id;
        IsCritical = isCritical;
    }

    /// <summary>A stable identifier, unique per customer.</summary>
    public string Id { get; }

    /// <summary>Whether the component's downtime is the customer's downtime for the SLA.</summary>
    public bool IsCritical { get; }

    // Issue 20 — incidents linked to tickets
    /// <summary>
    /// Whether an outage of this component opens a P1 ticket for the customer (the rule is <c>OutageTickets</c>); only
    /// a critical component's outage does, so it is ignored on a non-critical one. Default false.
    /// </summary>
    public bool OpensTicketOnOutage { get; init; }
}

/// <summary>A component with its downtime (for example from <see cref="OutageTimeline.DownIntervals"/>).</summary>
/// <param name="Component">The component.</param>
/// <param name="Downtime">Its down intervals, in any order, possibly overlapping; an interval without an end is ongoing.</param>
/// <param name="Unknown">Its times without data, in any order; <c>null</c> or empty means data throughout.</param>
public sealed record ComponentDowntime(Component Component, IReadOnlyList<Interval> Downtime, IReadOnlyList<Interval>? Unknown = null);

/// <summary>Whether a component is down at some instant.</summary>
/// <param name="Component">The component.</param>
/// <param name="IsDown">Whether it is down.</param>
public readonly record struct ComponentState(Component Component, bool IsDown);

/// <summary>What a monitor knows about its component at an instant, as it tells the customer.</summary>
public enum ComponentHealth
{
    /// <summary>The latest checks say up.</summary>
    Up,

    /// <summary>Confirmed down (an open incident outside maintenance).</summary>
    Down,

    /// <summary>No result for longer than the monitor expects: neither up nor down.</summary>
    Unknown,

    /// <summary>Inside an announced, in-time maintenance window (whatever the checks say).</summary>
    Maintenance,
}

/// <summary>
/// The status a customer's service shows at an instant, worst first as <see cref="CustomerStatus.Summarize(IEnumerable{ComponentReading})"/>
/// ranks them: outage, degraded, under maintenance, unknown, operational. The numbers are stored: new values are appended.
/// </summary>
public enum ServiceStatus
{
    /// <summary>Every component reports up (or there are none).</summary>
    Operational,

    /// <summary>Only non-critical components are down: reported, but not SLA downtime.</summary>
    Degraded,

    /// <summary>At least one critical component is down: SLA downtime.</summary>
    Outage,

    /// <summary>Nothing is down, and at least one component is inside announced, in-time maintenance.</summary>
    UnderMaintenance,

    /// <summary>Nothing is down or under maintenance, and at least one component has no data: never shown as operational.</summary>
    Unknown,
}

/// <summary>What one component's monitor last told the customer.</summary>
/// <param name="Component">The component.</param>
/// <param name="Health">Its health; a component that never reported is <see cref="ComponentHealth.Unknown"/>.</param>
/// <param name="Name">The name shown to people; <c>null</c> means the component's id.</param>
public sealed record ComponentReading(Component Component, ComponentHealth Health, string? Name = null)
{
    /// <summary>The name shown to people.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Component.Id : Name;
}

/// <summary>The customer's status with the sentence shown to people and the components behind it.</summary>
/// <param name="Status">The rolled-up status.</param>
/// <param name="Words">The sentence, e.g. "Status unknown: no data from API".</param>
/// <param name="Down">The components down, by id, sorted.</param>
/// <param name="UnderMaintenance">The components under maintenance, by id, sorted.</param>
/// <param name="Unknown">The components without data, by id, sorted.</param>
public sealed record StatusSummary(
    ServiceStatus Status,
    string Words,
    IReadOnlyList<string> Down,
    IReadOnlyList<string> UnderMaintenance,
    IReadOnlyList<string> Unknown);
