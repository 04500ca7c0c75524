using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SlaGrains.Application.Integrations;
using static SlaGrains.Application.Tests.Integrations.SourceSamples;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>
/// ConnectWise PSA ticket callbacks. Payloads written from ConnectWise's "PSA Callbacks" page
/// (https://developer.connectwise.com/Best_Practices/PSA_Callbacks) and the Service Ticket model; the signature is
/// <c>x-content-signature</c> = base64(HMAC-SHA256(SHA-256(signing key), body)), the key being the one served at
/// <c>Metadata.key_url</c>, configured as the source's secret.
/// </summary>
public sealed class ConnectWiseSourceTests
{
    private static readonly Instant Now = At("2026-03-02T10:41:00Z");
    private readonly ConnectWiseSource _source = new();

    private static IntegrationRequest Signed(string file, string key = Secret)
    {
        var body = Bytes(file);
        var signature = Base64Hmac(SHA256.HashData(Utf8(key)), body);
        return Request(body, Headers(("x-content-signature", signature)));
    }

    private static string WithEntity(string file, Action<JsonObject> change)
    {
        var callback = JsonNode.Parse(Text(file))!.AsObject();
        var entity = JsonNode.Parse(callback["Entity"]!.GetValue<string>())!.AsObject();
        change(entity);
        callback["Entity"] = entity.ToJsonString();
        return callback.ToJsonString();
    }

    [Fact]
    public void A_callback_signed_with_the_signing_key_is_accepted()
        => Assert.Null(_source.VerifySignature(Signed("connectwise-ticket-updated.json"), Secret, Now));

    [Fact]
    public void A_callback_signed_with_another_key_is_refused_saying_the_signature_does_not_match()
        => Assert.Contains("does not match", _source.VerifySignature(Signed("connectwise-ticket-updated.json", key: "rotated"), Secret, Now));

    [Fact]
    public void A_callback_without_x_content_signature_is_refused()
        => Assert.Contains("x-content-signature", _source.VerifySignature(Request(Bytes("connectwise-ticket-updated.json")), Secret, Now));

    [Fact]
    public void An_added_ticket_is_created_at_its_entry_date_with_the_company_s_identifier_then_assigned_to_its_team()
    {
        var events = Events(_source, Request(Bytes("connectwise-ticket-added.json")));

        Assert.Equal([TicketEventTypes.Created, TicketEventTypes.Assigned], events.Select(e => e.Type));
        Assert.Equal(new ExternalTicketEvent(
            "6f1d6c1e-7d0a-4b8e-9d3c-1a2b3c4d5e6f:created", "210345", TicketEventTypes.Created, At("2026-03-02T09:15:04Z"),
            Organisation: "AcmeCorp", Status: "New", Priority: "Priority 2 - Quick Response", Subject: "Email not syncing on CEO's phone"), events[0]);
        Assert.Equal("Service Team", events[1].Team);
        Assert.Equal("p2", _source.DefaultPriorities[events[0].Priority!]);
    }

    [Fact]
    public void An_updated_ticket_applies_its_status_priority_and_owner_as_of_its_last_update()
    {
        var events = Events(_source, Request(Bytes("connectwise-ticket-updated.json")));

        Assert.Equal([TicketEventTypes.Status, TicketEventTypes.Priority, TicketEventTypes.Assigned], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(At("2026-03-02T10:40:12Z"), e.At));
        Assert.Equal("waitingOnCustomer", _source.DefaultStatuses[events[0].Status!]);
        Assert.Equal("p1", _source.DefaultPriorities[events[1].Priority!]);
        Assert.Equal(("Service Team", "jsmith"), (events[2].Team, events[2].Assignee));
        Assert.Equal("0c9a8b7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d:status", events[0].EventId);
    }

    [Fact]
    public void Without_a_message_id_a_replay_gives_the_same_event_ids_and_a_later_update_new_ones()
    {
        var callback = JsonNode.Parse(Text("connectwise-ticket-updated.json"))!.AsObject();
        callback.Remove("MessageId");
        var later = JsonNode.Parse(WithEntity("connectwise-ticket-updated.json", e => e["_info"]!["lastUpdated"] = "2026-03-02T11:00:00Z"))!.AsObject();
        later.Remove("MessageId");

        var first = Events(_source, Request(callback.ToJsonString())).Select(e => e.EventId).ToList();
        var replay = Events(_source, Request(callback.ToJsonString())).Select(e => e.EventId).ToList();
        var next = Events(_source, Request(later.ToJsonString())).Select(e => e.EventId).ToList();

        Assert.Equal(first, replay);
        Assert.Empty(first.Intersect(next));
    }

    [Fact]
    public void An_entity_that_is_not_json_is_invalid_naming_the_entity()
    {
        var callback = JsonNode.Parse(Text("connectwise-ticket-updated.json"))!.AsObject();
        callback["Entity"] = "{\"id\": 210345, \"status\": ";

        Assert.Contains("$.Entity", Fields(_source, Request(callback.ToJsonString())));
    }

    [Fact]
    public void An_entity_without_its_last_update_time_is_invalid_naming_the_path()
        => Assert.Contains("$.Entity._info.lastUpdated", Fields(_source, Request(WithEntity("connectwise-ticket-updated.json", e => e.Remove("_info")))));

    [Fact]
    public void An_unknown_action_is_invalid_naming_the_path()
        => Assert.Contains("$.Action", Fields(_source, Request(Text("connectwise-ticket-updated.json").Replace("\"updated\"", "\"merged\"", StringComparison.Ordinal))));

    [Fact]
    public void Callbacks_for_other_records_are_accepted_and_change_nothing()
        => Assert.Empty(Events(_source, Request(Text("connectwise-ticket-updated.json").Replace("\"Type\": \"ticket\"", "\"Type\": \"company\"", StringComparison.Ordinal))));
}
