using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Monitors;

/// <summary>
/// The rules of one uptime monitor: check results and heartbeats in; incidents, unknown time, maintenance, burn-rate
/// alerts and the health told to the customer out. Changed only through <see cref="Decide"/> (a command at an instant →
/// events, or a rejection) and <see cref="Apply"/> (fold one event). Both are pure: time is a parameter.
/// </summary>
/// <remarks>
/// <para><b>Incidents.</b> Every decision re-reads the kept results with <see cref="OutageTimeline.Outages"/>: a new
/// confirmed outage opens an incident dated back to its first failure and <em>opened</em> at the instant of the result
/// that confirmed it (so back-filled history keeps honest times to detect); the end of an outage resolves it. Incidents
/// are matched to outages by overlap, so an incident keeps its start after the results that dated it are pruned.</para>
/// <para><b>Maintenance.</b> An outage that starts inside announced maintenance with the contract's notice
/// (<see cref="MaintenanceWindow.IsExcluded"/>) is recorded as an incident <em>during maintenance</em> (internal: not
/// shown to customers, no webhook, no alert) up to the window's end; if it outlasts the window, an ordinary incident
/// opens at the window's end. An outage inside a window announced too late is ordinary downtime and its incident
/// says why. While inside an in-time window the component's health is <see cref="ComponentHealth.Maintenance"/>.</para>
/// <para><b>Unknown time.</b> A monitor with a stale-after time that has had no result for that long, and is not in
/// an outage, is <see cref="ComponentHealth.Unknown"/> from the instant it fell due until the next result; gaps that
/// long between back-filled results are unknown too. Unknown time is neither up nor down: <see cref="UnknownTime"/>
/// never overlaps a counted outage. (A failing service that falls silent stays down until a success shows it back.)</para>
/// <para><b>Heartbeats.</b> A heartbeat is a success at now. With a grace, a heartbeat not followed by another within
/// it is a failure dated when the grace ran out, then one per further grace until N failures confirmed the outage.</para>
/// <para><b>Burn rates</b> are evaluated at each decision (each result, probe, heartbeat or deadline) over the
/// customer-visible incidents; an alert starting or stopping is an event, keyed by (monitor, name, started at). The
/// newest <see cref="MaxRecentAlerts"/> firings are kept, firing or stopped, so staff can acknowledge one
/// (<see cref="AcknowledgeBurnRateAlert"/>): once, by whom and when; acknowledging again keeps the first and records
/// nothing; a firing not kept is <c>budget-alert-not-found</c>. Acknowledging changes nothing else: an acknowledged
/// alert still stops when the burn rates fall.</para>
/// <para><b>Bounds.</b> Raw results are kept for <see cref="ResultWindow"/> before the newest (at most
/// <see cref="MaxResults"/>); incidents and unknown times that ended <see cref="HistoryRetention"/> before the newest
/// result are dropped, and at most <see cref="MaxUnknownIntervals"/> unknown times are kept.</para>
/// </remarks>
public sealed record MonitorRules
{
    /// <summary>Raw results kept before the newest one: 2 days.</summary>
    public static readonly Duration ResultWindow = Duration.FromDays(2);

    /// <summary>At most this many raw results are kept (the oldest go first).</summary>
    public const int MaxResults = 10_000;

    /// <summary>Incidents and unknown times that ended longer ago than this (before the newest result) are dropped: 400 days.</summary>
    public static readonly Duration HistoryRetention = Duration.FromDays(400);

    /// <summary>At most this many past unknown times are kept (the oldest go first).</summary>
    public const int MaxUnknownIntervals = 1_000;

    /// <summary>At most this many burn-rate alert firings are kept for acknowledgement: 50 (the oldest stopped ones go first).</summary>
    public const int MaxRecentAlerts = 50;

    /// <summary>The monitor's id (incident and maintenance ids start with it).</summary>
    public required string MonitorId { get; init; }

    /// <summary>The rules.</summary>
    public required MonitorPolicy Policy { get; init; }

