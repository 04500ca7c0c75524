using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Server.Live;

/// <summary>
/// Carries this silo's view of the cluster-wide notifications to the SignalR clients connected here. Bursts are
/// coalesced: whatever arrives within <see cref="Window"/> goes out together, and of several changes to one ticket
/// only the latest view is sent (warnings, breaches and escalations are never dropped).
/// </summary>
internal sealed class LiveFeedBridge(ISlaNotifications notifications, IHubContext<SlaHub, ISlaClient> hub, TechnicianConnections technicians, ILogger<LiveFeedBridge> logger) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);
    private const int MaxBatch = 512;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = Channel.CreateUnbounded<SlaNotification>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var n in notifications.Subscribe(stoppingToken))
                    {
                        channel.Writer.TryWrite(n);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    channel.Writer.TryComplete();
                }
            },
            stoppingToken);

        var batch = new List<SlaNotification>(MaxBatch);
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Window, stoppingToken);
                while (batch.Count < MaxBatch && channel.Reader.TryRead(out var n))
                {
                    batch.Add(n);
                }

                await SendAsync(Coalesce(batch));
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }

        await pump;
    }

    /// <summary>Keeps the last change of each ticket in a batch, in arrival order otherwise.</summary>
    internal static IEnumerable<SlaNotification> Coalesce(IReadOnlyList<SlaNotification> batch)
    {
        var lastChange = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is TicketChanged changed)
            {
                lastChange[changed.Ticket.TicketId] = i;
            }
        }

        return batch.Where((n, i) => n is not TicketChanged changed || lastChange[changed.Ticket.TicketId] == i);
    }

    /// <summary>A ticket's customer and managers by group; its assignee's and team's technicians by connection.</summary>
    private Task Both(string customerId, string? team, string? assignee, Func<ISlaClient, Task> send)
        => Task.WhenAll(send(hub.Clients.Groups(LiveGroups.ForCustomerAndManagers(customerId))), send(hub.Clients.Clients(technicians.For(team, assignee))));

    /// <summary>Escalations are internal: managers, and the ticket's assignee and team; not the customer.</summary>
    private Task Internal(Contracts.Escalations.SlaAlert alert, Func<ISlaClient, Task> send)
        => Task.WhenAll(send(hub.Clients.Group(LiveGroups.Managers)), send(hub.Clients.Clients(technicians.For(alert.Team, alert.Assignee))));

    /// <summary>The update as a client sees it; a customer's users never see which staff member posted it.</summary>
    private static IncidentUpdateEvent UpdateEvent(Contracts.Incidents.IncidentUpdated updated, bool withAuthor)
    {
        var u = updated.Update;
        return new(u.IncidentId, u.CustomerId, u.Sequence, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(u.Status.ToString()), u.Message, withAuthor ? u.By : null, u.At, Manual: updated.MonitorId is null);
    }

    private async Task SendAsync(IEnumerable<SlaNotification> batch)
    {
        foreach (var n in batch)
        {
            try
            {
                await (n switch
                {
                    TicketChanged c => Both(c.Ticket.CustomerId, c.Ticket.Team, c.Ticket.Assignee, client => client.TicketClockChanged(c.Ticket)),
                    TicketAlerted { Alert.IsBreach: true } a => Both(a.Alert.CustomerId, a.Alert.Team, a.Alert.Assignee, client => client.TicketBreached(a.Alert)),
                    TicketAlerted a => Both(a.Alert.CustomerId, a.Alert.Team, a.Alert.Assignee, client => client.TicketWarning(a.Alert)),
                    EscalationRaised { Escalation.Actions.IsDefaultOrEmpty: true } => Task.CompletedTask,
                    EscalationRaised e => Internal(e.Escalation.Alert, client => client.EscalationRaised(e.Escalation)),
                    EscalationAcknowledged e => Internal(e.Escalation.Alert, client => client.EscalationAcknowledged(e.Escalation)),
                    BudgetAlertChanged b => hub.Clients.Group(LiveGroups.Managers).BudgetAlertChanged(b.Alert),
                    MonitorStatusChanged m => hub.Clients.Groups(LiveGroups.ForCustomerStatus(m.CustomerId))
                        .MonitorStatusChanged(new MonitorStatusEvent(m.MonitorId, m.CustomerId, m.ComponentName, m.IsDown, m.At, MonitorWords.Health(m.Health))),
                    IncidentOpened o => hub.Clients.Groups(LiveGroups.ForCustomerStatus(o.Incident.CustomerId)).IncidentOpened(o.Incident),
                    IncidentResolved r => hub.Clients.Groups(LiveGroups.ForCustomerStatus(r.Incident.CustomerId)).IncidentResolved(r.Incident),
                    Contracts.Incidents.IncidentUpdated u => Task.WhenAll(
                        hub.Clients.Group(LiveGroups.Staff).IncidentUpdated(UpdateEvent(u, withAuthor: true)),
                        hub.Clients.Group(LiveGroups.Customer(u.Update.CustomerId)).IncidentUpdated(UpdateEvent(u, withAuthor: false))),
                    CustomerStatusChanged s => hub.Clients.Groups(LiveGroups.ForCustomerStatus(s.Status.CustomerId)).CustomerStatusChanged(s.Status),
                    MonthCloseOverdueRaised o => hub.Clients.Group(LiveGroups.Managers).MonthCloseOverdue(o.Overdue),
                    Contracts.Credits.CreditNoticeIssued c => hub.Clients.Groups(LiveGroups.ForCustomerStatus(c.Notice.CustomerId)).CreditNoticeIssued(c.Notice),
                    Contracts.Credits.CreditDisputeChanged d => hub.Clients.Groups(LiveGroups.ForCustomerAndManagers(d.Dispute.CustomerId)).CreditDisputeChanged(d.Dispute),
                    Contracts.Credits.CreditTrendIncreasing t => hub.Clients.Group(LiveGroups.Managers).CreditTrendIncreasing(t.Trend),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Live feed: {Notification} not sent", n.GetType().Name);
            }
        }
    }
}
