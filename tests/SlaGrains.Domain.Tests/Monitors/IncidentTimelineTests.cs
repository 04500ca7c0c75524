using System.Collections.Immutable;
using FsCheck.Xunit;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Domain.Tests.Monitors;

/// <summary>An incident's update timeline: manual incidents opened and resolved by updates; a monitor's incident takes updates.</summary>
public class IncidentTimelineTests
{
    private static readonly Instant Noon = Instant.FromUtc(2026, 12, 6, 12, 0);

    private static readonly ImmutableArray<string> Api = ["acme-api"];

    private static OpenManualIncident Open(IncidentUpdateStatus status = IncidentUpdateStatus.Investigating)
        => new("acme", "Login slow", ["acme-web", "acme-api", "acme-api"], IncidentImpact.PartialOutage, status, "  We are looking into slow logins.  ", "morgan");

    private static PostIncidentUpdate Post(IncidentUpdateStatus status, string message = "More news.", string? monitor = null)
        => new("acme", monitor, status, message, "sam");

    private static IncidentTimeline Opened() => IncidentTimeline.Decide(null, Open(), Noon).State!;

    [Fact]
    public void Opening_a_manual_incident_records_it_with_its_first_update_numbered_one()
    {
        var decision = IncidentTimeline.Decide(null, Open(), Noon);

        Assert.True(decision.IsAccepted);
        var state = decision.State!;
        Assert.Equal(new ManualIncident("Login slow", default, IncidentImpact.PartialOutage, Noon, "morgan", null), state.Manual! with { Components = default });
        Assert.Equal(new[] { "acme-api", "acme-web" }, state.Manual.Components.AsEnumerable());
        Assert.Null(state.MonitorId);
        Assert.Equal(new IncidentUpdate(1, IncidentUpdateStatus.Investigating, "We are looking into slow logins.", "morgan", Noon), Assert.Single(state.Updates));
        Assert.Collection(decision.Events, e => Assert.IsType<ManualIncidentOpened>(e), e => Assert.IsType<IncidentUpdatePosted>(e));
    }