    /// <summary>When the monitor was first configured (no result since then for the stale-after time: unknown).</summary>
    public required Instant ConfiguredAt { get; init; }

    /// <summary>Recent check results (heartbeats as successes, missed heartbeats as failures), any order.</summary>
    public ImmutableList<CheckResult> Results { get; init; } = [];

    /// <summary>Incidents, oldest first.</summary>
    public ImmutableList<MonitorIncident> Incidents { get; init; } = [];

    /// <summary>Maintenance windows not cancelled, by announcement.</summary>
    public ImmutableList<MonitorMaintenance> Maintenance { get; init; } = [];

    /// <summary>The next incident's sequence number.</summary>
    public int NextIncident { get; init; } = 1;

    /// <summary>The next maintenance window's sequence number.</summary>
    public int NextMaintenance { get; init; } = 1;

    /// <summary>The last heartbeat; null when none yet.</summary>
    public Instant? LastHeartbeat { get; init; }

    /// <summary>When the next heartbeat is due; null when none is awaited.</summary>
    public Instant? HeartbeatDueAt { get; init; }

    /// <summary>Heartbeats missed in a row (a failure each); none are awaited after N.</summary>
    public int MissedHeartbeats { get; init; }

    /// <summary>The burn-rate alerts firing, with when each started.</summary>
    public ImmutableList<FiringAlert> FiringAlerts { get; init; } = [];

    /// <summary>
    /// The newest burn-rate alert firings (at most <see cref="MaxRecentAlerts"/>), by start: firing or stopped, with
    /// their acknowledgement. The firings an acknowledgement can name.
    /// </summary>
    public ImmutableList<AlertFiring> RecentAlerts { get; init; } = [];

    /// <summary>The newest result's instant; null when none yet.</summary>
    public Instant? LastDataAt { get; init; }

    /// <summary>Since when the monitor has been unknown (no data); null while it has data.</summary>
    public Instant? UnknownSince { get; init; }

    /// <summary>Past unknown times, oldest first, half-open.</summary>
    public ImmutableList<Interval> UnknownIntervals { get; init; } = [];

    /// <summary>What the monitor last decided to tell its customer.</summary>
    public ComponentHealth Health { get; init; } = ComponentHealth.Up;

    /// <summary>
    /// Per-minute good/total latency checks over the longest burn-rate window (3 days): what the latency burn-rate
    /// alerts decide on. Empty without a latency objective.
    /// </summary>
    public LatencyCounts LatencyCounts { get; init; } = LatencyCounts.Empty;

    /// <summary>Whether a customer-visible outage is open now.</summary>
    public bool IsDown => Incidents.Any(i => i.IsOpen && !i.DuringMaintenance);

    /// <summary>The open incident customers see, if any.</summary>
    public MonitorIncident? OpenIncident => Incidents.LastOrDefault(i => i.IsOpen && !i.DuringMaintenance);

    /// <summary>The downtime that counts: the intervals of incidents not during maintenance (ongoing ones open).</summary>
    public IReadOnlyList<Interval> DownIntervals() => [.. Incidents.Where(i => !i.DuringMaintenance).Select(i => i.Interval)];

    /// <summary>
    /// The unknown time (an ongoing one without an end), minus any counted downtime, so no instant is both unknown and
    /// down; sorted, disjoint, half-open.
    /// </summary>
    public IReadOnlyList<Interval> UnknownTime()
    {
        var unknown = UnknownIntervals.Where(i => i.Start < i.End).ToList();
        if (UnknownSince is { } since)
        {
            unknown.Add(new Interval(since, null));
        }

        // Open intervals run to the end of time for the set arithmetic and come back open.
        var all = new Interval(Instant.MinValue, Instant.MaxValue);
        return [.. IntervalSet.Subtract(IntervalSet.Normalise(unknown, all), IntervalSet.Normalise(DownIntervals(), all))
            .Select(i => i.End == Instant.MaxValue ? new Interval(i.Start, null) : i)];
    }

