using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
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

    /// <summary>
    /// Whatever actions any rule set yields, the ticket flags management at most once, ends with the last reassignment's
    /// team and user, and the same actions delivered again change nothing (a redelivered alert adds no event).
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Any_rules_actions_applied_twice_change_the_ticket_once()
    {
        var action = Gen.OneOf(
            from team in Gen.Elements<string?>(null, "tier1", "tier2")
            from user in Gen.Elements<string?>(null, "erin", "otto")
            where team is not null || user is not null
            select (EscalationActionTriggered)new ReassignTriggered(Due, "move", "breached", new Assignment(team, user)),
            Gen.Constant<EscalationActionTriggered>(new EscalateToManagementTriggered(Due, "mgmt", "breached", "managers")),
            Gen.Constant<EscalationActionTriggered>(new NotifyTriggered(Due, "tell", "breached", "role:manager")),
            Gen.Constant<EscalationActionTriggered>(new WebhookTriggered(Due, "hook", "breached", "https://hooks.example.com/x")));
        var gen = from actions in Gen.ListOf(action)
                  from team in Gen.Elements<string?>(null, "network")
                  from escalated in Gen.Elements(false, true)
                  select (actions, desk: new TicketDesk(team, null, escalated));
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var events = TicketDesk.Decide(t.desk, t.actions, Due);
            var after = events.Aggregate(t.desk, TicketDesk.Apply);
            var last = t.actions.OfType<ReassignTriggered>().LastOrDefault();
            var expectedTeam = t.actions.OfType<ReassignTriggered>().Aggregate(t.desk.Team, (team, r) => r.To.Team ?? team);
            var expectedUser = t.actions.OfType<ReassignTriggered>().Aggregate(t.desk.Assignee, (user, r) => r.To.User ?? user);
            return events.OfType<TicketEscalatedToManagement>().Count() <= (t.desk.EscalatedToManagement ? 0 : 1)
                && after.EscalatedToManagement == (t.desk.EscalatedToManagement || t.actions.Any(a => a is EscalateToManagementTriggered))
                && (after.Team, after.Assignee) == (expectedTeam, expectedUser)
                && (last is null || after.Team is not null || after.Assignee is not null)
                && TicketDesk.Decide(after, t.actions.Where(a => a is not ReassignTriggered || a == last), Due).IsEmpty;
        });
    }
}
