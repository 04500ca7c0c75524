using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Channels;

namespace SlaGrains.Grains.Tests.Channels;

/// <summary>Who an escalation's notify targets reach, and the message ids that make each notice once.</summary>
public sealed class EscalationNoticesTests
{
    private static readonly Instant At = Instant.FromUtc(2030, 5, 6, 9, 30);

    private static readonly UserAccount[] Users =
    [
        new("Morgan.Lee", "h", UserRole.Manager, null, null, Email: "morgan@example.test"),
        new("quiet", "h", UserRole.Manager, null, null),
        new("ana", "h", UserRole.Technician, null, "network", Email: "ana@example.test"),
        new("boss", "h", UserRole.Admin, null, null, Email: "boss@example.test"),
        new("acme-it", "h", UserRole.Customer, "acme", null, Email: "it@acme.test"),
        new("other-it", "h", UserRole.Customer, "globex", null, Email: "it@globex.test"),
    ];

    private static EscalationView Escalation { get; } = new(
        "T-7/Resolution/100/1",
        new SlaAlert("T-7", "acme", SlaMetric.Resolution, 100, 1, At, At, TicketPriority.P1, "network", "ana"),
        ["notify role:manager"],
        At,
        null,
        null);

    [Fact]
    public void A_role_reaches_the_users_of_that_role_who_have_an_address()
    {
        var messages = EscalationNotices.Messages(Escalation, ["role:manager"], Users, "Printer on fire");

        var message = Assert.Single(messages);
        Assert.Equal((ChannelKind.Email, "morgan@example.test", "acme"), (message.Channel, message.Target, message.CustomerId));
        Assert.Equal("esc:T-7/Resolution/100/1:email:morgan.lee", message.MessageId);
        var model = MessageTemplates.Deserialize<EscalationNoticeModel>(message.Model);
        Assert.Equal(("T-7", "resolution", 100, "P1", "Printer on fire", "Morgan.Lee"), (model.TicketId, model.Metric, model.Percent, model.Priority, model.Subject, model.Recipient));
        Assert.Equal(At, model.DueAt);
    }

    [Fact]
    public void The_customer_role_reaches_only_that_customers_own_users()
    {
        var messages = EscalationNotices.Messages(Escalation, ["role:customer"], Users, null);

        Assert.Equal(["it@acme.test"], messages.Select(m => m.Target));
    }

    [Fact]
    public void A_rule_naming_another_customers_user_tells_them_nothing()
    {
        var messages = EscalationNotices.Messages(Escalation, ["user:other-it", "user:acme-it"], Users, null);

        Assert.Equal(["it@acme.test"], messages.Select(m => m.Target));
    }

    [Fact]
    public void A_person_named_by_user_team_and_role_gets_one_message()
    {
        var messages = EscalationNotices.Messages(Escalation, ["user:ana", "team:NETWORK", "role:technician", "user:nobody"], Users, null);

        Assert.Equal(["ana@example.test"], messages.Select(m => m.Target));
    }

    [Fact]
    public void Slack_and_Teams_targets_are_one_message_each_keyed_by_the_escalation_and_the_URL()
    {
        var messages = EscalationNotices.Messages(Escalation, ["slack:https://hooks.slack.com/services/T/B/1", "teams:https://x.webhook.office.com/w/1", "slack:https://hooks.slack.com/services/T/B/1", "slack:not-a-url"], Users, null);

        Assert.Equal([ChannelKind.Slack, ChannelKind.Teams], messages.Select(m => m.Channel).Order());
        Assert.All(messages, m => Assert.StartsWith($"esc:{Escalation.EscalationId}:{OutboxKeys.Of(m.Channel)}:", m.MessageId, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.MessageId.Contains("hooks.slack.com", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_escalation_handed_over_again_makes_the_same_message_ids()
    {
        var first = EscalationNotices.Messages(Escalation, ["role:manager", "role:admin", "slack:https://hooks.slack.com/services/T/B/1"], Users, "x");
        var again = EscalationNotices.Messages(Escalation with { RaisedAt = At + Duration.FromMinutes(5) }, ["role:manager", "role:admin", "slack:https://hooks.slack.com/services/T/B/1"], Users, "x");

        Assert.Equal(first.Select(m => m.MessageId).Order(), again.Select(m => m.MessageId).Order());
        Assert.Equal(3, first.Length);
    }

    [Fact]
    public void An_escalate_to_management_rule_tells_the_managers()
    {
        var targets = EscalationNotices.Targets(
        [
            new EscalationRule("mgmt", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers"),
            new EscalationRule("move", SlaMetric.Resolution, 100, EscalationActionKind.Reassign, "team:network"),
            new EscalationRule("hook", SlaMetric.Resolution, 100, EscalationActionKind.Webhook, "https://example.test/x"),
            new EscalationRule("lead", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "user:ana"),
        ]);

        Assert.Equal(["role:manager", "user:ana"], targets.ToArray());
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    [InlineData(20, 3_600)]
    public void A_failed_attempt_waits_twice_as_long_as_the_one_before_up_to_the_longest_delay(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new ChannelOptions().RetryDelay(failures));
    }

    [Fact]
    public void Outbox_bounds_refuse_a_message_of_another_channel_or_without_a_target()
    {
        var ok = new OutboundMessage("id-1", ChannelKind.Email, "a@example.test", MessageTemplates.EscalationRaised, "{}", null);

        Assert.Null(OutboxLimits.Problem(ok, ChannelKind.Email));
        Assert.NotNull(OutboxLimits.Problem(ok, ChannelKind.Slack));
        Assert.NotNull(OutboxLimits.Problem(ok with { Target = " " }, ChannelKind.Email));
        Assert.NotNull(OutboxLimits.Problem(ok with { MessageId = new string('x', 301) }, ChannelKind.Email));
        Assert.NotNull(OutboxLimits.Problem(ok with { MessageId = "a\nb" }, ChannelKind.Email));
    }
}
