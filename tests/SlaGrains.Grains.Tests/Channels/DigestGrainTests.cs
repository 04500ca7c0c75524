using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Grains.Tests.Channels;

/// <summary>A person's digest in a real cluster on SQLite, on a clock the test sets.</summary>
public sealed class DigestGrainTests(ShiftedClockClusterFixture fixture) : IClassFixture<ShiftedClockClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_digest_lists_each_notice_once_goes_as_one_message_when_due_and_never_sends_a_notice_twice()
    {
        var at = Instant.FromUtc(2030, 6, 3, 10, 20);
        var due = Instant.FromUtc(2030, 6, 3, 11, 0);
        ShiftedClock.For(fixture.DatabasePath).Set(at);
        var name = $"d{Guid.NewGuid():N}"[..12];
        await _cluster.Grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).AddUser(new UserAccount(name, "h", UserRole.Manager, null, null, Email: $"{name}@example.test"));
        var digest = _cluster.Grains.GetGrain<IDigestGrain>(DigestKeys.Of(ChannelKind.Email, name));
        var one = new NoticeLine("esc:a", NoticeKind.Warning, at, "Warning on A", "", "tickets/A", "acme");
        var two = one with { LineId = "esc:b", Title = "Warning on B", At = at + Duration.FromMinutes(1) };

        await digest.Add(one, due);
        await digest.Add(one, due);
        await digest.Add(two, due);
        await digest.Wake();
        var waiting = await digest.Pending();
        ShiftedClock.For(fixture.DatabasePath).Set(due + Duration.FromSeconds(1));
        await digest.Wake();
        var afterwards = await digest.Pending();
        await digest.Add(one, due + Duration.FromHours(1));
        var replayed = await digest.Pending();
        var id = $"digest:email:{name}:{due.ToUnixTimeSeconds()}";
        var outbox = _cluster.Grains.GetGrain<IOutboxGrain>(OutboxKeys.Of(ChannelKind.Email));
        // Three reads, one per state: a message the outbox moves on between two of them is listed by both, once per id.
        var queued = (await outbox.List(OutboxState.Pending, 500)).Concat(await outbox.List(OutboxState.DeadLettered, 500)).Concat(await outbox.List(OutboxState.Delivered, 500))
            .Where(m => m.MessageId.Contains(name, StringComparison.Ordinal)).DistinctBy(m => m.MessageId).ToList();

        var pending = Assert.Single(waiting);
        Assert.Equal(due, pending.SendAt);
        Assert.Equal(["esc:a", "esc:b"], pending.Lines.Select(l => l.LineId));
        Assert.Empty(afterwards);
        Assert.Empty(replayed);
        var message = Assert.Single(queued);
        Assert.Equal((id, MessageTemplates.Digest, $"{name}@example.test"), (message.MessageId, message.Template, message.Target));
    }
}