    /// <summary>
    /// The next instant something falls due without a command: a heartbeat, the stale-after time, a boundary of
    /// in-time maintenance (health changes, an outage inside it becomes ordinary) after <paramref name="now"/>.
    /// </summary>
    public Instant? NextDeadline(Instant now)
    {
        Instant? next = HeartbeatDueAt;
        if (StaleDueAt() is { } stale)
        {
            next = Earliest(next, stale);
        }

        foreach (var window in Maintenance.Where(m => m.Window.IsExcluded(Policy.Notice)))
        {
            if (window.Start > now)
            {
                next = Earliest(next, window.Start);
            }
            else if (window.End > now)
            {
                next = Earliest(next, window.End);
            }
        }

        return next;

        static Instant Earliest(Instant? a, Instant b) => a is { } x && x < b ? x : b;
    }

    /// <summary>When the monitor becomes unknown without a result; null when it cannot (no stale-after, already unknown, or down).</summary>
    public Instant? StaleDueAt()
        => Policy.StaleAfter is { } stale && UnknownSince is null && !IsDown ? (LastDataAt ?? ConfiguredAt) + stale : null;

    /// <summary>
    /// Decides what <paramref name="command"/> does at <paramref name="now"/> to a monitor in <paramref name="state"/>
    /// (null before it is configured). Returns the events — what fell due first, then the command's, then the incidents,
    /// unknown time, pruning, burn-rate alerts and health that follow — or a rejection; never throws for expected failures.
    /// </summary>
    public static MonitorDecision Decide(MonitorRules? state, MonitorCommand command, Instant now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (state is null)
        {
            if (command is not ConfigureMonitor configure)
            {
                return MonitorDecision.Reject(null, "monitor-not-configured", "The monitor is not configured.");
            }

            var monitorId = configure.MonitorId;

            if (configure.Policy.Problem() is { } problem)
            {
                return MonitorDecision.Reject(null, problem.Code, problem.Message);
            }

            var configured = new MonitorConfigured(now, configure.Policy);
            var first = new MonitorRules { MonitorId = monitorId, Policy = configure.Policy, ConfiguredAt = now };
            var initial = new List<MonitorEvent> { configured };
            return MonitorDecision.Accept(initial, Settle(first, now, initial));
        }

        var events = new List<MonitorEvent>();
        var current = state;
        void Emit(MonitorEvent e)
        {
            events.Add(e);
            current = Apply(current, e);
        }

        // What fell due before now is recorded first, dated when it fell due.
        RecordMissedHeartbeats(current, now, before: true, Emit);
        var rejection = command switch
        {
            ConfigureMonitor c => Configure(current, c.Policy, now, Emit),
            RecordResults c => Record(current, c.Results, now, Emit),
            RecordHeartbeat => Beat(current, now, Emit),
            CheckDeadlines => null,
            AnnounceMaintenance c => Announce(current, c, now, Emit),
            CancelMaintenance c => Cancel(current, c.MaintenanceId, now, Emit),
            AcknowledgeBurnRateAlert c => Acknowledge(current, c, now, Emit),
            _ => new Rejection("unknown-command", $"{command.GetType().Name} is not a monitor command."),
        };

        if (rejection is not null)
        {
            return MonitorDecision.Reject(state, rejection.Code, rejection.Message);
        }

        return MonitorDecision.Accept(events, Settle(current, now, events));
    }

