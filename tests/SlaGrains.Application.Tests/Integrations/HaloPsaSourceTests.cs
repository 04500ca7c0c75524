using SlaGrains.Application.Integrations;
using static SlaGrains.Application.Tests.Integrations.SourceSamples;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>
/// HaloPSA webhooks. Payloads written from https://usehalo.com/guide/webhook-integration/ (the ticket and action
/// objects, batching, Basic authentication) with the field names of Halo's API ticket and action objects.
/// </summary>
public sealed class HaloPsaSourceTests
{
    private const string Credentials = "slagrains:" + Secret;
    private static readonly Instant Now = At("2026-03-02T10:31:00Z");
    private readonly HaloPsaSource _source = new();

    private static IntegrationRequest WithAuthorization(string value)
        => Request(Bytes("halopsa-action-batch.json"), Headers(("Authorization", value)));

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Utf8(credentials));

    [Fact]
    public void A_delivery_with_the_configured_basic_credentials_is_accepted()
        => Assert.Null(_source.VerifySignature(WithAuthorization(Basic(Credentials)), Credentials, Now));

    [Fact]
    public void A_delivery_with_another_password_is_refused_saying_the_credentials_do_not_match()
        => Assert.Contains("do not match", _source.VerifySignature(WithAuthorization(Basic("slagrains:guess")), Credentials, Now));

    [Fact]
    public void A_delivery_without_authorization_is_refused()
        => Assert.Contains("no Authorization", _source.VerifySignature(Request(Bytes("halopsa-action-batch.json")), Credentials, Now));

    [Fact]
    public void A_bearer_token_is_not_basic_authentication_and_is_refused()
        => Assert.Contains("must be Basic", _source.VerifySignature(WithAuthorization("Bearer " + Secret), Credentials, Now));

    [Fact]
    public void A_new_ticket_is_created_when_it_occurred_read_as_utc_with_its_client_and_team()
    {
        var events = Events(_source, Request(Bytes("halopsa-ticket-logged.json")));

        Assert.Equal(new ExternalTicketEvent(
            "created:4711", "4711", TicketEventTypes.Created, At("2026-03-02T09:15:04Z"), Organisation: "12",
            Status: "New", Priority: "Medium", Subject: "New starter needs a laptop"), events[0]);
        Assert.Equal(("1st Line Support", (string?)null), (events[1].Team, events[1].Assignee));
        Assert.Equal("p3", _source.DefaultPriorities[events[0].Priority!]);
    }

    [Fact]
    public void A_batched_action_applies_the_ticket_as_it_stands_and_counts_a_visible_agent_note_as_an_agent_reply()
    {
        var events = Events(_source, Request(Bytes("halopsa-action-batch.json")));

        Assert.Equal(
            [TicketEventTypes.Status, TicketEventTypes.Priority, TicketEventTypes.Assigned, TicketEventTypes.AgentReply],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(At("2026-03-02T10:30:00Z"), e.At));
        Assert.Equal("waitingOnCustomer", _source.DefaultStatuses[events[0].Status!]);
        Assert.Equal("action:4711:3:agentReply", events[3].EventId);
    }

    [Fact]
    public void A_visible_note_from_the_user_is_a_customer_reply_and_a_hidden_one_no_reply()
    {
        var fromUser = Text("halopsa-action-batch.json").Replace("\"who_agentid\": 7", "\"who_agentid\": 0", StringComparison.Ordinal);
        var hidden = Text("halopsa-action-batch.json").Replace("\"hiddenfromuser\": false", "\"hiddenfromuser\": true", StringComparison.Ordinal);

        Assert.Equal(TicketEventTypes.CustomerReply, Events(_source, Request(fromUser))[^1].Type);
        Assert.DoesNotContain(Events(_source, Request(hidden)), e => e.Type is TicketEventTypes.AgentReply or TicketEventTypes.CustomerReply);
    }

    [Fact]
    public void A_batch_entry_without_its_ticket_is_invalid_naming_its_index()
        => Assert.Contains("$[1].ticket", Fields(_source, Request("[" + Text("halopsa-ticket-logged.json") + ", {\"action\": {}}]")));

    [Fact]
    public void An_action_without_its_time_is_invalid_naming_the_path()
        => Assert.Contains("$[0].action.datetime", Fields(_source, Request(Text("halopsa-action-batch.json").Replace("\"datetime\"", "\"when\"", StringComparison.Ordinal))));
}
