using FsCheck.Xunit;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Tests.Tickets;

/// <summary>
/// Issue 20 — incidents linked to tickets: the link as a desk event (audited, replayed, idempotent), the rule that opens
/// one P1 ticket per outage of a critical component that asks for it, and the SLA-related ticket rate.
/// </summary>
public class IncidentLinkTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 23, 11, 0);

    [Fact]
    public void Linking_unlinking_and_relinking_are_desk_events_with_sentences_and_the_same_link_again_makes_none()
    {
        var desk = new TicketDesk("network", "otto", false);

        var linked = TicketDesk.LinkIncident(desk, "api-1", At, "linked");
        var afterLink = linked.Aggregate(desk, TicketDesk.Apply);
        var again = TicketDesk.LinkIncident(afterLink, "api-1", At + Duration.FromMinutes(1), "linked");
        var moved = TicketDesk.LinkIncident(afterLink, "db-3", At + Duration.FromMinutes(2), "linked");
        var afterMove = moved.Aggregate(afterLink, TicketDesk.Apply);
        var unlinked = TicketDesk.LinkIncident(afterMove, null, At + Duration.FromMinutes(3), "unlinked");
        var afterUnlink = unlinked.Aggregate(afterMove, TicketDesk.Apply);

        Assert.Equal(new TicketDesk("network", "otto", false, "api-1"), afterLink);
        Assert.Empty(again);
        Assert.Equal("db-3", afterMove.IncidentId);
        Assert.Null(afterUnlink.IncidentId);
        Assert.Empty(TicketDesk.LinkIncident(afterUnlink, " ", At, "unlinked"));
        Assert.Equal(
            ["Linked to incident api-1: linked", "Linked to incident db-3 instead of api-1: linked", "Unlinked from incident db-3: unlinked"],
            linked.Concat(moved).Concat(unlinked).Select(e => e.Describe()));
    }

    [Fact]
    public void Replaying_the_desk_gives_the_incident_the_ticket_was_linked_to_at_each_instant()
    {
        TicketDeskEvent[] events =
        [
            new TicketIncidentLinked(At, null, "api-1", "opened for the incident"),
            new TicketIncidentLinked(At + Duration.FromHours(1), "api-1", null, "unlinked"),
        ];
        var current = new TicketDesk(null, null, false, null);

        Assert.Null(TicketReplay.DeskAt(current, events, At - Duration.FromSeconds(1)).IncidentId);
        Assert.Equal("api-1", TicketReplay.DeskAt(current, events, At).IncidentId);
        Assert.Null(TicketReplay.DeskAt(current, events, At + Duration.FromHours(2)).IncidentId);
        Assert.Equal("kept", TicketReplay.DeskAt(current with { IncidentId = "kept" }, [], At).IncidentId);
    }

    [Fact]
    public void An_outage_of_a_critical_component_that_asks_for_it_opens_a_P1_ticket_named_after_it_and_nothing_else_does()
    {
        var asks = new Component("api", isCritical: true) { OpensTicketOnOutage = true };

        var ticket = OutageTickets.Decide(asks, "api-7", "Payments API", duringMaintenance: false);

        Assert.Equal(new OutageTicket("outage.api-7", TicketPriority.P1, "Outage: Payments API is down", "api-7"), ticket);
        Assert.Equal("Outage: api is down", OutageTickets.Decide(asks, "api-7", null, duringMaintenance: false)!.Subject);
        Assert.Null(OutageTickets.Decide(new Component("api", isCritical: true), "api-7", "Payments API", duringMaintenance: false));
        Assert.Null(OutageTickets.Decide(new Component("api", isCritical: false) { OpensTicketOnOutage = true }, "api-7", "Payments API", duringMaintenance: false));
        Assert.Null(OutageTickets.Decide(asks, "api-7", "Payments API", duringMaintenance: true));
    }

    [Fact]
    public void The_outage_tickets_id_is_the_incidents_so_a_retry_finds_it_and_a_long_incident_id_is_hashed_within_64_characters()
    {
        var longIncident = $"{new string('m', 64)}-12";

        Assert.Equal("outage.api-7", OutageTickets.TicketIdFor("api-7"));
        Assert.NotEqual(OutageTickets.TicketIdFor("api-7"), OutageTickets.TicketIdFor("api-8"));
        Assert.Matches("^outage\\.[0-9a-f]{40}$", OutageTickets.TicketIdFor(longIncident));
        Assert.Equal(47, OutageTickets.TicketIdFor(longIncident).Length);
        Assert.StartsWith("outage.", OutageTickets.TicketIdFor(longIncident), StringComparison.Ordinal);
        Assert.NotEqual(OutageTickets.TicketIdFor(longIncident), OutageTickets.TicketIdFor($"{new string('m', 64)}-13"));
    }

    [Fact]
    public void The_sla_related_ticket_rate_is_linked_over_opened_in_percent_to_two_decimals_and_none_without_tickets()
    {
        Assert.Null(SlaRelatedTicketRate.Percent(0, 0));
        Assert.Equal(33.33m, SlaRelatedTicketRate.Percent(3, 1));
        Assert.Equal(66.67m, SlaRelatedTicketRate.Percent(3, 2));
        Assert.Equal(100m, SlaRelatedTicketRate.Percent(4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaRelatedTicketRate.Percent(1, 2));
    }

    [Property(MaxTest = 200)]
    public bool The_rate_stays_between_0_and_100_and_grows_with_the_linked_tickets(byte openedSeed, byte linkedSeed)
    {
        var opened = openedSeed + 1;
        var linked = linkedSeed % (opened + 1);
        var rate = SlaRelatedTicketRate.Percent(opened, linked)!.Value;
        var more = linked < opened ? SlaRelatedTicketRate.Percent(opened, linked + 1)!.Value : rate;
        return rate is >= 0m and <= 100m && more >= rate;
    }
}