    /// <summary>Folds one event into the state.</summary>
    /// <exception cref="InvalidOperationException">When the event does not fit (a bug, not user input).</exception>
    public static MonitorRules Apply(MonitorRules state, MonitorEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        return @event switch
        {
            MonitorConfigured e => state with
            {
                Policy = e.Policy,
                HeartbeatDueAt = e.Policy.HeartbeatGrace is null ? null : state.HeartbeatDueAt,
                UnknownSince = e.Policy.StaleAfter is null ? null : state.UnknownSince,
                UnknownIntervals = e.Policy.StaleAfter is null && state.UnknownSince is { } since && since < e.At
                    ? state.UnknownIntervals.Add(new Interval(since, e.At)) : state.UnknownIntervals,

                // A new threshold judges again what is kept: the counts are rebuilt from the kept results.
                LatencyCounts = e.Policy.Latency == state.Policy.Latency ? state.LatencyCounts
                    : e.Policy.Latency is { } latency ? LatencyCounts.From(state.Results, latency) : LatencyCounts.Empty,
            },
            ResultsRecorded e => state.WithResults(e.Results) with
            {
                LatencyCounts = state.Policy.Latency is { } latency ? state.LatencyCounts.Add(e.Results, latency) : state.LatencyCounts,
            },
            HeartbeatReceived e => state.WithResults([CheckResult.Up(e.At, e.Region)]) with
            {
                LastHeartbeat = e.At,
                MissedHeartbeats = 0,
                HeartbeatDueAt = e.NextDueAt,
            },
            HeartbeatMissed e => state.WithResults([CheckResult.Down(e.At, e.Region)]) with
            {
                MissedHeartbeats = state.MissedHeartbeats + 1,
                HeartbeatDueAt = e.NextDueAt,
            },
            IncidentOpened e => state with
            {
                Incidents = [.. state.Incidents.Add(e.Incident).OrderBy(i => i.Start)],
                NextIncident = state.NextIncident + 1,
            },
            IncidentResolved e => state with { Incidents = state.Incidents.Select(i => i.Id == e.Incident.Id ? e.Incident : i).ToImmutableList() },
            BecameUnknown e => state with { UnknownSince = e.At },
            DataResumed e => state with
            {
                UnknownSince = null,
                UnknownIntervals = e.Unknown.Start < e.Unknown.End ? Bounded(state.UnknownIntervals.Add(e.Unknown)) : state.UnknownIntervals,
            },
            UnknownRecorded e => state with { UnknownIntervals = Bounded([.. state.UnknownIntervals.Add(e.Unknown).OrderBy(i => i.Start)]) },
            MaintenanceAnnounced e => state with { Maintenance = state.Maintenance.Add(e.Window), NextMaintenance = state.NextMaintenance + 1 },
            MaintenanceCancelled e => state with { Maintenance = state.Maintenance.RemoveAll(m => m.Id == e.Window.Id) },
            BurnRateAlertStarted e => state with
            {
                FiringAlerts = state.FiringAlerts.Add(new FiringAlert(e.Status.Alert.Name, e.At)),
                RecentAlerts = BoundedAlerts(state.RecentAlerts.Add(new AlertFiring(e.Status.Alert.Name, e.At))),
            },
            BurnRateAlertStopped e => state with
            {
                FiringAlerts = state.FiringAlerts.RemoveAll(a => a.Name == e.Status.Alert.Name),
                RecentAlerts = state.RecentAlerts.Select(a => a.Is(e.Status.Alert.Name, e.StartedAt) ? a with { StoppedAt = e.At } : a).ToImmutableList(),
            },
            BurnRateAlertAcknowledged e => state with
            {
                RecentAlerts = state.RecentAlerts.Select(a => a.Is(e.Name, e.StartedAt) ? a with { AcknowledgedAt = e.At, AcknowledgedBy = e.By } : a).ToImmutableList(),
            },
            HealthChanged e => state with { Health = e.Health },
            HistoryPruned e => state.Pruned(e),
            _ => throw new InvalidOperationException($"Unknown monitor event {@event.GetType().Name}."),
        };
    }

    /// <summary>Folds events in order.</summary>
    public static MonitorRules Fold(MonitorRules state, IEnumerable<MonitorEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            state = Apply(state, e);
        }

