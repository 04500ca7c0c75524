using System.Collections.Immutable;
using FsCheck.Xunit;
using SlaGrains.Domain.Subscribers;

namespace SlaGrains.Domain.Tests.Subscribers;

public class SubscriberLifecycleTests
{
    private const string Address = "ops@example.test";
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 10, 0);
    private static readonly ImmutableSortedSet<string> All = [];
    private static readonly ImmutableSortedSet<string> Api = ["api"];

    private static SubscriberDecision Decide(StatusSubscription? state, SubscriberCommand command, Instant at)
        => SubscriberLifecycle.Decide(Address, state, command, at);

    private static StatusSubscription Confirmed(ImmutableSortedSet<string> components)
    {
        var requested = Decide(null, new RequestSubscription(components), Now).State;
        return Decide(requested, new ConfirmSubscription(1), Now + Duration.FromMinutes(3)).State!;
    }

    [Fact]
    public void A_new_subscriber_receives_nothing_until_it_confirms_from_the_mail()
    {
        var requested = Decide(null, new RequestSubscription(Api), Now);

        var pending = requested.State!;
        Assert.Equal(new ConfirmationRequested(Now, 1, Api), Assert.Single(requested.Events));
        Assert.Equal(SubscriptionStatus.Pending, pending.Status);
        Assert.False(pending.Receives(["api"]));

        var confirmed = Decide(pending, new ConfirmSubscription(1), Now + Duration.FromHours(1));
        Assert.IsType<SubscriptionConfirmed>(Assert.Single(confirmed.Events));
        Assert.True(confirmed.State!.Receives(["api"]));
        Assert.False(confirmed.State.Receives(["web"]));
        Assert.True(confirmed.State.Receives([]));
    }

    [Fact]
    public void A_subscriber_of_every_component_receives_each_components_updates()
    {
        Assert.True(Confirmed(All).Receives(["web"]));
    }

    [Fact]
    public void A_confirmation_link_expires_after_48_hours()
    {
        var pending = Decide(null, new RequestSubscription(All), Now).State;

        var late = Decide(pending, new ConfirmSubscription(1), Now + Duration.FromHours(49));

        Assert.Equal("confirmation-expired", late.Rejection?.Code);
        Assert.Same(pending, late.State);
    }

    [Fact]
    public void Only_the_latest_mails_link_confirms()
    {
        var first = Decide(null, new RequestSubscription(All), Now).State;
        var second = Decide(first, new RequestSubscription(Api), Now + Duration.FromMinutes(11)).State;

        var old = Decide(second, new ConfirmSubscription(1), Now + Duration.FromMinutes(12));
        var latest = Decide(second, new ConfirmSubscription(2), Now + Duration.FromMinutes(12));

        Assert.Equal("confirmation-superseded", old.Rejection?.Code);
        Assert.Equal(Api, latest.State!.Components);
    }

    [Fact]
    public void A_second_request_within_ten_minutes_sends_no_second_mail_and_changes_nothing()
    {
        var first = Decide(null, new RequestSubscription(All), Now).State;

        var again = Decide(first, new RequestSubscription(Api), Now + Duration.FromMinutes(9));

        Assert.Equal(new ConfirmationHeldBack(Now + Duration.FromMinutes(9), 1), Assert.Single(again.Events));
        Assert.Same(first, again.State);
        Assert.Equal(All, Decide(again.State, new ConfirmSubscription(1), Now + Duration.FromMinutes(10)).State!.Components);
    }

    [Fact]
    public void Someone_typing_a_confirmed_address_cannot_change_or_stop_its_mail_without_the_owners_confirmation()
    {
        var confirmed = Confirmed(Api);

        var meddled = Decide(confirmed, new RequestSubscription(["web"]), Now + Duration.FromHours(1)).State!;

        Assert.Equal(SubscriptionStatus.Confirmed, meddled.Status);
        Assert.True(meddled.Receives(["api"]));
        Assert.False(meddled.Receives(["web"]));

        var accepted = Decide(meddled, new ConfirmSubscription(meddled.Generation), Now + Duration.FromHours(2)).State!;
        Assert.True(accepted.Receives(["web"]));
        Assert.False(accepted.Receives(["api"]));
    }

    [Fact]
    public void Following_a_confirmation_link_twice_is_a_harmless_repeat()
    {
        var confirmed = Confirmed(Api);

        var twice = Decide(confirmed, new ConfirmSubscription(1), Now + Duration.FromMinutes(5));

        Assert.Null(twice.Rejection);
        Assert.Empty(twice.Events);
        Assert.Same(confirmed, twice.State);
    }

    [Fact]
    public void Unsubscribing_always_works_once_and_subscribing_again_needs_a_new_confirmation()
    {
        var confirmed = Confirmed(All);

        var left = Decide(confirmed, new Unsubscribe(), Now + Duration.FromHours(1));
        var again = Decide(left.State, new Unsubscribe(), Now + Duration.FromHours(2));
        var oldLink = Decide(left.State, new ConfirmSubscription(1), Now + Duration.FromHours(2));
        var back = Decide(left.State, new RequestSubscription(All), Now + Duration.FromHours(3));

        Assert.IsType<Unsubscribed>(Assert.Single(left.Events));
        Assert.False(left.State!.Receives([]));
        Assert.Empty(again.Events);
        Assert.Equal("no-subscription", oldLink.Rejection?.Code);
        Assert.Equal((SubscriptionStatus.Pending, 2), (back.State!.Status, back.State.Generation));
        Assert.False(back.State.Receives([]));
    }

    [Fact]
    public void Confirming_an_address_that_never_subscribed_is_refused()
    {
        Assert.Equal("no-subscription", Decide(null, new ConfirmSubscription(1), Now).Rejection?.Code);
    }

    [Fact]
    public void More_than_a_hundred_components_are_refused()
    {
        var many = Enumerable.Range(0, 101).Select(i => $"c{i}").ToImmutableSortedSet(StringComparer.Ordinal);

        var decision = Decide(null, new RequestSubscription(many), Now);

        Assert.Equal("too-many-components", decision.Rejection?.Code);
        Assert.Null(decision.State);
    }

    /// <summary>Whatever visitors type, in any order: nobody receives updates without having followed the latest link in time.</summary>
    [Property(MaxTest = 300)]
    public bool Nobody_receives_updates_without_confirming_the_latest_request(byte[] steps)
    {
        StatusSubscription? state = null;
        var at = Now;
        var confirmedGeneration = 0;
        foreach (var step in steps ?? [])
        {
            at += Duration.FromMinutes(step % 37);
            SubscriberCommand command = (step % 3) switch
            {
                0 => new RequestSubscription(step % 2 == 0 ? All : Api),
                1 => new ConfirmSubscription(Math.Max(1, (state?.Generation ?? 1) - (step % 5 == 0 ? 1 : 0))),
                _ => new Unsubscribe(),
            };
            var decision = Decide(state, command, at);
            if (decision.Events.OfType<SubscriptionConfirmed>().Any())
            {
                confirmedGeneration = ((ConfirmSubscription)command).Generation;
            }

            state = decision.State;
            if (state is not null && state.Receives([]) && (state.Status != SubscriptionStatus.Confirmed || confirmedGeneration == 0))
            {
                return false;
            }
        }

        return true;
    }
}
