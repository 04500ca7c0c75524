using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>What tickets of a customer get, and how a tier change reaches open tickets.</summary>
public sealed class CustomerTermsTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task TermsFor_gives_the_tier_targets_in_the_customer_calendar()
    {
        var customer = Customer();
        var calendar = BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("09:00", "17:00"));
        await customer.SetCalendar(calendar);
        await customer.SetTier(Tier("Gold", resolution: Duration.FromHours(8)));

        var terms = await customer.TermsFor(TicketPriority.P2);

        Assert.True(terms.Accepted);
        Assert.Equal(Tier("Gold", Duration.FromHours(8)).For(TicketPriority.P2).For(calendar), terms.Terms!.Targets);
        Assert.Equal(calendar, terms.Terms.Targets.Resolution.Calendar);
        Assert.Equal(SlaClockOptions.Default, terms.Terms.Options);
    }

    [Fact]
    public async Task An_override_changes_the_targets_of_its_priority_only()
    {
        var customer = Customer();
        await customer.SetCalendar(BusinessCalendar.AlwaysOpen);
        await customer.SetTier(Tier("Gold", resolution: Duration.FromHours(8)));

        await customer.SetOverride(TicketPriority.P1, new PriorityTargets(Duration.FromMinutes(15), Duration.FromHours(2), coverage: CoverageHours.AroundTheClock));
        var p1 = await customer.TermsFor(TicketPriority.P1);
        var p2 = await customer.TermsFor(TicketPriority.P2);

        Assert.Equal(Duration.FromHours(2), p1.Terms!.Targets.Resolution.Target);
        Assert.Equal(Duration.FromMinutes(15), p1.Terms.Targets.FirstResponse.Target);
        Assert.Equal(Duration.FromHours(8), p2.Terms!.Targets.Resolution.Target);
        Assert.Equal("Gold (custom)", (await customer.Get())!.Policy!.Name);

        await customer.ClearOverride(TicketPriority.P1);
        Assert.Equal(Duration.FromHours(8), (await customer.TermsFor(TicketPriority.P1)).Terms!.Targets.Resolution.Target);
    }

    [Fact]
    public async Task TermsFor_without_a_tier_is_rejected()
    {
        var terms = await Customer().TermsFor(TicketPriority.P1);

        Assert.Equal("customer-not-configured", terms.Rejection!.Code);
    }

    [Fact]
    public async Task A_tier_change_retargets_the_customers_open_ticket_found_in_its_index_keeping_its_elapsed_time()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        await customer.SetCalendar(BusinessCalendar.AlwaysOpen);
        await customer.SetTier(Tier("Silver", resolution: Duration.FromHours(8)));
        var terms = (await customer.TermsFor(TicketPriority.P1)).Terms!;
        var ticketId = $"ticket-{Guid.NewGuid():N}";
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(ticketId);
        var created = await ticket.Create(new NewTicket(id, TicketPriority.P1, "Checkout fails", "ana@example.com", "payments", null, terms.Targets, terms.Options));
        var before = Resolution((await ticket.Get())!);

        await customer.SetTier(Tier("Gold", resolution: Duration.FromHours(4)));
        var after = await ticket.Get();

        Assert.True(created.Accepted, created.Rejection?.Message);
        Assert.Equal(Duration.FromHours(8), before.Target);
        Assert.Equal(Duration.FromHours(4), Resolution(after!).Target);
        Assert.True(Resolution(after!).Elapsed >= before.Elapsed, $"elapsed went from {before.Elapsed} to {Resolution(after!).Elapsed}");
        Assert.Contains(after!.Audit, a => a.Kind == nameof(ClockRetargeted) && a.Metric == SlaMetric.Resolution);
        Assert.Equal([ticketId], (await customer.Get())!.OpenTickets.ToArray());
    }

    [Fact]
    public async Task A_closed_ticket_is_not_retargeted()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        await customer.SetCalendar(BusinessCalendar.AlwaysOpen);
        await customer.SetTier(Tier("Silver", resolution: Duration.FromHours(8)));
        var terms = (await customer.TermsFor(TicketPriority.P1)).Terms!;
        var ticketId = $"ticket-{Guid.NewGuid():N}";
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(ticketId);
        await ticket.Create(new NewTicket(id, TicketPriority.P1, "Slow search", "ana@example.com", null, null, terms.Targets, terms.Options));
        await ticket.Resolve();
        await ticket.Close();

        await customer.SetTier(Tier("Gold", resolution: Duration.FromHours(4)));

        Assert.Equal(Duration.FromHours(8), Resolution((await ticket.Get())!).Target);
    }

    private ICustomerGrain Customer() => _cluster.Grains.GetGrain<ICustomerGrain>($"customer-{Guid.NewGuid():N}");

    private static ClockView Resolution(TicketView ticket) => ticket.Clocks.Single(c => c.Metric == SlaMetric.Resolution);

    private static SlaPolicy Tier(string name, Duration resolution) => new(name, Enum.GetValues<TicketPriority>().ToDictionary(
        p => p,
        p => new PriorityTargets(Duration.FromHours(1), resolution, coverage: p == TicketPriority.P1 ? CoverageHours.AroundTheClock : CoverageHours.BusinessHours)));
}
