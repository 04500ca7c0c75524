using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Subscribers;

/// <summary>
/// Subscriber grains on a real two-silo cluster with SQLite storage: a request is in its row with its confirmation mail
/// queued when the call returns, a second request within the spacing queues nothing, and a notice reaches exactly the
/// confirmed subscribers of its components, once however often it is handed over, and nobody while the page is off.
/// </summary>
public sealed class StatusSubscriberGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly Instant Now = SystemClock.Instance.GetCurrentInstant();
    private readonly SqliteCluster _cluster = fixture.Cluster;

    private IStatusSubscriberStore Store => _cluster.Service<IStatusSubscriberStore>();

    private IChannelOutboxStore Outbox => _cluster.Service<IChannelOutboxStore>();

    [Fact]
    public async Task A_request_writes_its_row_and_queues_one_confirmation_and_a_second_within_ten_minutes_queues_none()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..14];
        const string Address = "ada@example.com";
        var id = StatusSubscriberIds.Of(customer, Address);
        var grain = _cluster.Grains.GetGrain<IStatusSubscriberGrain>(id);

        var first = await grain.Request(customer, "ada-page", Address, ["api"]);
        var row = await Store.FindAsync(id);
        var second = await grain.Request(customer, "ada-page", Address, []);
        var after = await Store.FindAsync(id);

        Assert.True(first.IsAccepted && second.IsAccepted);
        Assert.Equal((SubscriptionStatus.Pending, 1, "api"), (row!.Status, row.Generation, string.Join(' ', row.Components)));
        Assert.Equal((row.Generation, row.RequestedAt, row.ConfirmationSentAt, "api"), (after!.Generation, after.RequestedAt, after.ConfirmationSentAt, string.Join(' ', after.Components)));
        var mail = await Outbox.FindAsync($"subscriber-confirm:{id}:1");
        Assert.Equal((Address, SubscriberTemplates.Confirm, customer), (mail!.Target, mail.Template, mail.CustomerId));
        Assert.Null(await Outbox.FindAsync($"subscriber-confirm:{id}:2"));
        await Assert.ThrowsAsync<ArgumentException>(() => grain.Request(customer, "ada-page", "someone.else@example.com", []));
    }

    [Fact]
    public async Task A_notice_reaches_the_confirmed_subscribers_of_its_components_once_and_nobody_while_the_page_is_off()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..14];
        await _cluster.Grains.GetGrain<ICustomerStatusPageGrain>(customer).SetStatusPage(new StatusPageSettings($"p-{customer}", Enabled: true));
        var all = Row(customer, "all@example.com", SubscriptionStatus.Confirmed);
        var api = Row(customer, "api@example.com", SubscriptionStatus.Confirmed, "api");
        var db = Row(customer, "db@example.com", SubscriptionStatus.Confirmed, "db");
        var pending = Row(customer, "pending@example.com", SubscriptionStatus.Pending);
        var left = Row(customer, "left@example.com", SubscriptionStatus.Unsubscribed);
        await Store.SaveAsync([all, api, db, pending, left]);
        var notice = new SubscriberNotice($"incident-update:{customer}.m1/1", SubscriberNoticeKind.IncidentUpdate, customer, ["api"], "Login slow", "investigating", "Slow logins.", Now);
        var grain = _cluster.Grains.GetGrain<IStatusSubscribersGrain>(customer);

        var queued = await grain.Notify(notice);
        var again = await grain.Notify(notice);
        await _cluster.Grains.GetGrain<ICustomerStatusPageGrain>(customer).SetStatusPage(new StatusPageSettings($"p-{customer}", Enabled: false));
        var whileOff = await grain.Notify(notice with { NoticeId = $"incident-update:{customer}.m1/2" });

        Assert.Equal((2, 0, 0), (queued, again, whileOff));
        foreach (var (row, expected) in new[] { (all, true), (api, true), (db, false), (pending, false), (left, false) })
        {
            Assert.Equal(expected, await Outbox.FindAsync($"{notice.NoticeId}:{row.SubscriberId}") is not null);
        }

        var message = await Outbox.FindAsync($"{notice.NoticeId}:{api.SubscriberId}");
        Assert.Equal(("api@example.com", SubscriberTemplates.Notice), (message!.Target, message.Template));
    }

    private static StatusSubscriberRow Row(string customer, string address, SubscriptionStatus status, params string[] components)
        => new(StatusSubscriberIds.Of(customer, address), customer, address, status, [.. components], null, 1, Now, Now, Now, status == SubscriptionStatus.Pending ? null : Now);
}
