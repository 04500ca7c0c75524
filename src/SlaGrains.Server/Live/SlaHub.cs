using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Server.Live;

/// <summary>What the live feed sends; each event carries the ids, the instant and enough state to render without a refetch.</summary>
public interface ISlaClient
{
    /// <summary>A ticket changed (command, pause, resume, re-target): its list row with clocks at <see cref="TicketSummary.AsOf"/>, never its audit trail.</summary>
    Task TicketClockChanged(TicketSummary ticket);

    /// <summary>A ticket's clock reached a warning threshold.</summary>
    Task TicketWarning(SlaAlert alert);

    /// <summary>A ticket's clock breached its target.</summary>
    Task TicketBreached(SlaAlert alert);

    /// <summary>An escalation rule fired.</summary>
    Task EscalationRaised(EscalationView escalation);

    /// <summary>Someone acknowledged an escalation.</summary>
    Task EscalationAcknowledged(EscalationView escalation);

    /// <summary>A monitor's burn-rate (error-budget) alert started, stopped or was acknowledged (managers only: it measures the internal SLO).</summary>
    Task BudgetAlertChanged(BudgetAlertView alert);

    /// <summary>A monitor went down or came back.</summary>
    Task MonitorStatusChanged(MonitorStatusEvent status);

    /// <summary>An incident opened.</summary>
    Task IncidentOpened(IncidentView incident);

    /// <summary>An incident was resolved.</summary>
    Task IncidentResolved(IncidentView incident);

    /// <summary>Staff posted an update to an incident (who posted it goes to staff only).</summary>
    Task IncidentUpdated(IncidentUpdateEvent update);

    /// <summary>A customer's aggregate status changed (operational / degraded / outage).</summary>
    Task CustomerStatusChanged(CustomerStatusView status);

    /// <summary>A customer's month close had not completed 15 minutes after the month's end (managers only).</summary>
    Task MonthCloseOverdue(MonthCloseOverdue overdue);

    /// <summary>A credit notice was issued to a customer (a month missed its commitment).</summary>
    Task CreditNoticeIssued(Contracts.Credits.CreditNotice notice);

    /// <summary>A dispute was filed or resolved.</summary>
    Task CreditDisputeChanged(Contracts.Credits.CreditDisputeView dispute);

    /// <summary>Credits in a currency are increasing over 3 months (managers).</summary>
    Task CreditTrendIncreasing(Contracts.Credits.CurrencyCreditTrend trend);
}

/// <summary>
/// An incident update as sent to clients; <c>status</c> is <c>investigating</c>, <c>identified</c>, <c>monitoring</c> or
/// <c>resolved</c>; <c>by</c> names the staff member for staff and is null for the customer's own users (as in the API).
/// </summary>
public sealed record IncidentUpdateEvent(string IncidentId, string CustomerId, int Sequence, string Status, string Message, string? By, Instant At, bool Manual);

/// <summary>A monitor's status change as sent to clients; <c>health</c> is <c>up</c>, <c>down</c>, <c>maintenance</c> or <c>unknown</c>.</summary>
public sealed record MonitorStatusEvent(string MonitorId, string CustomerId, string ComponentName, bool IsDown, Instant At, string Health);

/// <summary>
/// The live feed (<c>/hubs/sla</c>). A connection joins its groups from its identity only: a customer user its
/// customer's; a technician its own and its team's tickets plus staff-wide status; managers and admins everything.
/// Clients send nothing; there is nothing to subscribe to by hand, so nothing to forge.
/// </summary>
[Authorize]
public sealed class SlaHub(TechnicianConnections technicians) : Hub<ISlaClient>
{
    /// <inheritdoc />
    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!);
        foreach (var group in GroupsOf(caller))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }

        if (caller.Role == UserRole.Technician && !caller.IngestionOnly)
        {
            technicians.Add(Context.ConnectionId, caller.Name, caller.Team);
        }

        await base.OnConnectedAsync();
    }

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        technicians.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    internal static IEnumerable<string> GroupsOf(Caller caller)
    {
        if (caller.IngestionOnly)
        {
            yield break;
        }

        if (caller.Role is UserRole.Admin or UserRole.Manager)
        {
            yield return LiveGroups.Managers;
            yield return LiveGroups.Staff;
            yield break;
        }

        if (caller.Role == UserRole.Technician)
        {
            // Ticket events reach technicians by connection (TechnicianConnections): a ticket of their team
            // assigned to them would otherwise arrive twice, once per group.
            yield return LiveGroups.Staff;
            yield break;
        }

        if (caller.CustomerId is { } customer)
        {
            yield return LiveGroups.Customer(customer);
        }
    }
}

/// <summary>Group names of the live feed.</summary>
internal static class LiveGroups
{
    public const string Managers = "managers";
    public const string Staff = "staff";

    public static string Customer(string id) => $"customer:{id}";

    /// <summary>Who sees a customer's tickets (technicians by connection) and disputes: the customer and managers.</summary>
    public static IReadOnlyList<string> ForCustomerAndManagers(string customerId) => [Customer(customerId), Managers];

    /// <summary>Who sees a customer's service status: the customer and all staff.</summary>
    public static IReadOnlyList<string> ForCustomerStatus(string customerId) => [Customer(customerId), Staff];
}

/// <summary>
/// The technicians connected to this silo's hub, so a ticket's events reach exactly the connections of its assignee
/// and its team's members, each once.
/// </summary>
public sealed class TechnicianConnections
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Name, string? Team)> _connections = new(StringComparer.Ordinal);

    internal void Add(string connectionId, string name, string? team) => _connections[connectionId] = (name, team);

    internal void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Connections of the assignee and of members of the team.</summary>
    public IReadOnlyList<string> For(string? team, string? assignee)
        => [.. _connections.Where(c => (team is not null && c.Value.Team == team) || (assignee is not null && string.Equals(c.Value.Name, assignee, StringComparison.OrdinalIgnoreCase))).Select(c => c.Key)];
}
