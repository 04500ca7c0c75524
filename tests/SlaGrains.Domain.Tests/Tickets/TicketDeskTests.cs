using SlaGrains.Domain.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Tests.Tickets;

public class TicketDeskTests
{
    private static readonly Instant Due = Instant.FromUtc(2026, 11, 23, 11, 0);

    [Fact]
    public void A_breach_rule_that_reassigns_and_escalates_becomes_two_ticket_events_and_a_notification_none()
    {
        var desk = new TicketDesk("network", "otto", false);
        EscalationActionTriggered[] actions =
        [
            new NotifyTriggered(Due, "tell", "breached", "role:manager"),
            new ReassignTriggered(Due, "move", "breached (rule move)", new Assignment(null, "erin")),
            new EscalateToManagementTriggered(Due, "mgmt", "breached (rule mgmt)", "managers"),
        ];

        var events = TicketDesk.Decide(desk, actions, Due);
        var after = events.Aggregate(desk, TicketDesk.Apply);

        Assert.Equal(new TicketDesk("network", "erin", true), after);
        Assert.Equal(
            ["Reassigned from otto (team network) to erin (team network): breached (rule move)", "Escalated to management (managers): breached (rule mgmt)"],
            events.Select(e => e.Describe()));
    }

    [Fact]
    public void A_ticket_already_escalated_and_assigned_so_makes_no_event_when_the_rule_fires_again()
    {
        var desk = new TicketDesk("tier2", "erin", true);
        EscalationActionTriggered[] actions =
        [
            new ReassignTriggered(Due, "move", "again", new Assignment("tier2", "erin")),
            new EscalateToManagementTriggered(Due, "mgmt", "again", "managers"),
        ];

        Assert.Empty(TicketDesk.Decide(desk, actions, Due));
    }

    [Fact]
    public void Two_escalations_in_one_turn_flag_the_ticket_once()
    {
        EscalationActionTriggered[] actions =
        [
            new EscalateToManagementTriggered(Due, "warn-mgmt", "warned", "managers"),
            new EscalateToManagementTriggered(Due, "breach-mgmt", "breached", "directors"),
        ];

        Assert.Single(TicketDesk.Decide(TicketDesk.Unassigned, actions, Due));
    }
}
