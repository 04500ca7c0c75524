using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Subscribers;

/// <summary>Where a public status page subscriber stands.</summary>
public enum SubscriptionStatus
{
    /// <summary>Asked for, not yet confirmed from the mail: receives nothing but the confirmation.</summary>
    Pending,

    /// <summary>Confirmed: receives the updates of the components it follows.</summary>
    Confirmed,

    /// <summary>Unsubscribed: receives nothing; subscribing again starts a new confirmation.</summary>
    Unsubscribed,
}

/// <summary>
/// One email subscriber of one public status page. <see cref="Components"/> is what it receives (empty: every
/// component); <see cref="Requested"/> is a change waiting for its confirmation (a confirmed subscriber keeps
/// receiving what it confirmed until then, so nobody can change or stop someone else's mail by typing their
/// address). <see cref="Generation"/> numbers the confirmation requests: only the latest mail's link confirms.
/// </summary>
/// <param name="Address">The email address, as normalised by the caller (trimmed, domain lower-cased).</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Components">The components it receives updates for once confirmed; empty for all.</param>
/// <param name="Requested">The components asked for and not yet confirmed, or null.</param>
/// <param name="Generation">The number of the latest confirmation request (1 for the first).</param>
/// <param name="RequestedAt">When the latest confirmation was asked for.</param>
/// <param name="ConfirmationSentAt">When the latest confirmation mail was queued, or null when none was.</param>
/// <param name="ConfirmedAt">When it was last confirmed, or null.</param>
public sealed record StatusSubscription(
    string Address,
    SubscriptionStatus Status,
    ImmutableSortedSet<string> Components,
    ImmutableSortedSet<string>? Requested,
    int Generation,
    Instant RequestedAt,
    Instant? ConfirmationSentAt,
    Instant? ConfirmedAt)
{
    /// <summary>How long a confirmation link works.</summary>
    public static readonly Duration ConfirmationLifetime = Duration.FromHours(48);

    /// <summary>The least time between two confirmation mails to one address: a form cannot be used to flood a mailbox.</summary>
    public static readonly Duration ConfirmationMailSpacing = Duration.FromMinutes(10);

    /// <summary>The most components one subscriber may pick.</summary>
    public const int MaxComponents = 100;

    /// <summary>True when an update of <paramref name="components"/> (empty: the whole page) goes to this subscriber.</summary>
    public bool Receives(IReadOnlyCollection<string> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return Status == SubscriptionStatus.Confirmed
            && (Components.IsEmpty || components.Count == 0 || components.Any(Components.Contains));
    }
}

/// <summary>A request about a subscription.</summary>
public abstract record SubscriberCommand;

/// <summary>A visitor asks for updates of <paramref name="Components"/> (empty: all) at the address.</summary>
public sealed record RequestSubscription(ImmutableSortedSet<string> Components) : SubscriberCommand;

/// <summary>The link of confirmation mail number <paramref name="Generation"/> was followed.</summary>
public sealed record ConfirmSubscription(int Generation) : SubscriberCommand;

/// <summary>The one-click unsubscribe link was followed (or staff removed the subscriber).</summary>
public sealed record Unsubscribe : SubscriberCommand;

/// <summary>What came of a command.</summary>
public abstract record SubscriberEvent(Instant At);

/// <summary>A confirmation mail for <paramref name="Generation"/> is to be sent (queued by the caller).</summary>
public sealed record ConfirmationRequested(Instant At, int Generation, ImmutableSortedSet<string> Components) : SubscriberEvent(At);

/// <summary>A confirmation was asked for too soon after the last mail: recorded, no mail.</summary>
public sealed record ConfirmationHeldBack(Instant At, int Generation) : SubscriberEvent(At);

/// <summary>The subscriber confirmed; it now receives <paramref name="Components"/>.</summary>
public sealed record SubscriptionConfirmed(Instant At, ImmutableSortedSet<string> Components) : SubscriberEvent(At);

/// <summary>The subscriber left.</summary>
public sealed record Unsubscribed(Instant At) : SubscriberEvent(At);

