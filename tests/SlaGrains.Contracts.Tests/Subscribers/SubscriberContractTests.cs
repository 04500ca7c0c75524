using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Subscribers;

/// <summary>Subscriber ids, the signed confirm and unsubscribe links, and the rows and notices as sent between silos.</summary>
public sealed class SubscriberContractTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly Instant Issued = Instant.FromUtc(2026, 12, 6, 9, 0);

    [Fact]
    public void A_subscriber_id_is_stable_per_customer_and_address_and_has_the_id_shape()
    {
        var id = StatusSubscriberIds.Of("acme", "ada@example.com");

        Assert.Equal(id, StatusSubscriberIds.Of("acme", "ada@example.com"));
        Assert.NotEqual(id, StatusSubscriberIds.Of("globex", "ada@example.com"));
        Assert.NotEqual(id, StatusSubscriberIds.Of("acme", "bob@example.com"));
        Assert.True(StatusSubscriberIds.IsId(id));
        Assert.False(StatusSubscriberIds.IsId("sub-XYZ"));
        Assert.False(StatusSubscriberIds.IsId(id.ToUpperInvariant()));
        Assert.False(StatusSubscriberIds.IsId(null));
    }

    [Fact]
    public void A_confirmation_token_works_for_48_hours_and_only_for_confirming()
    {
        var id = StatusSubscriberIds.Of("acme", "ada@example.com");
        var token = SubscriberLinks.ConfirmToken(Key, id, 3, Issued);

        Assert.Equal((id, 3), SubscriberLinks.ReadConfirm(Key, token, Issued + Duration.FromHours(48)));
        Assert.Null(SubscriberLinks.ReadConfirm(Key, token, Issued + Duration.FromHours(48) + Duration.FromSeconds(1)));
        Assert.Null(SubscriberLinks.ReadConfirm(new byte[32], token, Issued));
        Assert.Null(SubscriberLinks.ReadUnsubscribe(Key, token));
        Assert.Null(SubscriberLinks.ReadConfirm(Key, token[..^2] + "AA", Issued));
        Assert.Null(SubscriberLinks.ReadConfirm(Key, SlaGrains.Contracts.Channels.SignedTokens.Sign(Key, SubscriberLinks.ConfirmPurpose, "not-an-id:1:0"), Issued));
    }

    [Fact]
    public void An_unsubscribe_token_never_expires_and_never_confirms()
    {
        var id = StatusSubscriberIds.Of("acme", "ada@example.com");
        var token = SubscriberLinks.UnsubscribeToken(Key, id);

        Assert.Equal(id, SubscriberLinks.ReadUnsubscribe(Key, token));
        Assert.Null(SubscriberLinks.ReadConfirm(Key, token, Issued));
        Assert.Null(SubscriberLinks.ReadUnsubscribe(new byte[32], token));
    }

    [Fact]
    public void A_row_and_a_notice_round_trip_as_sent_between_silos_with_a_waiting_change_kept_apart_from_none()
    {
        var waiting = StatusSubscriberRow.From("sub-0123456789abcdef01234567", "acme", new StatusSubscription(
            "ada@example.com", SubscriptionStatus.Confirmed, ["api", "web"], [], 2, Issued, Issued, Issued), Issued);
        var notice = new SubscriberNotice("incident-update:i1/1", SubscriberNoticeKind.MaintenanceAnnounced, "acme", ["api"], null, null, "Upgrade", Issued, Issued, Issued + Duration.FromHours(1));

        foreach (var (way, value) in BothWays(waiting))
        {
            Assert.True(value.Components.SequenceEqual(["api", "web"]), way);
            Assert.True(value.Requested is { IsEmpty: true }, way);
            Assert.Equal((waiting.Address, waiting.Status, waiting.Generation, waiting.ConfirmedAt), (value.Address, value.Status, value.Generation, value.ConfirmedAt));
            Assert.Empty(value.ToDomain().Requested!);
        }

        Assert.Null(ThroughBytes(waiting with { Requested = null }).Requested);
        var sent = ThroughBytes(notice);
        Assert.Equal((notice.NoticeId, notice.Kind, notice.Start, notice.End, "api"), (sent.NoticeId, sent.Kind, sent.Start, sent.End, string.Join(' ', sent.Components)));
    }
}
