using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Monitors;

/// <summary>
/// Where the work on an incident stands, as staff tell customers in an update (the words of commercial status pages).
/// The numbers are stored: append only.
/// </summary>
public enum IncidentUpdateStatus
{
    /// <summary>The cause is being looked for.</summary>
    Investigating = 0,

    /// <summary>The cause is known and a fix is under way.</summary>
    Identified = 1,

    /// <summary>A fix is in place and being watched.</summary>
    Monitoring = 2,

    /// <summary>Over: a manual incident ends with this update; a monitor's outage ends when its checks say so.</summary>
    Resolved = 3,
}

/// <summary>
/// How badly a manual incident affects its components while open. The numbers are stored: append only.
/// </summary>
/// <remarks>
/// Manual incidents are communication: they change the status shown to people (a major outage shows its components
/// down, a partial outage or degradation shows them degraded), never availability, error budgets or credits, which
/// come from monitoring alone.
/// </remarks>
public enum IncidentImpact
{
    /// <summary>Slower or flaky, but working.</summary>
    Degraded = 0,

    /// <summary>Some functions or some users cannot work.</summary>
    PartialOutage = 1,

    /// <summary>Not working.</summary>
    MajorOutage = 2,
}

/// <summary>One update of an incident's timeline.</summary>
/// <param name="Sequence">1 for the first update, then 2, 3, … (no gaps).</param>
/// <param name="Status">Where the work stands.</param>
/// <param name="Message">What people are told (1–10,000 characters, trimmed).</param>
/// <param name="By">Who posted it (a user name).</param>
/// <param name="At">When it was posted.</param>
public sealed record IncidentUpdate(int Sequence, IncidentUpdateStatus Status, string Message, string By, Instant At);

/// <summary>What a manual incident is: opened by staff, not by a monitor.</summary>
/// <param name="Title">What people see as its name (1–200 characters).</param>
/// <param name="Components">The affected components (the customer's, by monitor id), at least one, distinct, sorted.</param>
/// <param name="Impact">How badly they are affected while it is open.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="OpenedBy">Who opened it.</param>
/// <param name="ResolvedAt">When its <see cref="IncidentUpdateStatus.Resolved"/> update was posted; null while open.</param>
public sealed record ManualIncident(string Title, ImmutableArray<string> Components, IncidentImpact Impact, Instant OpenedAt, string OpenedBy, Instant? ResolvedAt)
{
    /// <summary>True until a resolved update is posted.</summary>
    public bool IsOpen => ResolvedAt is null;
}

/// <summary>
/// An incident's timeline: the updates staff post (newest last here; pages show them newest first) and, for a manual
/// incident, the incident itself. Changed only through <see cref="Decide"/> and <see cref="Apply"/>, both pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A monitor's incident gets a timeline with its first update; its outage is the monitor's to end (a resolved
/// update is recorded, the checks decide when the outage ended), so updates may follow a resolved one.</item>
/// <item>A manual incident opens with its first update (investigating, identified or monitoring) and is resolved by a
/// <see cref="IncidentUpdateStatus.Resolved"/> update; after it nothing more is posted (<c>incident-resolved</c>).</item>
/// <item>Updates are numbered 1, 2, 3 … in the order posted and never dated before the previous one; at most
/// <see cref="MaxUpdates"/> per incident.</item>
/// </list>
/// </remarks>
/// <param name="CustomerId">The customer whose incident it is.</param>
/// <param name="MonitorId">The monitor whose outage it is; null for a manual incident.</param>
/// <param name="Manual">The manual incident; null for a monitor's.</param>
/// <param name="Updates">The updates, oldest first.</param>
public sealed record IncidentTimeline(string CustomerId, string? MonitorId, ManualIncident? Manual, ImmutableArray<IncidentUpdate> Updates)
{
    /// <summary>Most updates one incident holds.</summary>
    public const int MaxUpdates = 200;

    /// <summary>Longest message.</summary>
    public const int MaxMessage = 10_000;

    /// <summary>Longest title.</summary>
    public const int MaxTitle = 200;

    /// <summary>The newest update; null before the first.</summary>
    public IncidentUpdate? Latest => Updates.IsDefaultOrEmpty ? null : Updates[^1];