    [Fact]
    public void A_resolved_update_resolves_a_manual_incident_and_nothing_can_be_posted_after_it()
    {
        var identified = IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified), Noon + Duration.FromMinutes(10)).State!;
        var resolved = IncidentTimeline.Decide(identified, Post(IncidentUpdateStatus.Resolved, "Fixed."), Noon + Duration.FromMinutes(30));
        var after = IncidentTimeline.Decide(resolved.State, Post(IncidentUpdateStatus.Monitoring), Noon + Duration.FromMinutes(40));

        Assert.True(resolved.IsAccepted);
        Assert.Equal(Noon + Duration.FromMinutes(30), resolved.State!.Manual!.ResolvedAt);
        Assert.Equal([1, 2, 3], resolved.State.Updates.Select(u => u.Sequence));
        Assert.IsType<ManualIncidentResolved>(resolved.Events[^1]);
        Assert.Equal("incident-resolved", after.Rejection?.Code);
        Assert.Same(resolved.State, after.State);
    }

    [Fact]
    public void A_monitor_incident_gets_its_timeline_with_the_first_update_and_keeps_taking_updates_after_a_resolved_one()
    {
        var first = IncidentTimeline.Decide(null, Post(IncidentUpdateStatus.Investigating, "Looking.", "acme-api"), Noon);
        var resolved = IncidentTimeline.Decide(first.State, Post(IncidentUpdateStatus.Resolved, "Fixed.", "acme-api"), Noon + Duration.FromMinutes(5));
        var postmortem = IncidentTimeline.Decide(resolved.State, Post(IncidentUpdateStatus.Resolved, "Postmortem: a full disk.", "acme-api"), Noon + Duration.FromHours(1));

        Assert.Equal("acme-api", first.State!.MonitorId);
        Assert.Null(first.State.Manual);
        Assert.True(postmortem.IsAccepted);
        Assert.Equal(3, postmortem.State!.Updates.Length);
        Assert.DoesNotContain(resolved.Events, e => e is ManualIncidentResolved);
    }

    [Fact]
    public void An_update_to_a_manual_incident_that_was_never_opened_is_not_found()
        => Assert.Equal("incident-not-found", IncidentTimeline.Decide(null, Post(IncidentUpdateStatus.Identified), Noon).Rejection?.Code);

    [Fact]
    public void An_update_naming_another_customer_or_monitor_is_not_found()
    {
        var monitorIncident = IncidentTimeline.Decide(null, Post(IncidentUpdateStatus.Investigating, monitor: "acme-api"), Noon).State;

        Assert.Equal("incident-not-found", IncidentTimeline.Decide(monitorIncident, Post(IncidentUpdateStatus.Identified, monitor: "acme-web"), Noon).Rejection?.Code);
        Assert.Equal("incident-not-found", IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified) with { CustomerId = "other" }, Noon).Rejection?.Code);
    }

    [Fact]
    public void Opening_twice_is_rejected_and_opening_resolved_is_invalid()
    {
        Assert.Equal("incident-exists", IncidentTimeline.Decide(Opened(), Open(), Noon).Rejection?.Code);
        Assert.Equal("invalid-update", IncidentTimeline.Decide(null, Open(IncidentUpdateStatus.Resolved), Noon).Rejection?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_message_is_invalid(string message)
        => Assert.Equal("invalid-update", IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified, message), Noon).Rejection?.Code);

    [Fact]
    public void A_message_over_ten_thousand_characters_is_invalid_and_one_of_exactly_ten_thousand_is_taken()
    {
        Assert.Equal("invalid-update", IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified, new string('x', 10_001)), Noon).Rejection?.Code);
        Assert.True(IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified, new string('x', 10_000)), Noon).IsAccepted);
    }

    [Fact]
    public void A_manual_incident_without_components_is_invalid()
        => Assert.Equal("invalid-incident", IncidentTimeline.Decide(null, Open() with { Components = [] }, Noon).Rejection?.Code);

    [Fact]
    public void An_update_dated_before_the_last_one_is_rejected()
        => Assert.Equal("time-before-last-update", IncidentTimeline.Decide(Opened(), Post(IncidentUpdateStatus.Identified), Noon - Duration.FromSeconds(1)).Rejection?.Code);

    [Fact]
    public void An_incident_holds_at_most_two_hundred_updates()
    {
        var state = IncidentTimeline.Decide(null, Post(IncidentUpdateStatus.Monitoring, monitor: Api[0]), Noon).State!;
        for (var i = 1; i < IncidentTimeline.MaxUpdates; i++)
        {
            state = IncidentTimeline.Decide(state, Post(IncidentUpdateStatus.Monitoring, monitor: Api[0]), Noon).State!;
        }

        Assert.Equal(IncidentTimeline.MaxUpdates, state.Updates.Length);
        Assert.Equal("too-many-updates", IncidentTimeline.Decide(state, Post(IncidentUpdateStatus.Monitoring, monitor: Api[0]), Noon).Rejection?.Code);
    }

    /// <summary>
    /// Whatever updates are posted to a manual incident, and whenever: updates are numbered 1, 2, 3 … without gaps in
    /// time order; once a resolved update is taken the incident stays resolved at that update's instant and nothing
    /// more is taken; and folding the events gives the state the decision reported.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Updates_are_numbered_in_order_and_a_resolved_manual_incident_takes_nothing_more(int[] steps)
    {
        var state = Opened();
        var now = Noon;
        foreach (var step in steps ?? [])
        {
            now += Duration.FromMinutes(Math.Abs(step % 90)) - (step % 7 == 0 ? Duration.FromMinutes(1) : Duration.Zero);
            var status = (IncidentUpdateStatus)Math.Abs(step % 4);
            var decision = IncidentTimeline.Decide(state, Post(status, $"Update {step}"), now);
            if (decision.IsAccepted)
            {
                if (!state.Manual!.IsOpen || now < state.Latest!.At)
                {
                    return false;
                }

                var folded = decision.Events.Aggregate(state, IncidentTimeline.Apply);
                if (folded.Updates.Length != decision.State!.Updates.Length || folded.Manual != decision.State.Manual)
                {
                    return false;
                }

                if (status == IncidentUpdateStatus.Resolved && decision.State.Manual!.ResolvedAt != now)
                {
                    return false;
                }

                state = decision.State;
            }
            else if (state.Manual!.IsOpen && now >= state.Latest!.At)
            {
                return false;
            }
        }

        var ordered = state.Updates.Select((u, i) => u.Sequence == i + 1 && (i == 0 || u.At >= state.Updates[i - 1].At)).All(ok => ok);
        var resolvedOnlyAtTheEnd = state.Updates.Take(state.Updates.Length - 1).All(u => u.Status != IncidentUpdateStatus.Resolved);
        return ordered && resolvedOnlyAtTheEnd && state.Manual!.IsOpen == (state.Latest!.Status != IncidentUpdateStatus.Resolved);
    }
}
