using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tests.Serialization;

/// <summary>Issue 20 — incidents linked to tickets: the link event, the component's rule and the ticket's link survive both ways.</summary>
public sealed class IncidentTicketSurrogateTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 23, 11, 0);

    [Fact]
    public void A_link_event_behind_the_desk_event_base_round_trips_and_is_named_by_alias()
    {
        var recorded = new RecordedTicketEvent(null, new TicketIncidentLinked(At, "api-1", "db-2", "linked"), At, "ana");
        var text = System.Text.Encoding.UTF8.GetString(OrleansRoundTrip.Serializer.SerializeToArray(recorded));

        foreach (var (way, value) in OrleansRoundTrip.BothWays(recorded))
        {
            Assert.True(recorded == value, way);
        }

        Assert.Contains("slagrains.domain.ticket-incident-linked", text, StringComparison.Ordinal);
        Assert.Equal(("IncidentLinked", "Linked to incident db-2 instead of api-1: linked"), (recorded.ToAuditEntry().Kind, recorded.ToAuditEntry().Description));
    }

    [Fact]
    public void The_components_outage_ticket_rule_and_a_tickets_incident_round_trip()
    {
        var component = new Component("api", isCritical: true) { OpensTicketOnOutage = true };
        var customerComponent = CustomerComponent.From(component);
        var summary = new TicketSummary("T-1", "c", TicketPriority.P1, TicketStatus.New, "s", "r", null, null, false, At, null, null, ImmutableArray<ClockView>.Empty, At, 3, "api-1");

        foreach (var (way, value) in OrleansRoundTrip.BothWays(component))
        {
            Assert.True(value.OpensTicketOnOutage, way);
        }

        foreach (var (way, value) in OrleansRoundTrip.BothWays(customerComponent))
        {
            Assert.True(value == customerComponent && value.ToDomain() == component, way);
        }

        foreach (var (way, value) in OrleansRoundTrip.BothWays(summary))
        {
            Assert.True(value.IncidentId == "api-1", way);
        }
    }
}