    /// <summary>
    /// Decides what <paramref name="command"/> does at <paramref name="now"/> to the timeline <paramref name="state"/>
    /// (null before anything was posted). Returns the events or a rejection; never throws for expected failures.
    /// </summary>
    public static IncidentTimelineDecision Decide(IncidentTimeline? state, IncidentTimelineCommand command, Instant now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Problem(command) is { } invalid)
        {
            return IncidentTimelineDecision.Reject(state, invalid);
        }

        if (state?.Latest is { } latest && now < latest.At)
        {
            return IncidentTimelineDecision.Reject(state, new("time-before-last-update", $"An update at {now} would come before the last one, at {latest.At}."));
        }

        List<IncidentTimelineEvent> events;
        switch (command)
        {
            case OpenManualIncident when state is not null:
                return IncidentTimelineDecision.Reject(state, new("incident-exists", "The incident already exists."));
            case OpenManualIncident open:
                var first = new IncidentUpdate(1, open.Status, open.Message.Trim(), open.By, now);
                events =
                [
                    new ManualIncidentOpened(open.CustomerId, open.Title.Trim(), [.. open.Components.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], open.Impact, open.By, now),
                    new IncidentUpdatePosted(open.CustomerId, null, first),
                ];
                break;
            case PostIncidentUpdate post when state is null && post.MonitorId is null:
                return IncidentTimelineDecision.Reject(null, new("incident-not-found", "The incident does not exist."));
            case PostIncidentUpdate post when state is not null && (state.CustomerId != post.CustomerId || (state.Manual is null && state.MonitorId != post.MonitorId)):
                return IncidentTimelineDecision.Reject(state, new("incident-not-found", "The incident does not exist."));
            case PostIncidentUpdate when state is { Manual.IsOpen: false }:
                return IncidentTimelineDecision.Reject(state, new("incident-resolved", "The incident is resolved: nothing more can be posted to it."));
            case PostIncidentUpdate when state is not null && state.Updates.Length >= MaxUpdates:
                return IncidentTimelineDecision.Reject(state, new("too-many-updates", $"An incident holds at most {MaxUpdates} updates."));
            case PostIncidentUpdate post:
                var update = new IncidentUpdate((state?.Updates.Length ?? 0) + 1, post.Status, post.Message.Trim(), post.By, now);
                events = [new IncidentUpdatePosted(post.CustomerId, state is null ? post.MonitorId : null, update)];
                if (state?.Manual is not null && post.Status == IncidentUpdateStatus.Resolved)
                {
                    events.Add(new ManualIncidentResolved(now));
                }

                break;
            default:
                return IncidentTimelineDecision.Reject(state, new("unknown-command", $"{command.GetType().Name} is not an incident command."));
        }

        var decided = events.Aggregate(state, Apply)!;
        return IncidentTimelineDecision.Accept(events, decided);
    }

    /// <summary>Folds one event into the timeline (null before the first).</summary>
    /// <exception cref="InvalidOperationException">When the event does not fit the state (a bug, not user input).</exception>
    public static IncidentTimeline Apply(IncidentTimeline? state, IncidentTimelineEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return (state, @event) switch
        {
            (null, ManualIncidentOpened o) => new IncidentTimeline(o.CustomerId, null, new ManualIncident(o.Title, o.Components, o.Impact, o.At, o.By, null), []),
            (null, IncidentUpdatePosted { MonitorId: { } monitor } p) => new IncidentTimeline(p.CustomerId, monitor, null, [p.Update]),
            ({ } s, IncidentUpdatePosted p) when p.Update.Sequence == s.Updates.Length + 1 => s with { Updates = s.Updates.Add(p.Update) },
            ({ Manual: { IsOpen: true } manual } s, ManualIncidentResolved r) => s with { Manual = manual with { ResolvedAt = r.At } },
            _ => throw new InvalidOperationException($"{@event.GetType().Name} does not fit the incident's timeline."),
        };
    }

    /// <summary>What is wrong with a command's own values (the application checks them first; this is the guard).</summary>
    private static Rejection? Problem(IncidentTimelineCommand command)
    {
        if (string.IsNullOrWhiteSpace(command.CustomerId) || string.IsNullOrWhiteSpace(command.By))
        {
            return new("invalid-update", "An update names its customer and who posts it.");
        }

        if (string.IsNullOrWhiteSpace(command.Message) || command.Message.Trim().Length > MaxMessage)
        {
            return new("invalid-update", $"An update's message has 1–{MaxMessage:N0} characters.");
        }

        if (!Enum.IsDefined(command.Status))
        {
            return new("invalid-update", $"'{command.Status}' is not an update status.");
        }

        if (command is OpenManualIncident open)
        {
            if (string.IsNullOrWhiteSpace(open.Title) || open.Title.Trim().Length > MaxTitle)
            {
                return new("invalid-incident", $"A manual incident's title has 1–{MaxTitle} characters.");
            }

            if (open.Components.IsDefaultOrEmpty || open.Components.Any(string.IsNullOrWhiteSpace))
            {
                return new("invalid-incident", "A manual incident affects at least one component.");
            }

            if (!Enum.IsDefined(open.Impact))
            {
                return new("invalid-incident", $"'{open.Impact}' is not an impact.");
            }

            if (open.Status == IncidentUpdateStatus.Resolved)
            {
                return new("invalid-update", "A manual incident opens investigating, identified or monitoring; a resolved update ends it.");
            }
        }

        return null;
    }
}

