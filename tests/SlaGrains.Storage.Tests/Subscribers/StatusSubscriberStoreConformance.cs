using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;
using SlaGrains.Storage.Tests.ReadModels;

namespace SlaGrains.Storage.Tests.Subscribers;

/// <summary>
/// What <c>status_subscribers</c> must do on every store: a row reads back as written (components, a waiting change,
/// every time), a save replaces by id, one address is one row per customer, lists page by id and can keep only the
/// confirmed, and a delete removes only the customer's own row. The stores are shared by a class's tests, so every test
/// uses customers of its own.
/// </summary>
public abstract class StatusSubscriberStoreConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    private static readonly Instant Now = Instant.FromUtc(2030, 3, 1, 9, 0);
    private readonly string _customer = "c" + Guid.NewGuid().ToString("N")[..10];

    private IStatusSubscriberStore Subscribers => store.SiloServices.GetRequiredService<IStatusSubscriberStore>();

    [SkippableFact]
    public async Task A_row_reads_back_as_written_and_a_save_replaces_it_by_id()
    {
        SkipUnlessAvailable();
        var pending = Row("ada@example.com", SubscriptionStatus.Pending, ["web", "api"]);
        await Subscribers.SaveAsync([pending]);
        var read = await Subscribers.FindAsync(pending.SubscriberId);

        var confirmed = pending with
        {
            Status = SubscriptionStatus.Confirmed,
            Requested = ["db"],
            Generation = 2,
            RequestedAt = Now + Duration.FromHours(1),
            ConfirmationSentAt = Now + Duration.FromHours(1),
            ConfirmedAt = Now + Duration.FromMinutes(5),
        };
        await Subscribers.SaveAsync([confirmed]);
        var replaced = await Subscribers.FindAsync(pending.SubscriberId);

        Assert.Equal(Normal(pending), Normal(read!));
        Assert.Equal(new[] { "api", "web" }, read!.Components.ToArray());
        Assert.Null(read.Requested);
        Assert.Equal(Normal(confirmed), Normal(replaced!));
        Assert.Equal(new[] { "db" }, replaced!.Requested!.Value.ToArray());
        Assert.Null(await Subscribers.FindAsync("sub-000000000000000000000000"));
    }

    [SkippableFact]
    public async Task An_empty_component_list_and_an_empty_waiting_change_stay_distinct_from_none()
    {
        SkipUnlessAvailable();
        var all = Row("all@example.com", SubscriptionStatus.Confirmed, []) with { Requested = [] };
        await Subscribers.SaveAsync([all]);

        var read = await Subscribers.FindAsync(all.SubscriberId);

        Assert.Empty(read!.Components);
        Assert.NotNull(read.Requested);
        Assert.Empty(read.Requested!.Value);
        Assert.True(read.ToDomain().Receives(["anything"]));
    }

    [SkippableFact]
    public async Task Lists_page_by_id_within_one_customer_and_can_keep_only_the_confirmed()
    {
        SkipUnlessAvailable();
        var rows = Enumerable.Range(0, 25)
            .Select(i => Row($"user{i}@example.com", i % 5 == 0 ? SubscriptionStatus.Pending : i % 7 == 0 ? SubscriptionStatus.Unsubscribed : SubscriptionStatus.Confirmed, []))
            .ToList();
        var other = new StatusSubscriberStoreConformance<TFixture>.Other(_customer + "x");
        await Subscribers.SaveAsync([.. rows, other.Row("user1@example.com")]);

        var first = await Subscribers.ListAsync(_customer, null, 10, confirmedOnly: false);
        var second = await Subscribers.ListAsync(_customer, first[^1].SubscriberId, 10, confirmedOnly: false);
        var third = await Subscribers.ListAsync(_customer, second[^1].SubscriberId, 10, confirmedOnly: false);
        var confirmed = await Subscribers.ListAsync(_customer, null, 100, confirmedOnly: true);

        var ids = rows.Select(r => r.SubscriberId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ids, [.. first.Select(r => r.SubscriberId), .. second.Select(r => r.SubscriberId), .. third.Select(r => r.SubscriberId)]);
        Assert.Equal(5, third.Count);
        Assert.Equal(rows.Where(r => r.Status == SubscriptionStatus.Confirmed).Select(r => r.SubscriberId).Order(StringComparer.Ordinal), confirmed.Select(r => r.SubscriberId));
        Assert.All(confirmed, r => Assert.Equal(_customer, r.CustomerId));
    }

    [SkippableFact]
    public async Task A_delete_removes_only_the_customers_own_row()
    {
        SkipUnlessAvailable();
        var row = Row("gone@example.com", SubscriptionStatus.Confirmed, []);
        await Subscribers.SaveAsync([row]);

        var byOther = await Subscribers.DeleteAsync(_customer + "x", row.SubscriberId);
        var stillThere = await Subscribers.FindAsync(row.SubscriberId);
        var byOwner = await Subscribers.DeleteAsync(_customer, row.SubscriberId);
        var again = await Subscribers.DeleteAsync(_customer, row.SubscriberId);

        Assert.False(byOther);
        Assert.NotNull(stillThere);
        Assert.True(byOwner);
        Assert.False(again);
        Assert.Null(await Subscribers.FindAsync(row.SubscriberId));
    }

    [SkippableFact]
    public async Task Ten_thousand_rows_are_one_save_and_read_back_in_pages()
    {
        SkipUnlessAvailable();
        var rows = Enumerable.Range(0, 10_000).Select(i => Row($"bulk{i}@example.com", SubscriptionStatus.Confirmed, [])).ToList();

        await Subscribers.SaveAsync(rows);
        var count = 0;
        string? after = null;
        while (true)
        {
            var page = await Subscribers.ListAsync(_customer, after, 5_000, confirmedOnly: true);
            count += page.Count;
            if (page.Count < 5_000)
            {
                break;
            }

            after = page[^1].SubscriberId;
        }

        Assert.Equal(10_000, count);
    }

    private StatusSubscriberRow Row(string address, SubscriptionStatus status, string[] components) => new(
        StatusSubscriberIds.Of(_customer, address), _customer, address, status, [.. components], null, 1, Now, Now, Now,
        status == SubscriptionStatus.Confirmed ? Now + Duration.FromMinutes(1) : null);

    /// <summary>A row with its lists sorted and made comparable by value.</summary>
    private static object Normal(StatusSubscriberRow row) => (
        row.SubscriberId, row.CustomerId, row.Address, row.Status, string.Join(' ', row.Components.Order(StringComparer.Ordinal)),
        row.Requested is { } r ? string.Join(' ', r.Order(StringComparer.Ordinal)) : null, row.Generation, row.CreatedAt, row.RequestedAt, row.ConfirmationSentAt, row.ConfirmedAt);

    private void SkipUnlessAvailable() => Skip.If(store.Unavailable is not null, store.Unavailable);

    private sealed record Other(string Customer)
    {
        public StatusSubscriberRow Row(string address)
            => new(StatusSubscriberIds.Of(Customer, address), Customer, address, SubscriptionStatus.Confirmed, [], null, 1, Now, Now, Now, Now);
    }
}

public sealed class SqliteStatusSubscriberStoreTests(SqliteReadModelFixture store)
    : StatusSubscriberStoreConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>;

public sealed class PostgresStatusSubscriberStoreTests(PostgresReadModelFixture store)
    : StatusSubscriberStoreConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>;
