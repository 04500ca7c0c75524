using Microsoft.Extensions.Logging.Abstractions;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Tests.Customers;
using SlaGrains.Grains.Tickets;

namespace SlaGrains.Grains.Tests.Tickets;

/// <summary>
/// Issue 20 — incidents linked to tickets, on a real two-silo cluster with SQLite storage: an outage of a critical
/// component set to open a ticket opens exactly one P1 ticket per incident, however often the opening is handed over
/// again; a component not set so opens none; links are kept in the ticket's state and its row.
/// </summary>
public sealed class OutageTicketTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task An_outage_opens_one_P1_ticket_linked_to_its_incident_and_handing_it_over_again_opens_nothing_twice()
    {
        var (customer, monitorId) = await CustomerWithComponentAsync(opensTicket: true);
        var monitor = await ConfigureAsync(monitorId, customer);
        var t0 = SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(5);

        await monitor.Ingest(CheckResult.Down(t0));
        await monitor.Ingest(CheckResult.Down(t0 + Duration.FromMinutes(1)));
        var incident = Assert.Single(await monitor.GetIncidents(10)).IncidentId;
        var ticketId = OutageTickets.TicketIdFor(incident);

        // A retried hand-over (a failed webhook, a restart) runs the opening again: the ticket is there, nothing changes.
        var again = await OutageTicketOpener.OpenAsync(_cluster.Grains, customer, monitorId, incident, "API", NullLogger.Instance);
        var view = await _cluster.Grains.GetGrain<ITicketGrain>(ticketId).Get();
        var rows = await _cluster.Service<ITicketReadModel>().ListAsync(new TicketListQuery { Customers = [customer], IncidentId = incident, Now = SystemClock.Instance.GetCurrentInstant() });

        Assert.Equal(ticketId, again);
        Assert.NotNull(view);
        Assert.Equal((TicketPriority.P1, incident, "Outage: API is down"), (view.Priority, view.IncidentId, view.Subject));
        Assert.Single(view.Audit, a => a.Kind == nameof(TicketOpened));
        Assert.Single(view.Audit, a => a.Kind == "IncidentLinked" && a.By == OutageTickets.Requester);
        Assert.Equal(ClockState.Running, view.Clocks.Single(c => c.Metric == SlaMetric.FirstResponse).State);
        var row = Assert.Single(rows.Items);
        Assert.Equal((ticketId, incident), (row.TicketId, row.IncidentId));
    }

    [Fact]
    public async Task A_component_not_set_to_open_tickets_opens_none_and_the_opening_says_so()
    {
        var (customer, monitorId) = await CustomerWithComponentAsync(opensTicket: false);
        var monitor = await ConfigureAsync(monitorId, customer);

        await monitor.Ingest(CheckResult.Down(SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(5)));
        var incident = Assert.Single(await monitor.GetIncidents(10)).IncidentId;
        var opened = await OutageTicketOpener.OpenAsync(_cluster.Grains, customer, monitorId, incident, "API", NullLogger.Instance);

        Assert.Null(opened);
        Assert.Null(await _cluster.Grains.GetGrain<ITicketGrain>(OutageTickets.TicketIdFor(incident)).Get());
    }

    [Fact]
    public async Task A_link_survives_the_tickets_deactivation_and_an_unlink_is_stored_too()
    {
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>($"ticket-{Guid.NewGuid():N}");
        var (customer, _) = await CustomerWithComponentAsync(opensTicket: false);
        var terms = (await _cluster.Grains.GetGrain<ICustomerGrain>(customer).TermsFor(TicketPriority.P2)).Terms!;
        await ticket.Create(new NewTicket(customer, TicketPriority.P2, "Slow", "ana", null, null, terms.Targets, terms.Options, "api-1"));

        var relinked = await ticket.LinkIncident("db-2");
        var same = await ticket.LinkIncident("db-2");
        await _cluster.Grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var read = await ticket.Get();
        var unlinked = await ticket.LinkIncident(null);

        Assert.Equal("db-2", relinked.Ticket!.IncidentId);
        Assert.Equal(relinked.Ticket.Audit.Length, same.Ticket!.Audit.Length);
        Assert.Equal("db-2", read!.IncidentId);
        Assert.Null(unlinked.Ticket!.IncidentId);
        Assert.Equal(["IncidentLinked", "IncidentLinked", "IncidentUnlinked"], unlinked.Ticket.Audit.Where(a => a.Kind.StartsWith("Incident", StringComparison.Ordinal)).Select(a => a.Kind));
    }

    private async Task<(string Customer, string Monitor)> CustomerWithComponentAsync(bool opensTicket)
    {
        var (customer, monitorId) = ($"customer-{Guid.NewGuid():N}", $"monitor-{Guid.NewGuid():N}");
        var grain = _cluster.Grains.GetGrain<ICustomerGrain>(customer);
        await grain.SetCalendar(BusinessCalendar.AlwaysOpen);
        await grain.SetTier(new SlaPolicy("Gold", Enum.GetValues<TicketPriority>().ToDictionary(p => p, _ => new PriorityTargets(Duration.FromHours(1), Duration.FromHours(8)))));
        var set = await grain.SetComponents([new CustomerComponent(monitorId, IsCritical: true, OpenTicketOnOutage: opensTicket)]);
        Assert.True(set.Accepted, set.Rejection?.Message);
        return (customer, monitorId);
    }

    private async Task<IMonitorGrain> ConfigureAsync(string monitorId, string customer)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var configured = await monitor.Configure(new MonitorSettings(customer, "API", true, 1, 99.95m, []));
        Assert.True(configured.Accepted, configured.Rejection?.Message);
        return monitor;
    }
}