        return state;
    }

    /// <summary>
    /// The health told to the customer at <paramref name="now"/>: down in a customer-visible outage; under maintenance
    /// in an outage during maintenance or inside in-time maintenance; unknown without data; else up.
    /// </summary>
    public ComponentHealth HealthAt(Instant now)
    {
        if (IsDown)
        {
            return ComponentHealth.Down;
        }

        if (Incidents.Any(i => i.IsOpen && i.DuringMaintenance) || InTimeWindowAt(now) is not null)
        {
            return ComponentHealth.Maintenance;
        }

        return UnknownSince is null ? ComponentHealth.Up : ComponentHealth.Unknown;
    }

    /// <summary>The burn-rate alerts evaluated at <paramref name="now"/> over the customer-visible downtime.</summary>
    public IReadOnlyList<BurnRateAlertStatus> BurnRates(Instant now)
        => BurnRate.Evaluate(DownIntervals(), Policy.SloPercent, now, Maintenance.Select(m => m.Window), Policy.Notice);

    /// <summary>The latency burn-rate alerts evaluated at <paramref name="now"/> (none without a latency objective).</summary>
    public IReadOnlyList<BurnRateAlertStatus> LatencyBurnRates(Instant now)
        => Policy.Latency is { } latency ? LatencyBurnRate.Evaluate(LatencyCounts, latency, now) : [];

    private MonitorMaintenance? InTimeWindowAt(Instant at)
        => Maintenance.FirstOrDefault(m => m.Start <= at && at < m.End && m.Window.IsExcluded(Policy.Notice));

    private static Rejection? Configure(MonitorRules state, MonitorPolicy policy, Instant now, Action<MonitorEvent> emit)
    {
        if (policy.Problem() is { } problem)
        {
            return problem;
        }

        emit(new MonitorConfigured(now, policy));
        return null;
    }

    private static Rejection? Record(MonitorRules state, ImmutableArray<CheckResult> results, Instant now, Action<MonitorEvent> emit)
    {
        if (results.IsDefaultOrEmpty)
        {
            return new Rejection("no-results", "A batch needs at least one check result.");
        }

        var regions = state.Policy.Regions;
        if (!regions.IsDefaultOrEmpty && results.FirstOrDefault(r => r.Region is null || !regions.Contains(r.Region)) is { } stray && stray != default)
        {
            return new Rejection("unknown-region", $"Monitor '{state.MonitorId}' probes from {string.Join(", ", regions)}; got a result from '{stray.Region}'.");
        }

        // Gaps longer than the stale-after time between results newer than any kept are unknown time: the open one
        // ends at the first new result, the others are recorded as they are found (back-fill in order).
        if (state.Policy.StaleAfter is { } stale)
        {
            var newer = results.Select(r => r.At).Where(at => state.LastDataAt is not { } last || at > last).Distinct().Order().ToList();
            Instant? previous = state.LastDataAt;
            if (newer.Count > 0 && state.UnknownSince is { } since)
            {
                emit(new DataResumed(newer[0], new Interval(since, newer[0] > since ? newer[0] : since)));
                previous = newer[0];
                newer.RemoveAt(0);
            }

            foreach (var at in newer)
            {
                if (previous is { } before && at - before > stale)
                {
                    emit(new UnknownRecorded(at, new Interval(before + stale, at)));
                }

                previous = at;
            }
        }

        emit(new ResultsRecorded(now, results));
        return null;
    }

    private static Rejection? Beat(MonitorRules state, Instant now, Action<MonitorEvent> emit)
    {
        if (state.UnknownSince is { } since)
        {
            emit(new DataResumed(now, new Interval(since, now > since ? now : since)));
        }

        emit(new HeartbeatReceived(now, HeartbeatRegion(state), state.Policy.HeartbeatGrace is { } grace ? now + grace : null));
        return null;
    }

    private static Rejection? Announce(MonitorRules state, AnnounceMaintenance command, Instant now, Action<MonitorEvent> emit)
    {
        if (command.End <= command.Start)
        {
            return new Rejection("invalid-maintenance", $"Maintenance must end after it starts; got [{command.Start}, {command.End}).");
        }

        var window = new MonitorMaintenance($"{state.MonitorId}-m{state.NextMaintenance}", command.Start, command.End, now, command.Description ?? string.Empty);
        emit(new MaintenanceAnnounced(now, window));
        return null;
    }

    private static Rejection? Cancel(MonitorRules state, string maintenanceId, Instant now, Action<MonitorEvent> emit)
    {
        if (state.Maintenance.FirstOrDefault(m => m.Id == maintenanceId) is not { } window)
        {
            return new Rejection("maintenance-not-found", $"Monitor '{state.MonitorId}' has no maintenance '{maintenanceId}'.");
        }

        emit(new MaintenanceCancelled(now, window));
        return null;
    }

    private static Rejection? Acknowledge(MonitorRules state, AcknowledgeBurnRateAlert command, Instant now, Action<MonitorEvent> emit)
    {
        if (string.IsNullOrWhiteSpace(command.By))
        {
            return new Rejection("invalid-acknowledgement", "An acknowledgement needs who gives it.");
        }

        if (state.RecentAlerts.FirstOrDefault(a => a.Is(command.Name, command.StartedAt)) is not { } firing)
        {
            return new Rejection(
                "budget-alert-not-found",
                $"Monitor '{state.MonitorId}' has no burn-rate alert '{command.Name}' that started at {command.StartedAt} among its {MaxRecentAlerts} latest.");
        }

        // Acknowledged already: the first acknowledgement stands and nothing is recorded (like an escalation's).
        if (!firing.IsAcknowledged)
        {
            emit(new BurnRateAlertAcknowledged(now, firing.Name, firing.StartedAt, command.By));
        }

        return null;
    }

    /// <summary>After the command: missed heartbeats, incidents, unknown time, pruning, burn-rate alerts, health.</summary>
    private static MonitorRules Settle(MonitorRules state, Instant now, List<MonitorEvent> events)
    {
        var current = state;
        void Emit(MonitorEvent e)
        {
            events.Add(e);
            current = Apply(current, e);
        }

        RecordMissedHeartbeats(current, now, before: false, Emit);
        Reconcile(current, now, Emit);
        if (current.StaleDueAt() is { } due && due <= now)
        {
            Emit(new BecameUnknown(due));
        }

        Prune(current, now, Emit);
        UpdateAlerts(current, now, Emit);
        if (current.HealthAt(now) is var health && health != current.Health)
        {
            Emit(new HealthChanged(now, health));
        }

        return current;
    }

    private static void RecordMissedHeartbeats(MonitorRules state, Instant now, bool before, Action<MonitorEvent> emit)
    {
        var due = state.HeartbeatDueAt;
        var missed = state.MissedHeartbeats;
        while (due is { } at && (before ? at < now : at <= now) && state.Policy.HeartbeatGrace is { } grace)
        {
            missed++;
            var next = missed >= state.Policy.ConsecutiveFailures ? (Instant?)null : at + grace;
            emit(new HeartbeatMissed(at, HeartbeatRegion(state), next));
            due = next;
        }
    }

    /// <summary>Brings the incidents in line with the outages of the kept results (see the type's remarks).</summary>
    private static void Reconcile(MonitorRules state, Instant now, Action<MonitorEvent> emit)
    {
        var incidents = state.Incidents.ToList();
        var next = state.NextIncident;
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in Segments(state, now))
        {
            var index = incidents.FindIndex(i => i.DuringMaintenance == (segment.MaintenanceId is not null) && Overlaps(i.Interval, segment.Interval));
            if (index < 0)
            {
                var opened = new MonitorIncident(
                    $"{state.MonitorId}-{next}",
                    segment.Interval.Start,
                    segment.Interval.HasEnd ? segment.Interval.End : null,
                    Clamp(segment.ConfirmedAt, segment.Interval.Start, now),
                    segment.Interval.HasEnd ? now : null,
                    segment.MaintenanceId,
                    segment.Note);
                next++;
                incidents.Add(opened);
                matched.Add(opened.Id);
                emit(new IncidentOpened(now, opened with { End = null, ResolvedAt = null }));
                if (opened.End is not null)
                {
                    emit(new IncidentResolved(now, opened));
                }

                continue;
            }

            var existing = incidents[index];
            matched.Add(existing.Id);
            if (existing.IsOpen && segment.Interval.HasEnd)
            {
                incidents[index] = existing with { End = segment.Interval.End, ResolvedAt = now };
                emit(new IncidentResolved(now, incidents[index]));
            }
        }

        // An open incident the kept results no longer show as an outage (a late success re-read the run, or its
        // maintenance was cancelled): it ended at the first success after its start.
        foreach (var incident in incidents.Where(i => i.IsOpen && !matched.Contains(i.Id)).ToList())
        {
            var end = state.Results.Where(r => !r.IsDown && r.At > incident.Start).Select(r => (Instant?)r.At).Min() ?? now;
            if (incident.MaintenanceId is { } id && state.Maintenance.FirstOrDefault(m => m.Id == id) is { } window && window.End < end)
            {
                end = window.End;
            }

            emit(new IncidentResolved(now, incident with { End = end > incident.Start ? end : now, ResolvedAt = now }));
        }
    }

    /// <summary>The outages, split where one starts inside in-time maintenance and outlasts it.</summary>
    private static List<Segment> Segments(MonitorRules state, Instant now)
    {
        var segments = new List<Segment>();
        foreach (var outage in OutageTimeline.Outages(state.Results, state.Policy.ConsecutiveFailures))
        {
            var interval = outage.Interval;
            if (state.InTimeWindowAt(interval.Start) is { } window)
            {
                var endsInside = interval.HasEnd && interval.End <= window.End;
                var outlasted = interval.HasEnd ? interval.End > window.End : window.End <= now;
                segments.Add(new Segment(
                    endsInside ? interval : new Interval(interval.Start, outlasted ? window.End : null),
                    outage.ConfirmedAt,
                    window.Id,
                    null));
                if (outlasted)
                {
                    segments.Add(new Segment(
                        new Interval(window.End, interval.HasEnd ? interval.End : null),
                        outage.ConfirmedAt > window.End ? outage.ConfirmedAt : window.End,
                        null,
                        null));
                }

                continue;
            }

            var late = state.Maintenance.FirstOrDefault(m => m.Start <= interval.Start && interval.Start < m.End);
            segments.Add(new Segment(interval, outage.ConfirmedAt, null, late is null ? null : LateNotice(late, state.Policy.Notice)));
        }

        return segments;
    }

    /// <summary>Why downtime inside a window counts, in words.</summary>
    public static string LateNotice(MonitorMaintenance window, Duration notice)
    {
        ArgumentNullException.ThrowIfNull(window);
        var given = window.Start - window.AnnouncedAt;
        var when = given >= Duration.Zero ? $"{Words(given)} before it started" : $"{Words(-given)} after it started";
        return $"Counted as downtime: maintenance {window.Id} was announced {when}; the contract needs {Words(notice)} notice.";
    }

    /// <summary>A duration in words, rounded down: <c>8 d 3 h</c> from a week on, else <c>48 h</c>, <c>1 h 5 min</c>, <c>10 min</c>, <c>30 s</c>.</summary>
    public static string Words(Duration duration)
    {
        var d = duration < Duration.Zero ? -duration : duration;
        if (d >= Duration.FromDays(7))
        {
            var hours = d.Hours;
            return hours == 0 ? $"{d.Days} d" : $"{d.Days} d {hours} h";
        }

        var totalHours = (long)Math.Floor(d.TotalHours);
        if (totalHours >= 1)
        {
            var minutes = d.Minutes;
            return minutes == 0 ? $"{totalHours} h" : $"{totalHours} h {minutes} min";
        }

        var totalMinutes = (long)Math.Floor(d.TotalMinutes);
        return totalMinutes >= 1 ? $"{totalMinutes} min" : $"{((long)Math.Floor(d.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s";
    }

    private static void Prune(MonitorRules state, Instant now, Action<MonitorEvent> emit)
    {
        if (state.Results.IsEmpty)
        {
            return;
        }

        var newest = state.Results.Max(r => r.At);
        var cut = newest - ResultWindow;
        var history = newest - HistoryRetention;
        if (state.Results.Count > MaxResults
            || state.Results.Any(r => r.At < cut)
            || state.Incidents.Any(i => i.End is { } end && end < history)
            || state.UnknownIntervals.Any(u => u.End < history))
        {
            emit(new HistoryPruned(now, cut, MaxResults, history));
        }
    }

    private static void UpdateAlerts(MonitorRules state, Instant now, Action<MonitorEvent> emit)
    {
        // Latency alerts decide on their own counts; a latency alert still firing when the objective is removed stops.
        var latency = state.LatencyBurnRates(now);
        foreach (var firing in state.FiringAlerts.Where(a => LatencyBurnRate.IsLatency(a.Name) && latency.All(s => s.Alert.Name != a.Name)))
        {
            var alert = LatencyBurnRate.Alerts.FirstOrDefault(a => a.Name == firing.Name)
                ?? new BurnRateAlert(firing.Name, AlertSeverity.Ticket, 1m, Duration.FromHours(1), Duration.FromHours(1));
            emit(new BurnRateAlertStopped(now, firing.StartedAt, new BurnRateAlertStatus(alert, 0m, 0m, false)));
        }

        var availability = state.FiringAlerts.All(a => LatencyBurnRate.IsLatency(a.Name)) && !state.Incidents.Any(i => !i.DuringMaintenance)
            ? []
            : state.BurnRates(now);
        foreach (var status in availability.Concat(latency))
        {
            var firing = state.FiringAlerts.FirstOrDefault(a => a.Name == status.Alert.Name);
            if (status.IsFiring && firing is null)
            {
                emit(new BurnRateAlertStarted(now, status));
            }
            else if (!status.IsFiring && firing is not null)
            {
                emit(new BurnRateAlertStopped(now, firing.StartedAt, status));
            }
        }
    }

    private MonitorRules WithResults(IEnumerable<CheckResult> results)
    {
        var added = Results.AddRange(results);
        var newest = added.IsEmpty ? LastDataAt : added.Max(r => r.At);
        return this with { Results = added, LastDataAt = LastDataAt is { } last && newest is { } n && last > n ? last : newest };
    }

    private MonitorRules Pruned(HistoryPruned e)
    {
        var results = Results.RemoveAll(r => r.At < e.ResultsBefore);
        if (results.Count > e.MaxResults)
        {
            results = [.. results.OrderBy(r => r.At).Skip(results.Count - e.MaxResults)];
        }

        return this with
        {
            Results = results,
            Incidents = Incidents.RemoveAll(i => i.End is { } end && end < e.HistoryBefore),
            UnknownIntervals = UnknownIntervals.RemoveAll(u => u.End < e.HistoryBefore),
        };
    }

    /// <summary>The newest <see cref="MaxRecentAlerts"/> firings: the oldest stopped ones go first, a firing one stays.</summary>
    private static ImmutableList<AlertFiring> BoundedAlerts(ImmutableList<AlertFiring> alerts)
    {
        while (alerts.Count > MaxRecentAlerts && alerts.FindIndex(a => a.StoppedAt is not null) is var oldest and >= 0)
        {
            alerts = alerts.RemoveAt(oldest);
        }

        return alerts;
    }

    private static ImmutableList<Interval> Bounded(ImmutableList<Interval> intervals)
        => intervals.Count > MaxUnknownIntervals ? intervals.RemoveRange(0, intervals.Count - MaxUnknownIntervals) : intervals;

    private static string? HeartbeatRegion(MonitorRules state) => state.Policy.Regions is { IsDefaultOrEmpty: false } regions ? regions[0] : null;

    private static Instant Clamp(Instant value, Instant low, Instant high)
        => value < low ? low : value > high ? (high < low ? low : high) : value;

    private static bool Overlaps(Interval a, Interval b)
        => (!a.HasEnd || !b.HasStart || a.End > b.Start) && (!b.HasEnd || !a.HasStart || b.End > a.Start);

    private readonly record struct Segment(Interval Interval, Instant ConfirmedAt, string? MaintenanceId, string? Note);
}
