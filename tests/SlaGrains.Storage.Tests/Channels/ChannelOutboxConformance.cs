using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Contracts.Channels;
using SlaGrains.Storage.Tests.ReadModels;

namespace SlaGrains.Storage.Tests.Channels;

/// <summary>
/// What the channel outbox tables must do on every store: a queue inserts each message once (a known id is skipped,
/// whatever its state), due messages come earliest first and only once due, an attempt is logged and moves its
/// message, a dead letter is redelivered once, and thousands of messages are one call. The stores are shared by a
/// class's tests, so every test uses message ids with a fresh prefix (and a channel it alone fills, where order counts)
/// and looks only at those.
/// </summary>
public abstract class ChannelOutboxConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    private static readonly Instant Now = Instant.FromUtc(2030, 3, 1, 9, 0);
    private readonly string _prefix = "m" + Guid.NewGuid().ToString("N")[..10];

    private IChannelOutboxStore Outbox => store.SiloServices.GetRequiredService<IChannelOutboxStore>();

    [SkippableFact]
    public async Task Queueing_inserts_each_message_once_and_skips_ids_it_already_has()
    {
        SkipUnlessAvailable();
        var statement = new MessageAttachment("statement.pdf", "application/pdf", [.. "%PDF-1.7 test"u8.ToArray()]);

        var first = await Outbox.QueueAsync([Email("a"), Email("b") with { Attachment = statement }, Email("a")], Now);
        var again = await Outbox.QueueAsync([Email("a"), Email("b"), Email("c")], Now + Duration.FromSeconds(1));
        var due = Mine(await Outbox.DueAsync(ChannelKind.Email, Now + Duration.FromMinutes(1), 10_000));
        var b = await Outbox.FindAsync(Id("b"));

        Assert.Equal(2, first);
        Assert.Equal(1, again);
        Assert.Equal([Id("a"), Id("b"), Id("c")], due.Select(r => r.Message.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(("statement.pdf", OutboxState.Pending, 0), (b!.AttachmentName, b.State, b.Attempts));
        var withFile = due.Single(r => r.Message.MessageId == Id("b")).Message.Attachment!;
        Assert.Equal(("statement.pdf", "application/pdf"), (withFile.FileName, withFile.ContentType));
        Assert.Equal(statement.Content.ToArray(), withFile.Content.ToArray());
        Assert.Equal(Now, due.Single(r => r.Message.MessageId == Id("a")).QueuedAt);
    }

    [SkippableFact]
    public async Task A_failed_attempt_is_logged_and_its_message_waits_until_its_next_attempt_is_due()
    {
        SkipUnlessAvailable();
        await Outbox.QueueAsync([Slack("x"), Slack("y")], Now);
        var rows = Mine(await Outbox.DueAsync(ChannelKind.Slack, Now, 10_000));
        var x = rows.Single(r => r.Message.MessageId == Id("x"));

        await Outbox.RecordAsync([new OutboxOutcome(x, Now, "HTTP 503", Duration.FromMilliseconds(12), OutboxState.Pending, Now + Duration.FromSeconds(10))]);
        var dueNow = Mine(await Outbox.DueAsync(ChannelKind.Slack, Now + Duration.FromSeconds(5), 10_000));
        var dueLater = Mine(await Outbox.DueAsync(ChannelKind.Slack, Now + Duration.FromSeconds(10), 10_000));
        var log = await Outbox.AttemptsAsync(null, 500);
        var view = await Outbox.FindAsync(Id("x"));

        Assert.Equal([Id("y")], dueNow.Select(r => r.Message.MessageId));
        Assert.Equal([Id("y"), Id("x")], dueLater.Select(r => r.Message.MessageId));
        Assert.Equal((1, 1), (dueLater[1].Attempts, dueLater[1].AttemptsThisRound));
        Assert.Equal((OutboxState.Pending, 1, "HTTP 503", Now + Duration.FromSeconds(10)), (view!.State, view.Attempts, view.LastOutcome, view.NextAttemptAt));
        var logged = Assert.Single(log.Items, a => a.MessageId == Id("x"));
        Assert.Equal((ChannelKind.Slack, 1, "HTTP 503", Duration.FromMilliseconds(12), OutboxState.Pending), (logged.Channel, logged.Attempt, logged.Outcome, logged.Took, logged.Result));
    }

    [SkippableFact]
    public async Task A_delivered_message_leaves_the_queue_and_the_log_pages_newest_first()
    {
        SkipUnlessAvailable();
        await Outbox.QueueAsync([Email("d1"), Email("d2"), Email("d3")], Now);
        var rows = Mine(await Outbox.DueAsync(ChannelKind.Email, Now, 10_000)).Where(r => r.Message.MessageId.Contains("-d", StringComparison.Ordinal)).ToList();

        await Outbox.RecordAsync([.. rows.Select((r, i) => new OutboxOutcome(r, Now + Duration.FromSeconds(i), "delivered", Duration.FromMilliseconds(5), OutboxState.Delivered, Now))]);
        var first = await Outbox.AttemptsAsync(null, 2);
        var second = await Outbox.AttemptsAsync(first.Before, 2);
        var delivered = await Outbox.FindAsync(Id("d1"));
        var stillDue = Mine(await Outbox.DueAsync(ChannelKind.Email, Now + Duration.FromDays(1), 10_000));

        Assert.DoesNotContain(stillDue, r => r.Message.MessageId.Contains("-d", StringComparison.Ordinal));
        Assert.Equal((OutboxState.Delivered, 1, Now + Duration.FromMilliseconds(5)), (delivered!.State, delivered.Attempts, delivered.DeliveredAt));
        Assert.Equal([Id("d3"), Id("d2")], first.Items.Select(a => a.MessageId));
        Assert.NotNull(first.Before);
        Assert.Equal(Id("d1"), second.Items[0].MessageId);
        Assert.True(first.Items[0].AttemptId > first.Items[1].AttemptId);
    }

    [SkippableFact]
    public async Task A_dead_letter_is_listed_and_redelivered_once_for_a_new_round()
    {
        SkipUnlessAvailable();
        await Outbox.QueueAsync([Teams("z")], Now);
        var row = Mine(await Outbox.DueAsync(ChannelKind.Teams, Now, 10_000)).Single(r => r.Message.MessageId == Id("z"));
        await Outbox.RecordAsync([new OutboxOutcome(row, Now, "refusedAddress", Duration.Zero, OutboxState.DeadLettered, Now)]);

        var dead = await Outbox.ListAsync(OutboxState.DeadLettered, ChannelKind.Teams, 500);
        var pendingBefore = await Outbox.ListAsync(OutboxState.Pending, null, 500);
        var again = await Outbox.RedeliverAsync(Id("z"), Now + Duration.FromMinutes(5));
        var twice = await Outbox.RedeliverAsync(Id("z"), Now + Duration.FromMinutes(6));
        var unknown = await Outbox.RedeliverAsync(Id("nothing"), Now);
        var due = Mine(await Outbox.DueAsync(ChannelKind.Teams, Now + Duration.FromMinutes(5), 10_000)).Single(r => r.Message.MessageId == Id("z"));

        Assert.Contains(dead, d => d.MessageId == Id("z") && d.LastOutcome == "refusedAddress");
        Assert.DoesNotContain(pendingBefore, d => d.MessageId == Id("z"));
        Assert.Equal((OutboxState.Pending, Now + Duration.FromMinutes(5)), (again!.State, again.NextAttemptAt));
        Assert.Null(twice);
        Assert.Null(unknown);
        Assert.Equal((1, 0), (due.Attempts, due.AttemptsThisRound));
    }

    [SkippableFact]
    public async Task Five_thousand_messages_are_queued_in_one_call_and_again_queue_nothing()
    {
        SkipUnlessAvailable();
        ImmutableArray<OutboundMessage> many = [.. Enumerable.Range(0, 5_000).Select(i => Email($"bulk-{i:D5}"))];

        var queued = await Outbox.QueueAsync(many, Now);
        var repeated = await Outbox.QueueAsync(many, Now);
        var due = Mine(await Outbox.DueAsync(ChannelKind.Email, Now, 20_000));

        Assert.Equal((5_000, 0), (queued, repeated));
        Assert.Equal(5_000, due.Count(r => r.Message.MessageId.Contains("-bulk-", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task A_message_held_until_later_is_first_due_then_and_one_not_held_at_once()
    {
        SkipUnlessAvailable();
        var later = Now + Duration.FromHours(9);
        var past = Now - Duration.FromHours(1);

        var queued = await Outbox.QueueAsync([Email("held") with { NotBefore = later }, Email("past") with { NotBefore = past }, Email("plain")], Now);
        var dueNow = Mine(await Outbox.DueAsync(ChannelKind.Email, Now, 10_000));
        var dueJustBefore = Mine(await Outbox.DueAsync(ChannelKind.Email, later - Duration.FromSeconds(1), 10_000));
        var dueThen = Mine(await Outbox.DueAsync(ChannelKind.Email, later, 10_000));
        var held = await Outbox.FindAsync(Id("held"));

        Assert.Equal(3, queued);
        Assert.Equal([Id("past"), Id("plain")], dueNow.Select(r => r.Message.MessageId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(dueJustBefore, r => r.Message.MessageId == Id("held"));
        Assert.Contains(dueThen, r => r.Message.MessageId == Id("held"));
        Assert.Equal((OutboxState.Pending, 0, Now, later), (held!.State, held.Attempts, held.QueuedAt, held.NextAttemptAt));
    }

    private string Id(string name) => $"{_prefix}-{name}";

    private List<OutboxRow> Mine(IReadOnlyList<OutboxRow> rows) => [.. rows.Where(r => r.Message.MessageId.StartsWith(_prefix, StringComparison.Ordinal))];

    private OutboundMessage Email(string name)
        => new(Id(name), ChannelKind.Email, $"{name}@example.com", MessageTemplates.EscalationRaised, """{"ticketId":"T-1"}""", "acme");

    private OutboundMessage Slack(string name)
        => new(Id(name), ChannelKind.Slack, "https://hooks.slack.com/services/T/B/x", MessageTemplates.EscalationRaised, "{}", "acme");

    private OutboundMessage Teams(string name)
        => new(Id(name), ChannelKind.Teams, "https://example.webhook.office.com/x", MessageTemplates.EscalationRaised, "{}", null);

    private void SkipUnlessAvailable() => Skip.If(store.Unavailable is not null, store.Unavailable);
}

/// <summary>The channel outbox on the SQLite file.</summary>
public sealed class SqliteChannelOutboxTests(SqliteReadModelFixture store)
    : ChannelOutboxConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>;

/// <summary>The channel outbox on PostgreSQL.</summary>
public sealed class PostgresChannelOutboxTests(PostgresReadModelFixture store)
    : ChannelOutboxConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>;
