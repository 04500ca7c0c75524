using System.Security.Cryptography;
using System.Text;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// The ticket an outage opens: when a monitor's incident opens (the component confirmed down, outside announced
/// maintenance) and its component is critical and set to open a ticket on outage
/// (<see cref="Component.OpensTicketOnOutage"/>), one P1 ticket is opened for the customer, linked to the incident, its
/// subject naming the component. Its id is derived from the incident's (<see cref="TicketIdFor"/>), so a retried or
/// redelivered opening finds the ticket there already and opens nothing twice. Pure.
/// </summary>
public static class OutageTickets
{
    /// <summary>The priority of a ticket an outage opens.</summary>
    public const TicketPriority Priority = TicketPriority.P1;

    /// <summary>What every outage ticket's id starts with.</summary>
    public const string TicketIdPrefix = "outage.";

    /// <summary>The longest ticket id (ids are 1–64 letters, digits, '.', '-' or '_').</summary>
    public const int MaxTicketIdLength = 64;

    /// <summary>Who the ticket is requested by, and its audit's actor.</summary>
    public const string Requester = "outage-rule";

    /// <summary>The reason its incident link records.</summary>
    public const string LinkReason = "outage of a critical component";

    /// <summary>
    /// The outage ticket's id for <paramref name="incidentId"/>: <c>outage.{incident}</c>, or, when that is longer than
    /// <see cref="MaxTicketIdLength"/>, <c>outage.</c> and the first 40 hex digits of the incident id's SHA-256. The same
    /// incident always gives the same id.
    /// </summary>
    public static string TicketIdFor(string incidentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        var plain = TicketIdPrefix + incidentId;
        return plain.Length <= MaxTicketIdLength
            ? plain
            : TicketIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(incidentId)))[..40];
    }

    /// <summary>
    /// The ticket to open for incident <paramref name="incidentId"/> of <paramref name="component"/> (shown to people as
    /// <paramref name="componentName"/>); null when the component does not ask for one, is not critical, or the
    /// incident is inside maintenance.
    /// </summary>
    public static OutageTicket? Decide(Component component, string incidentId, string? componentName, bool duringMaintenance)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        if (!component.IsCritical || !component.OpensTicketOnOutage || duringMaintenance)
        {
            return null;
        }

        var name = string.IsNullOrWhiteSpace(componentName) ? component.Id : componentName.Trim();
        return new OutageTicket(TicketIdFor(incidentId), Priority, $"Outage: {name} is down", incidentId);
    }
}

/// <summary>The ticket an outage opens.</summary>
/// <param name="TicketId">Its id, derived from the incident's.</param>
/// <param name="Priority">P1.</param>
/// <param name="Subject">"Outage: {component} is down".</param>
/// <param name="IncidentId">The incident it is linked to.</param>
public sealed record OutageTicket(string TicketId, TicketPriority Priority, string Subject, string IncidentId);

/// <summary>
/// The SLA-related ticket rate of a period: tickets opened in the period that are linked to an incident ÷ tickets opened
/// in the period, in percent, rounded half away from zero to 2 decimals; null when no ticket was opened.
/// </summary>
public static class SlaRelatedTicketRate
{
    /// <summary>The rate of <paramref name="linked"/> among <paramref name="opened"/> tickets; null when none was opened.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or more tickets are linked than were opened.</exception>
    public static decimal? Percent(int opened, int linked)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opened);
        ArgumentOutOfRangeException.ThrowIfNegative(linked);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(linked, opened);
        return opened == 0 ? null : Math.Round(100m * linked / opened, 2, MidpointRounding.AwayFromZero);
    }
}
