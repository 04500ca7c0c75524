using System.Security.Cryptography;
using SlaGrains.Application.Integrations;
using static SlaGrains.Application.Tests.Integrations.SourceSamples;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>
/// Jira Service Management webhooks. Payloads written from https://developer.atlassian.com/cloud/jira/platform/webhooks/
/// (example payload, changelog, comment events); the signature from the same page's "Secure admin webhooks":
/// <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c>.
/// </summary>
public sealed class JiraSourceTests
{
    private static readonly Instant Now = At("2026-03-02T10:21:00Z");
    private readonly JiraSource _source = new();

    private static IntegrationRequest Signed(string file, string secret = Secret, string prefix = "sha256=")
    {
        var body = Bytes(file);
        var hex = Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(secret), body));
        return Request(body, Headers(("X-Hub-Signature", prefix + hex)));
    }

    [Fact]
    public void A_delivery_signed_with_the_secret_is_accepted()
        => Assert.Null(_source.VerifySignature(Signed("jira-issue-updated.json"), Secret, Now));

    [Fact]
    public void A_delivery_signed_with_another_secret_is_refused_saying_the_signature_does_not_match()
        => Assert.Contains("does not match", _source.VerifySignature(Signed("jira-issue-updated.json", secret: "another"), Secret, Now));

    [Fact]
    public void A_delivery_without_x_hub_signature_is_refused()
        => Assert.Contains("no X-Hub-Signature", _source.VerifySignature(Request(Bytes("jira-issue-updated.json")), Secret, Now));

    [Fact]
    public void A_signature_of_another_algorithm_is_refused()
        => Assert.Contains("sha256=", _source.VerifySignature(Signed("jira-issue-updated.json", prefix: "sha1="), Secret, Now));

    [Fact]
    public void An_issue_created_is_a_created_event_in_the_issue_s_project_at_the_webhook_s_timestamp()
    {
        var ev = Assert.Single(Events(_source, Request(Bytes("jira-issue-created.json"))));

        Assert.Equal(new ExternalTicketEvent(
            "created:10042", "ACME-42", TicketEventTypes.Created, At("2026-03-02T09:15:04Z"), Organisation: "ACME",
            Status: "Waiting for support", Priority: "High", Subject: "Printer on floor 2 is offline"), ev);
        Assert.Equal("open", _source.DefaultStatuses[ev.Status!]);
        Assert.Equal("p2", _source.DefaultPriorities[ev.Priority!]);
    }

    [Fact]
    public void An_issue_updated_becomes_one_event_per_status_and_priority_change_in_its_changelog()
    {
        var events = Events(_source, Request(Bytes("jira-issue-updated.json")));

        Assert.Equal(
            [("change:10321:status", TicketEventTypes.Status, "Waiting for customer", (string?)null), ("change:10321:priority", TicketEventTypes.Priority, null, "Highest")],
            events.Select(e => (e.EventId, e.Type, e.Status, e.Priority)));
        Assert.All(events, e => Assert.Equal(At("2026-03-02T10:20:00Z"), e.At));
        Assert.Equal("waitingOnCustomer", _source.DefaultStatuses["Waiting for customer"]);
    }

    [Fact]
    public void A_public_comment_by_the_customer_is_a_customer_reply_and_one_by_an_agent_an_agent_reply()
    {
        var customer = Assert.Single(Events(_source, Request(Bytes("jira-comment-created.json"))));
        var agent = Assert.Single(Events(_source, Request(Text("jira-comment-created.json")
            .Replace("\"accountId\": \"5b10a2844c20165700ede21g\", \"displayName\": \"Casey Customer\", \"accountType\": \"customer\"", "\"accountId\": \"5b10ac8d82e05b22cc7d4ef5\", \"accountType\": \"atlassian\"", StringComparison.Ordinal))));

        Assert.Equal(("comment:10500", TicketEventTypes.CustomerReply, At("2026-03-02T11:05:00Z")), (customer.EventId, customer.Type, customer.At));
        Assert.Equal(TicketEventTypes.AgentReply, agent.Type);
    }

    [Fact]
    public void An_internal_comment_moves_no_clock()
        => Assert.Empty(Events(_source, Request(Text("jira-comment-created.json").Replace("\"jsdPublic\": true", "\"jsdPublic\": false", StringComparison.Ordinal))));

    [Fact]
    public void A_replayed_delivery_gives_the_same_event_ids()
        => Assert.Equal(
            Events(_source, Request(Bytes("jira-issue-updated.json"))).Select(e => e.EventId),
            Events(_source, Request(Bytes("jira-issue-updated.json"))).Select(e => e.EventId));

    [Fact]
    public void A_timestamp_that_is_not_milliseconds_is_invalid_naming_the_path()
        => Assert.Contains("$.timestamp", Fields(_source, Request(Text("jira-issue-updated.json").Replace("1772446800000", "\"2026-03-02\"", StringComparison.Ordinal))));

    [Fact]
    public void A_status_change_without_the_new_status_is_invalid_naming_the_item()
        => Assert.Contains("$.changelog.items[0].toString", Fields(_source, Request(Text("jira-issue-updated.json").Replace("\"toString\": \"Waiting for customer\"", "\"toString\": null", StringComparison.Ordinal))));

    [Fact]
    public void An_issue_event_without_the_issue_key_is_invalid_naming_the_path()
        => Assert.Contains("$.issue.key", Fields(_source, Request(Text("jira-issue-created.json").Replace("\"key\": \"ACME-42\",", "", StringComparison.Ordinal))));
}
