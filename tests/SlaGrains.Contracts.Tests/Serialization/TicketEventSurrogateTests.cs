using SlaGrains.Domain.Tickets;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

/// <summary>An audit trail as a grain would persist it: the events behind the abstract base type.</summary>
[GenerateSerializer, Alias("slagrains.tests.audit-trail")]
public sealed class AuditTrail
{
    [Id(0)] public List<TicketSlaEvent> Events { get; init; } = [];

    [Id(1)] public TicketSlaEvent? Last { get; init; }
}

public sealed class TicketEventSurrogateTests
{
    [Fact]
    public void The_scripted_ticket_produces_every_kind_of_event()
    {
        var (_, events) = TicketSurrogateTests.MidFlightTicket();
        var concrete = typeof(TicketSlaEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(TicketSlaEvent)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order();
        Assert.Equal(concrete, events.Select(e => e.GetType().Name).Distinct().Order());
    }

    [Fact]
    public void Every_event_round_trips_on_its_own()
    {
        var (_, events) = TicketSurrogateTests.MidFlightTicket();
        foreach (var @event in events)
        {
            foreach (var (way, copy) in BothWays(@event))
            {
                Assert.True(@event.Equals(copy), $"{way}: {@event} came back as {copy}");
                Assert.Equal(@event.Describe(), copy.Describe());
            }
        }
    }

    [Fact]
    public void A_list_of_events_typed_as_the_abstract_base_round_trips_in_order()
    {
        var (_, events) = TicketSurrogateTests.MidFlightTicket();
        var trail = new AuditTrail { Events = [.. events], Last = events[^1] };

        foreach (var (way, copy) in BothWays(trail))
        {
            Assert.True(events.SequenceEqual(copy.Events), way);
            Assert.Equal(events.Select(e => e.GetType()), copy.Events.Select(e => e.GetType()));
            Assert.Equal(events[^1], copy.Last);
        }
    }

    [Fact]
    public void Events_behind_the_base_type_are_named_on_the_wire_by_alias_not_by_their_dotnet_type_name()
    {
        var (_, events) = TicketSurrogateTests.MidFlightTicket();
        var text = System.Text.Encoding.UTF8.GetString(Serializer.SerializeToArray(new AuditTrail { Events = [.. events] }));

        Assert.DoesNotContain("SlaGrains.Domain", text, StringComparison.Ordinal);
        Assert.Contains("slagrains.domain.clock-retargeted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Replaying_read_back_events_rebuilds_the_same_ticket()
    {
        var (states, events) = TicketSurrogateTests.MidFlightTicket();
        var replayed = TicketSla.Fold(null, ThroughBytes(events.ToList()))!;
        TicketSurrogateTests.AssertSameSla(states[^1], replayed, "replayed from read-back events");
    }
}