/// <summary>Something asked of an incident's timeline.</summary>
/// <param name="CustomerId">The incident's customer.</param>
/// <param name="Status">The update's status.</param>
/// <param name="Message">The update's message.</param>
/// <param name="By">Who posts it.</param>
public abstract record IncidentTimelineCommand(string CustomerId, IncidentUpdateStatus Status, string Message, string By);

/// <summary>Opens a manual incident with its first update.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Title">Its title.</param>
/// <param name="Components">The affected components (monitor ids of the customer's components).</param>
/// <param name="Impact">How badly they are affected.</param>
/// <param name="Status">The first update's status (not resolved).</param>
/// <param name="Message">The first update's message.</param>
/// <param name="By">Who opens it.</param>
public sealed record OpenManualIncident(string CustomerId, string Title, ImmutableArray<string> Components, IncidentImpact Impact, IncidentUpdateStatus Status, string Message, string By)
    : IncidentTimelineCommand(CustomerId, Status, Message, By);

/// <summary>Posts an update to an incident.</summary>
/// <param name="CustomerId">The incident's customer.</param>
/// <param name="MonitorId">For a monitor's incident, its monitor (the first update starts its timeline); null for a manual one.</param>
/// <param name="Status">Where the work stands.</param>
/// <param name="Message">What people are told.</param>
/// <param name="By">Who posts it.</param>
public sealed record PostIncidentUpdate(string CustomerId, string? MonitorId, IncidentUpdateStatus Status, string Message, string By)
    : IncidentTimelineCommand(CustomerId, Status, Message, By);

/// <summary>Something that happened to an incident's timeline.</summary>
public abstract record IncidentTimelineEvent;

/// <summary>A manual incident was opened (its first update follows).</summary>
public sealed record ManualIncidentOpened(string CustomerId, string Title, ImmutableArray<string> Components, IncidentImpact Impact, string By, Instant At) : IncidentTimelineEvent;

/// <summary>An update was posted; <paramref name="MonitorId"/> is set on a monitor incident's first update (it starts the timeline).</summary>
public sealed record IncidentUpdatePosted(string CustomerId, string? MonitorId, IncidentUpdate Update) : IncidentTimelineEvent;

/// <summary>A manual incident was resolved by a resolved update.</summary>
public sealed record ManualIncidentResolved(Instant At) : IncidentTimelineEvent;

/// <summary>The outcome of <see cref="IncidentTimeline.Decide"/>: the events and the state after them, or why nothing changed.</summary>
public sealed record IncidentTimelineDecision
{
    private IncidentTimelineDecision(IReadOnlyList<IncidentTimelineEvent> events, IncidentTimeline? state, Rejection? rejection)
    {
        Events = events;
        State = state;
        Rejection = rejection;
    }

    /// <summary>The events, in order; empty when rejected.</summary>
    public IReadOnlyList<IncidentTimelineEvent> Events { get; }

    /// <summary>The timeline after the events; the unchanged one when rejected.</summary>
    public IncidentTimeline? State { get; }

    /// <summary>Why the command was refused; null when accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Rejection is null;

    internal static IncidentTimelineDecision Accept(IReadOnlyList<IncidentTimelineEvent> events, IncidentTimeline state) => new(events, state, null);

    internal static IncidentTimelineDecision Reject(IncidentTimeline? state, Rejection rejection) => new([], state, rejection);
}
