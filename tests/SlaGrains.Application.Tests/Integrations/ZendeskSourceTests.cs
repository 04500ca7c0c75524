using SlaGrains.Application.Integrations;
using static SlaGrains.Application.Tests.Integrations.SourceSamples;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>
/// Zendesk webhooks. Payloads written from https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/;
/// the signature as https://developer.zendesk.com/documentation/webhooks/verifying/ describes it:
/// base64(HMAC-SHA256(secret, timestamp + body)).
/// </summary>
public sealed class ZendeskSourceTests
{
    private static readonly Instant Now = At("2026-03-02T10:03:00Z");
    private readonly ZendeskSource _source = new();

    private static IntegrationRequest Signed(string file, string secret = Secret, string timestamp = "2026-03-02T10:02:42Z")
    {
        var body = Bytes(file);
        var signature = Base64Hmac(Utf8(secret), Concat(Utf8(timestamp), body));
        return Request(body, Headers(("X-Zendesk-Webhook-Signature", signature), ("X-Zendesk-Webhook-Signature-Timestamp", timestamp)));
    }

    [Fact]
    public void A_delivery_signed_with_the_secret_is_accepted()
        => Assert.Null(_source.VerifySignature(Signed("zendesk-status-changed.json"), Secret, Now));

    [Fact]
    public void A_delivery_signed_with_another_secret_is_refused_saying_the_signature_does_not_match()
        => Assert.Contains("does not match", _source.VerifySignature(Signed("zendesk-status-changed.json", secret: "another"), Secret, Now));

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var signed = Signed("zendesk-status-changed.json");
        var tampered = signed with { Body = Utf8(Text("zendesk-status-changed.json").Replace("PENDING", "SOLVED", StringComparison.Ordinal)) };

        Assert.Contains("does not match", _source.VerifySignature(tampered, Secret, Now));
    }

    [Fact]
    public void A_delivery_without_the_signature_headers_is_refused()
        => Assert.Contains("X-Zendesk-Webhook-Signature", _source.VerifySignature(Request(Bytes("zendesk-status-changed.json")), Secret, Now));

    [Fact]
    public void A_validly_signed_delivery_older_than_five_minutes_is_refused_as_stale()
        => Assert.Contains("minutes old", _source.VerifySignature(Signed("zendesk-status-changed.json", timestamp: "2026-03-02T09:50:00Z"), Secret, Now));

    [Fact]
    public void A_source_without_a_configured_secret_refuses_every_delivery()
        => Assert.Contains("No signing secret", _source.VerifySignature(Signed("zendesk-status-changed.json"), null, Now));

    [Fact]
    public void A_ticket_created_event_is_a_created_event_dated_when_zendesk_created_the_ticket()
    {
        var ev = Assert.Single(Events(_source, Request(Bytes("zendesk-ticket-created.json"))));

        Assert.Equal(new ExternalTicketEvent(
            "2b24ef10-19d4-4740-93cf-8f98ec4776c0", "5158", TicketEventTypes.Created, At("2026-03-02T09:15:03Z"),
            Organisation: "8447346622462", Status: "NEW", Priority: "HIGH", Subject: "VPN keeps disconnecting"), ev);
    }

    [Fact]
    public void A_status_change_is_a_status_event_at_zendesk_s_time_with_the_new_status_which_the_defaults_map()
    {
        var ev = Assert.Single(Events(_source, Request(Bytes("zendesk-status-changed.json"))));

        Assert.Equal(TicketEventTypes.Status, ev.Type);
        Assert.Equal("cbe4028c-7239-495d-b020-f22348516046", ev.EventId);
        Assert.Equal(At("2026-03-02T10:02:41.67271703Z"), ev.At);
        Assert.Equal("PENDING", ev.Status);
        Assert.Equal("waitingOnCustomer", _source.DefaultStatuses[ev.Status!]);
        Assert.Equal("p2", _source.DefaultPriorities["HIGH"]);
    }

    [Fact]
    public void A_public_comment_by_staff_is_an_agent_reply_and_one_by_the_requester_a_customer_reply()
    {
        var staff = Text("zendesk-comment-added.json");
        var requester = staff.Replace("\"is_staff\": true", "\"is_staff\": false", StringComparison.Ordinal);

        Assert.Equal(TicketEventTypes.AgentReply, Assert.Single(Events(_source, Request(staff))).Type);
        Assert.Equal(TicketEventTypes.CustomerReply, Assert.Single(Events(_source, Request(requester))).Type);
    }

    [Fact]
    public void An_internal_note_moves_no_clock()
    {
        var note = Text("zendesk-comment-added.json").Replace("\"is_public\": true", "\"is_public\": false", StringComparison.Ordinal);

        Assert.Empty(Events(_source, Request(note)));
    }

    [Fact]
    public void A_trigger_body_for_an_update_applies_the_ticket_s_status_priority_and_assignment_at_its_update_time()
    {
        var events = Events(_source, Request(Bytes("zendesk-trigger-updated.json")));

        Assert.Equal([TicketEventTypes.Status, TicketEventTypes.Priority, TicketEventTypes.Assigned], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(At("2026-03-02T14:40:00Z"), e.At));
        Assert.Equal("Solved", events[0].Status);
        Assert.Equal("resolved", _source.DefaultStatuses[events[0].Status!]);
        Assert.Equal(("Network", "agent@msp.example"), (events[2].Team, events[2].Assignee));
    }

    [Fact]
    public void A_replayed_trigger_delivery_gives_the_same_event_ids_and_a_later_update_new_ones()
    {
        var first = Events(_source, Request(Bytes("zendesk-trigger-updated.json")));
        var replay = Events(_source, Request(Bytes("zendesk-trigger-updated.json")));
        var later = Events(_source, Request(Text("zendesk-trigger-updated.json").Replace("14:40Z", "15:10Z", StringComparison.Ordinal)));

        Assert.Equal(first.Select(e => e.EventId), replay.Select(e => e.EventId));
        Assert.Empty(first.Select(e => e.EventId).Intersect(later.Select(e => e.EventId)));
    }

    [Fact]
    public void A_payload_without_its_time_is_invalid_naming_the_path()
        => Assert.Contains("$.time", Fields(_source, Request(Text("zendesk-status-changed.json").Replace("\"time\":", "\"when\":", StringComparison.Ordinal))));

    [Fact]
    public void A_status_change_without_the_new_status_is_invalid_naming_the_path()
        => Assert.Contains("$.event.current", Fields(_source, Request(Text("zendesk-status-changed.json").Replace("\"current\": \"PENDING\",", "", StringComparison.Ordinal))));

    [Fact]
    public void A_trigger_body_with_an_unknown_event_is_invalid_naming_the_path()
        => Assert.Contains("$.event", Fields(_source, Request(Text("zendesk-trigger-updated.json").Replace("\"updated\"", "\"touched\"", StringComparison.Ordinal))));

    [Fact]
    public void A_body_that_is_not_json_is_invalid()
        => Assert.NotEmpty(Fields(_source, Request("{\"type\": ")));

    [Fact]
    public void Events_other_than_ticket_events_are_accepted_and_change_nothing()
        => Assert.Empty(Events(_source, Request("""{"type":"zen:event-type:user.active_changed","id":"x","time":"2026-03-02T10:00:00Z","detail":{"id":"1"}}""")));
}
