using Orleans.Storage;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Tickets;

namespace SlaGrains.Grains.Tests.Tickets;

/// <summary>The ticket's history is typed; state written by older versions (sentences only) still loads and reads first.</summary>
public sealed class TicketTypedHistoryTests(OneSiloClusterFixture fixture) : IClassFixture<OneSiloClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_ticket_stored_with_a_sentence_audit_loads_keeps_it_first_and_adds_typed_events_after_it()
    {
        var id = $"legacy-{Guid.NewGuid():N}";
        var openedAt = Instant.FromDateTimeOffset(DateTimeOffset.UtcNow).Minus(Duration.FromMinutes(5));
        var targets = new PriorityTargets(Duration.FromHours(4), Duration.FromHours(8), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);
        var opened = TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, targets), openedAt);
        var legacy = new TicketState
        {
            CustomerId = "acme",
            Subject = "Old ticket",
            Requester = "ana@example.com",
            CreatedAt = openedAt,
            Sla = opened.State,
            Audit = [.. opened.Events.Select(e => new AuditEntry(e.At, e.GetType().Name, null, e.Describe(), e.At))],
        };
        var storage = _cluster.KeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        await storage.WriteStateAsync("ticket", GrainId.Create("ticket", id), new GrainState<TicketState>(legacy));
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(id);

        var changed = await ticket.ChangeStatus(TicketStatus.OnHold);
        var replay = await ticket.GetAt(openedAt);

        Assert.True(changed.Accepted, changed.Rejection?.Message);
        var audit = changed.Ticket!.Audit;
        Assert.Equal(legacy.Audit, audit.Take(legacy.Audit.Count));
        Assert.Contains(audit.Skip(legacy.Audit.Count), a => a.Kind == nameof(StatusChanged) && a.Description == "Status New → OnHold: status changed");
        Assert.Equal("history-not-recorded", replay.Rejection?.Code);
    }
}