/// <summary>The outcome of <see cref="SubscriberLifecycle.Decide"/>: the state after, the events, or a rejection.</summary>
/// <param name="State">The state after the command; unchanged when rejected; null when there was none and none was made.</param>
/// <param name="Events">What happened, in order; empty for an idempotent repeat or a rejection.</param>
/// <param name="Rejection">Why the command was refused, or null.</param>
public sealed record SubscriberDecision(StatusSubscription? State, ImmutableArray<SubscriberEvent> Events, Rejection? Rejection);

/// <summary>
/// The double opt-in lifecycle of a status page's email subscriber, as a pure function. A request is answered the same
/// way whatever the address's state (the page never tells whether an address is subscribed); confirmation links expire
/// and only the latest one works; unsubscribing always works and is idempotent.
/// </summary>
public static class SubscriberLifecycle
{
    /// <summary>Decides <paramref name="command"/> for the address's subscription <paramref name="state"/> (null: none yet) at <paramref name="now"/>.</summary>
    public static SubscriberDecision Decide(string address, StatusSubscription? state, SubscriberCommand command, Instant now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentNullException.ThrowIfNull(command);
        return command switch
        {
            RequestSubscription request => Request(address, state, request.Components, now),
            ConfirmSubscription confirm => Confirm(state, confirm.Generation, now),
            Unsubscribe => Leave(state, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown subscriber command."),
        };
    }

    private static SubscriberDecision Request(string address, StatusSubscription? state, ImmutableSortedSet<string> components, Instant now)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count > StatusSubscription.MaxComponents)
        {
            return new(state, [], new Rejection("too-many-components", $"Pick at most {StatusSubscription.MaxComponents} components, or none for all of them."));
        }

        if (state?.ConfirmationSentAt is { } sent && now - sent < StatusSubscription.ConfirmationMailSpacing)
        {
            // Nothing changes: the mail already sent still confirms what it said, and no second mail goes out yet.
            return new(state, [new ConfirmationHeldBack(now, state.Generation)], null);
        }

        var generation = (state?.Generation ?? 0) + 1;
        var after = state is { Status: SubscriptionStatus.Confirmed }
            ? state with { Requested = components, Generation = generation, RequestedAt = now, ConfirmationSentAt = now }
            : new StatusSubscription(address, SubscriptionStatus.Pending, components, null, generation, now, now, state?.ConfirmedAt);
        return new(after, [new ConfirmationRequested(now, generation, components)], null);
    }

    private static SubscriberDecision Confirm(StatusSubscription? state, int generation, Instant now)
    {
        if (state is null || state.Status == SubscriptionStatus.Unsubscribed)
        {
            return new(state, [], new Rejection("no-subscription", "There is nothing to confirm for this address: subscribe again."));
        }

        if (generation != state.Generation)
        {
            // Following an older link after the change it asked for was confirmed is a harmless repeat.
            return generation < state.Generation && state is { Status: SubscriptionStatus.Confirmed, Requested: null }
                ? new(state, [], null)
                : new(state, [], new Rejection("confirmation-superseded", "A newer confirmation mail was sent: use the link in the latest one."));
        }

        if (state is { Status: SubscriptionStatus.Confirmed, Requested: null })
        {
            return new(state, [], null);
        }

        if (now - state.RequestedAt > StatusSubscription.ConfirmationLifetime)
        {
            return new(state, [], new Rejection("confirmation-expired", "This confirmation link has expired: subscribe again to get a new one."));
        }

        var components = state.Status == SubscriptionStatus.Confirmed ? state.Requested! : state.Components;
        var confirmed = state with { Status = SubscriptionStatus.Confirmed, Components = components, Requested = null, ConfirmedAt = now };
        return new(confirmed, [new SubscriptionConfirmed(now, components)], null);
    }

    private static SubscriberDecision Leave(StatusSubscription? state, Instant now)
        => state is null or { Status: SubscriptionStatus.Unsubscribed }
            ? new(state, [], null)
            : new(state with { Status = SubscriptionStatus.Unsubscribed, Requested = null }, [new Unsubscribed(now)], null);
}
