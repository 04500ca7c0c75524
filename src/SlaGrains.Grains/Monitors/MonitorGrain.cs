using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Grains.Probes;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// An uptime monitor: a thin shell around the domain's <see cref="OutageTimeline"/>, <see cref="AvailabilityReport"/>,
/// <see cref="ErrorBudget"/> and <see cref="BurnRate"/>. Each command: change at now → reconcile incidents with the
/// outage timeline → write → publish incident and status changes → tell the customer grain → reply.
/// </summary>
/// <remarks>
/// <para><b>What is kept.</b> Incidents are the durable record of downtime: each confirmed outage becomes an incident
/// dated back to its first failure (the domain's rule) and keeps its interval, so month availability, budgets and burn
/// rates are computed from incidents and need no raw results. Raw results are kept only for
/// <see cref="ResultWindow"/> before the newest (and at most <see cref="MaxResults"/>): enough to confirm a run of N
/// failures, apply the region majority and absorb results that arrive late or out of order. Incidents are kept
/// <see cref="IncidentRetention"/> (a year of monthly history plus a margin). So state stays bounded whatever the
/// check frequency.</para>
/// <para><b>Heartbeats.</b> A heartbeat is a success at now. With a grace configured, if no heartbeat follows within
/// the grace a failure is recorded, dated when the grace ran out; then one per further grace, until N failures
/// confirmed the outage (no more are needed). That deadline is durable like a ticket's: a grain timer while active,
/// an Orleans reminder as the backstop, so a deactivated monitor still notices a missed heartbeat (late, dated right).</para>
/// <para><b>HTTP probes.</b> An http monitor runs one <see cref="ProbeGrain"/> per region — the regions listed in its
/// settings, or else every probe location of the cluster (<see cref="ProbeLocations"/>) — and their results are
/// ingested like pushed ones, so N failures per region and the region majority decide as for any monitor. The plan
/// is in this grain's state; a reminder re-starts the probers every minute (a prober lost with its silo resumes) and
/// adds probe locations that joined since. Changing the monitor to push stops them.</para>
/// </remarks>
public sealed class MonitorGrain(
    [PersistentState("monitor")] IPersistentState<MonitorState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    ProbeLocations probeLocations,
    IReadModelWriter readModel,
    ILogger<MonitorGrain> logger) : Grain, IMonitorGrain, IRemindable
{
    internal const string ReminderName = "heartbeat-deadline";

    /// <summary>The probers' backstop: re-starts them (idempotent) and picks up new probe locations.</summary>
    internal const string ProbeReminderName = "probe-plan";

    private static readonly TimeSpan ProbeReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Raw results kept before the newest one: 2 days.</summary>
    internal static readonly Duration ResultWindow = Duration.FromDays(2);

    /// <summary>At most this many raw results are kept (the oldest go first).</summary>
    internal const int MaxResults = 10_000;

    /// <summary>Incidents that ended longer ago than this (before the newest result) are dropped: 400 days.</summary>
    internal static readonly Duration IncidentRetention = Duration.FromDays(400);

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, () => Execute(_ => null, forceWrite: false));

    private DurableDeadline? _deadline;

    private MonitorWebhooks Webhooks => _webhooks ??= new(this, GrainFactory, state, WriteState, logger);

    private MonitorWebhooks? _webhooks;

    private MonitorRows Rows => _rows ??= new(this, MonitorId, state, readModel, time.Now, logger);

    private MonitorRows? _rows;

    private MonitorState Monitor => state.State;

    private string MonitorId => this.GetPrimaryKeyString();

    private bool IsDown => Monitor.Incidents.Any(i => i.IsOpen);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Webhooks.DeliverSoon(TimeSpan.Zero);
        if (Monitor.Settings is not null && Monitor.HeartbeatDueAt is not null)
        {
            // A heartbeat missed while the monitor was not active is recorded now, dated when it fell due.
            await Execute(_ => null, forceWrite: false);
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A day rolled up less often than the monitor writes is written now rather than left to start-up repair.
        if (_rows is not null)
        {
            await _rows.FlushAsync();
        }
    }

    /// <inheritdoc />
    public async Task<MonitorResult> Configure(MonitorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Validate(settings) is { } rejection)
        {
            return new MonitorResult(Monitor.Settings is null ? null : View(time.Now()), rejection);
        }

        if (settings.Http is not null && !settings.Regions.IsDefaultOrEmpty && settings.Regions.Except(probeLocations.Regions()).FirstOrDefault() is { } unknown)
        {
            return new MonitorResult(
                Monitor.Settings is null ? null : View(time.Now()),
                new Rejection("unknown-probe-region", $"No silo is probe location '{unknown}' (probe locations now: {string.Join(", ", probeLocations.Regions().DefaultIfEmpty("none"))})."));
        }

        var first = Monitor.Settings is null;
        Monitor.Settings = settings with { Regions = settings.Regions.IsDefault ? [] : settings.Regions };
        if (settings.HeartbeatGrace is null)
        {
            Monitor.HeartbeatDueAt = null;
        }

        var result = await Execute(_ => null, forceWrite: true, configuring: first);
        await PlanProbes(replan: true);
        return result with { Monitor = View(time.Now()) };
    }

    /// <inheritdoc />
    public Task<MonitorResult> Ingest(CheckResult result) => IngestBatch([result]);

    /// <inheritdoc />
    public Task<MonitorResult> IngestBatch(ImmutableArray<CheckResult> results)
    {
        if (results.IsDefaultOrEmpty)
        {
            return Task.FromResult(Rejected("no-results", "A batch needs at least one check result."));
        }

        return Execute(
            _ =>
            {
                var regions = Monitor.Settings!.Regions;
                var unknown = results.FirstOrDefault(r => regions.Length > 0 && (r.Region is null || !regions.Contains(r.Region)));
                if (regions.Length > 0 && unknown != default)
                {
                    return new Rejection("unknown-region", $"Monitor '{MonitorId}' probes from {string.Join(", ", regions)}; got a result from '{unknown.Region}'.");
                }

                Monitor.Results.AddRange(results);
                Rows.Results(results);
                return null;
            },
            forceWrite: true);
    }

    /// <inheritdoc />
    public Task<MonitorResult> IngestProbe(ProbeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Monitor.Settings is not { Http: not null } || !Monitor.ProbeRegions.Contains(report.Region))
        {
            return Task.FromResult(new MonitorResult(
                Monitor.Settings is null ? null : View(time.Now()),
                new Rejection("not-probing", $"Monitor '{MonitorId}' does not probe from '{report.Region}'.")));
        }

        return Execute(
            _ =>
            {
                var result = new CheckResult(report.At, report.Up ? CheckOutcome.Up : CheckOutcome.Down, report.Region, report.ResponseTime);
                Monitor.Results.Add(result);
                Rows.Results([result]);
                Monitor.LatestProbes[report.Region] = report;
                return null;
            },
            forceWrite: true);
    }

    /// <inheritdoc />
    public Task<MonitorResult> Heartbeat() => Execute(
        now =>
        {
            var beat = CheckResult.Up(now, HeartbeatRegion());
            Monitor.Results.Add(beat);
            Rows.Results([beat]);
            Monitor.LastHeartbeat = now;
            Monitor.MissedHeartbeats = 0;
            Monitor.HeartbeatDueAt = Monitor.Settings!.HeartbeatGrace is { } grace ? now + grace : null;
            return null;
        },
        forceWrite: true);

    /// <inheritdoc />
    public async Task<MaintenanceResult> AnnounceMaintenance(Instant start, Instant end, string description)
    {
        if (Monitor.Settings is null)
        {
            return new MaintenanceResult(null, NotConfiguredRejection());
        }

        if (end <= start)
        {
            return new MaintenanceResult(null, new Rejection("invalid-maintenance", $"Maintenance must end after it starts; got [{start}, {end})."));
        }

        var now = time.Now();
        var window = new MaintenanceView($"{MonitorId}-m{Monitor.NextMaintenance}", start, end, now, description ?? string.Empty);
        Monitor.NextMaintenance++;
        Monitor.Maintenance.Add(window);
        Webhooks.Announced(window, MonitorId);
        Rows.Maintenance(window, cancelled: false);
        await Execute(_ => null, forceWrite: true);
        return new MaintenanceResult(window, null);
    }

    /// <inheritdoc />
    public async Task<MaintenanceResult> CancelMaintenance(string maintenanceId)
    {
        var window = Monitor.Maintenance.FirstOrDefault(m => m.MaintenanceId == maintenanceId);
        if (window is null)
        {
            return new MaintenanceResult(null, new Rejection("maintenance-not-found", $"Monitor '{MonitorId}' has no maintenance '{maintenanceId}'."));
        }

        Monitor.Maintenance.Remove(window);
        Rows.Maintenance(window, cancelled: true);
        await Execute(_ => null, forceWrite: true);
        return new MaintenanceResult(window, null);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<MaintenanceView>> GetMaintenance()
        => Task.FromResult(Monitor.Maintenance.OrderBy(m => m.Start).ToImmutableArray());

    /// <inheritdoc />
    public Task<ImmutableArray<IncidentView>> GetIncidents(int limit)
        => Task.FromResult(Monitor.Incidents.AsEnumerable().Reverse().Take(Math.Max(0, limit)).ToImmutableArray());

    /// <inheritdoc />
    public async Task<IncidentResult> SetPostmortem(string incidentId, Uri postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var index = Monitor.Incidents.FindIndex(i => i.IncidentId == incidentId);
        if (index < 0)
        {
            return new IncidentResult(null, new Rejection("incident-not-found", $"Monitor '{MonitorId}' has no incident '{incidentId}'."));
        }

        Monitor.Incidents[index] = Monitor.Incidents[index] with { Postmortem = postmortem };
        Rows.Incidents([Monitor.Incidents[index]], time.Now());
        await WriteState();
        return new IncidentResult(Monitor.Incidents[index], null);
    }

    /// <inheritdoc />
    public async Task<IncidentResult> Review(string incidentId, IncidentRootCause? rootCause, string? resolution)
    {
        var index = Monitor.Incidents.FindIndex(i => i.IncidentId == incidentId);
        if (index < 0)
        {
            return new IncidentResult(null, new Rejection("incident-not-found", $"Monitor '{MonitorId}' has no incident '{incidentId}'."));
        }

        if (rootCause is { } cause && !Enum.IsDefined(cause))
        {
            return new IncidentResult(null, new Rejection("invalid-review", $"'{cause}' is not a root-cause category."));
        }

        Monitor.Incidents[index] = Monitor.Incidents[index] with { RootCause = rootCause, Resolution = string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim() };
        Rows.Incidents([Monitor.Incidents[index]], time.Now());
        await WriteState();
        return new IncidentResult(Monitor.Incidents[index], null);
    }

    /// <inheritdoc />
    public async Task<bool> RefreshReadModel()
    {
        if (Monitor.Settings is null || state.Etag is null)
        {
            return false;
        }

        Rows.Everything(time.Now());
        return await Rows.WriteAsync(everyDay: true);
    }

    /// <inheritdoc />
    public Task<MonitorView?> Get() => Task.FromResult(Monitor.Settings is null ? null : View(time.Now()));

    /// <inheritdoc />
    public Task<MonitorMonthView?> GetMonth(YearMonth month, string timeZoneId)
    {
        if (Monitor.Settings is not { } settings)
        {
            return Task.FromResult<MonitorMonthView?>(null);
        }

        var period = ReportingPeriod.Month(month, BusinessCalendar.ResolveZone(timeZoneId));
        var report = AvailabilityReport.Compute(period, DownIntervals(), Monitor.Maintenance.Select(m => m.Window), settings.Notice);
        var budget = ErrorBudget.Of(report, settings.SloPercent);
        return Task.FromResult<MonitorMonthView?>(new MonitorMonthView(
            MonitorId, month, timeZoneId, period, report.UptimePercent, report.Downtime, report.Excluded, [.. report.DowntimeIntervals],
            settings.SloPercent, budget.Budget, budget.Remaining, budget.PercentRemaining, report.Met(settings.SloPercent)));
    }

    /// <inheritdoc />
    public Task<MonitorDowntime> GetDowntime(Interval period)
    {
        var end = period.HasEnd ? period.End : Instant.MaxValue;
        var start = period.HasStart ? period.Start : Instant.MinValue;
        var down = Monitor.Incidents
            .Where(i => i.Overlaps(period))
            .Select(i => i.Interval)
            .ToImmutableArray();
        var maintenance = Monitor.Maintenance.Where(m => m.Start < end && m.End > start).ToImmutableArray();
        return Task.FromResult(new MonitorDowntime(MonitorId, Monitor.Settings is not null, down, maintenance));
    }

    /// <inheritdoc />
    public Task<ImmutableArray<BurnRateView>> GetBurnRates()
        => Task.FromResult(Monitor.Settings is null ? [] : EvaluateBurnRates(time.Now()).Select(BurnRateView.From).ToImmutableArray());

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ProbeReminderName)
        {
            await PlanProbes(replan: false);
            return;
        }

        if (reminderName != ReminderName)
        {
            return;
        }

        Monitor.ReminderDueAt = Deadline.AfterTick(Monitor.HeartbeatDueAt, time.Now());

        await Execute(_ => null, forceWrite: true);
    }

    /// <summary>
    /// The shell: apply <paramref name="change"/> at now (or reject), record missed heartbeats, reconcile incidents,
    /// prune, evaluate burn rates, write, then publish and tell the customer.
    /// </summary>
    private async Task<MonitorResult> Execute(Func<Instant, Rejection?> change, bool forceWrite, bool configuring = false)
    {
        if (Monitor.Settings is null)
        {
            return new MonitorResult(null, NotConfiguredRejection());
        }

        var now = time.Now();
        var wasDown = IsDown;
        if (change(now) is { } rejection)
        {
            return new MonitorResult(View(now), rejection);
        }

        var missed = RecordMissedHeartbeats(now);
        var (opened, resolved) = Reconcile(now);
        Webhooks.Incidents(opened, resolved);
        Rows.Incidents([.. opened, .. resolved], now);
        Prune();
        var (fired, alertsChanged) = UpdateFiringAlerts(now);
        var changed = forceWrite || missed || opened.Count > 0 || resolved.Count > 0 || alertsChanged;
        if (changed)
        {
            Monitor.ReminderDueAt = await Deadline.ArmReminder(Monitor.HeartbeatDueAt, Monitor.ReminderDueAt, now);
            await WriteState();
        }

        var settings = Monitor.Settings;
        foreach (var incident in opened)
        {
            notifications.Publish(new IncidentOpened(now, incident));
        }

        foreach (var incident in resolved)
        {
            notifications.Publish(new IncidentResolved(now, incident));
        }

        await Webhooks.DeliverAsync();

        if (wasDown != IsDown)
        {
            var at = IsDown ? Monitor.Incidents.Last(i => i.IsOpen).Start : resolved.LastOrDefault()?.End ?? now;
            notifications.Publish(new MonitorStatusChanged(at, MonitorId, settings.CustomerId, settings.ComponentName, IsDown));
        }

        foreach (var alert in fired)
        {
            notifications.Publish(new BurnRateAlertFired(now, MonitorId, settings.CustomerId, alert));
        }

        if (configuring || Monitor.CustomerToldDown != IsDown)
        {
            await TellCustomer(now);
        }

        Deadline.ArmTimer(Monitor.HeartbeatDueAt, now, LongestTimer, clampToHorizon: true);
        return new MonitorResult(View(now), null);
    }

    /// <summary>
    /// Starts the probers of the regions an http monitor probes from and stops the others; keeps the probe reminder
    /// while it is http. <paramref name="replan"/> (configuring) takes the probe locations as they are now; the
    /// reminder only adds locations (a region whose silos are restarting keeps its prober) and gives up the default
    /// region once real probe locations exist.
    /// </summary>
    private async Task PlanProbes(bool replan)
    {
        var settings = Monitor.Settings;
        List<string> wanted = settings?.Http is null ? []
            : !settings.Regions.IsDefaultOrEmpty ? [.. settings.Regions]
            : replan ? [.. probeLocations.RegionsOrDefault()]
            : Grown(probeLocations.Regions());
        var stopped = Monitor.ProbeRegions.Except(wanted, StringComparer.Ordinal).ToList();
        await Task.WhenAll(stopped.Select(region => TellProbe(region, probe => probe.Stop())));
        await Task.WhenAll(wanted.Select(region => TellProbe(region, probe => probe.Start(settings!.Http!))));

        var changed = !wanted.SequenceEqual(Monitor.ProbeRegions, StringComparer.Ordinal);
        Monitor.ProbeRegions = wanted;
        foreach (var region in stopped)
        {
            Monitor.LatestProbes.Remove(region);
        }

        // A region no longer probed would otherwise keep voting with its last results for the whole result window
        // (e.g. an http monitor turned push); its incidents stay, they are the record.
        var evidenceDropped = Monitor.Results.RemoveAll(r => r.Region is { } region && stopped.Contains(region, StringComparer.Ordinal)) > 0;

        if (settings?.Http is not null && !Monitor.ProbeReminder)
        {
            await this.RegisterOrUpdateReminder(ProbeReminderName, ProbeReminderPeriod, ProbeReminderPeriod);
            (Monitor.ProbeReminder, changed) = (true, true);
        }
        else if (settings?.Http is null && Monitor.ProbeReminder)
        {
            if (await this.GetReminder(ProbeReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            (Monitor.ProbeReminder, changed) = (false, true);
        }

        if (evidenceDropped)
        {
            await Execute(_ => null, forceWrite: true);
        }
        else if (changed)
        {
            await WriteState();
        }

        List<string> Grown(IReadOnlyCollection<string> current)
            => current.Count == 0
                ? Monitor.ProbeRegions.Count > 0 ? Monitor.ProbeRegions : [ProbeLocations.DefaultRegion]
                : [.. Monitor.ProbeRegions.Where(r => r != ProbeLocations.DefaultRegion).Union(current, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>A prober that cannot be reached now (its region has no silo yet) is started by the next reminder.</summary>
    private async Task TellProbe(string region, Func<IProbeGrain, Task> command)
    {
        try
        {
            await command(GrainFactory.GetGrain<IProbeGrain>(ProbeKeys.Of(MonitorId, region)));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Monitor {Monitor}: prober in region {Region} not reached; the probe reminder retries", MonitorId, region);
        }
    }

    /// <summary>Each heartbeat deadline that passed is a failure dated when it fell due, until N confirm an outage.</summary>
    private bool RecordMissedHeartbeats(Instant now)
    {
        var settings = Monitor.Settings!;
        var recorded = false;
        while (Monitor.HeartbeatDueAt is { } due && due <= now && settings.HeartbeatGrace is { } grace)
        {
            var missed = CheckResult.Down(due, HeartbeatRegion());
            Monitor.Results.Add(missed);
            Rows.Results([missed]);
            Monitor.MissedHeartbeats++;
            Monitor.HeartbeatDueAt = Monitor.MissedHeartbeats >= settings.ConsecutiveFailures ? null : due + grace;
            recorded = true;
        }

        return recorded;
    }

    /// <summary>
    /// Brings the incidents in line with the outage timeline of the kept results: a new confirmed outage opens an
    /// incident (dated back to its first failure), the end of an open one resolves it. Incidents are matched to
    /// outages by overlap, so an incident keeps its start even after the results that dated it were pruned.
    /// </summary>
    private (List<IncidentView> Opened, List<IncidentView> Resolved) Reconcile(Instant now)
    {
        var settings = Monitor.Settings!;
        var opened = new List<IncidentView>();
        var resolved = new List<IncidentView>();
        var outages = OutageTimeline.DownIntervals(Monitor.Results, settings.ConsecutiveFailures);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outage in outages)
        {
            var index = Monitor.Incidents.FindIndex(i => i.Overlaps(outage));
            if (index < 0)
            {
                var incident = new IncidentView(
                    $"{MonitorId}-{Monitor.NextIncident}", MonitorId, settings.CustomerId, outage.Start,
                    outage.HasEnd ? outage.End : null, now, outage.HasEnd ? now : null, null);
                Monitor.NextIncident++;
                Monitor.Incidents.Add(incident);
                Monitor.Incidents.Sort((a, b) => a.Start.CompareTo(b.Start));
                matched.Add(incident.IncidentId);
                opened.Add(incident);
                if (incident.End is not null)
                {
                    resolved.Add(incident);
                }

                continue;
            }

            var existing = Monitor.Incidents[index];
            matched.Add(existing.IncidentId);
            if (existing.IsOpen && outage.HasEnd)
            {
                Monitor.Incidents[index] = existing with { End = outage.End, ResolvedAt = now };
                resolved.Add(Monitor.Incidents[index]);
            }
        }

        // An open incident the kept results no longer show as an outage (a late success re-read the run): it ended
        // at the first success after its start.
        for (var i = 0; i < Monitor.Incidents.Count; i++)
        {
            var incident = Monitor.Incidents[i];
            if (incident.IsOpen && !matched.Contains(incident.IncidentId))
            {
                var end = Monitor.Results.Where(r => !r.IsDown && r.At > incident.Start).Select(r => (Instant?)r.At).Min() ?? now;
                Monitor.Incidents[i] = incident with { End = end, ResolvedAt = now };
                resolved.Add(Monitor.Incidents[i]);
            }
        }

        return (opened, resolved);
    }

    /// <summary>Keeps the raw results of the last <see cref="ResultWindow"/> (at most <see cref="MaxResults"/>) and a year of incidents.</summary>
    private void Prune()
    {
        if (Monitor.Results.Count == 0)
        {
            return;
        }

        var newest = Monitor.Results.Max(r => r.At);
        var cut = newest - ResultWindow;
        Monitor.Results.RemoveAll(r => r.At < cut);
        if (Monitor.Results.Count > MaxResults)
        {
            Monitor.Results.Sort((a, b) => a.At.CompareTo(b.At));
            Monitor.Results.RemoveRange(0, Monitor.Results.Count - MaxResults);
        }

        var oldest = newest - IncidentRetention;
        Monitor.Incidents.RemoveAll(i => i.End is { } end && end < oldest);
    }

    /// <summary>Evaluates the burn-rate alerts: those that started firing, and whether the firing set changed.</summary>
    private (List<BurnRateView> Started, bool Changed) UpdateFiringAlerts(Instant now)
    {
        var firing = EvaluateBurnRates(now).Where(s => s.IsFiring).Select(BurnRateView.From).ToList();
        var started = firing.Where(f => !Monitor.FiringAlerts.Contains(f.Name)).ToList();
        var names = firing.Select(f => f.Name).ToList();
        if (names.SequenceEqual(Monitor.FiringAlerts))
        {
            return (started, false);
        }

        // An alert that stops firing is written too, so that it can fire (and be published) again later.
        Monitor.FiringAlerts = names;
        return (started, true);
    }

    private IReadOnlyList<BurnRateAlertStatus> EvaluateBurnRates(Instant now)
    {
        var settings = Monitor.Settings!;
        return BurnRate.Evaluate(DownIntervals(), settings.SloPercent, now, Monitor.Maintenance.Select(m => m.Window), settings.Notice);
    }

    private List<Interval> DownIntervals() => [.. Monitor.Incidents.Select(i => i.Interval)];

    /// <summary>Tells the customer grain the monitor's status; on failure it is told again at the next command.</summary>
    private async Task TellCustomer(Instant now)
    {
        var settings = Monitor.Settings!;
        var isDown = IsDown;
        try
        {
            await GrainFactory.GetGrain<ICustomerGrain>(settings.CustomerId).ReportComponentStatus(MonitorId, isDown ? ComponentHealth.Down : ComponentHealth.Up, now);
            if (Monitor.CustomerToldDown != isDown)
            {
                Monitor.CustomerToldDown = isDown;
                await WriteState();
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Monitor {Monitor}: customer {Customer} not told of status {Down} yet", MonitorId, settings.CustomerId, isDown);
        }
    }

    /// <summary>Heartbeats count in the first configured region (or as the single location).</summary>
    private string? HeartbeatRegion() => Monitor.Settings!.Regions is { Length: > 0 } regions ? regions[0] : null;

    private MonitorView View(Instant now) => new(
        MonitorId, Monitor.Settings!, IsDown, Monitor.Incidents.LastOrDefault(i => i.IsOpen),
        Monitor.Results.Count == 0 ? null : Monitor.Results.Max(r => r.At), Monitor.HeartbeatDueAt, [.. Monitor.FiringAlerts], now,
        [.. Monitor.LatestProbes.Values.OrderBy(p => p.Region, StringComparer.Ordinal)]);

    private static Rejection? Validate(MonitorSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.CustomerId) || string.IsNullOrWhiteSpace(settings.ComponentName))
        {
            return new Rejection("invalid-monitor", "A monitor needs a customer and a component name.");
        }

        if (settings.ConsecutiveFailures < 1)
        {
            return new Rejection("invalid-monitor", $"Consecutive failures must be at least 1; got {settings.ConsecutiveFailures}.");
        }

        if (settings.SloPercent is <= 0m or >= 100m)
        {
            return new Rejection("invalid-monitor", $"The internal SLO must be in (0, 100) percent; got {settings.SloPercent}.");
        }

        if (settings.HeartbeatGrace is { } grace && grace <= Duration.Zero)
        {
            return new Rejection("invalid-monitor", $"The heartbeat grace must be positive; got {grace}.");
        }

        if (settings.MaintenanceNotice is { } notice && notice < Duration.Zero)
        {
            return new Rejection("invalid-monitor", $"The maintenance notice must not be negative; got {notice}.");
        }

        if (settings.Http is { } http)
        {
            if (http.Problems().Select(p => p.Message).FirstOrDefault() is { } problem)
            {
                return new Rejection("invalid-monitor", problem);
            }

            if (settings.HeartbeatGrace is not null)
            {
                return new Rejection("invalid-monitor", "An http monitor probes by itself; a heartbeat grace is for push monitors.");
            }

            if (!settings.Regions.IsDefault && settings.Regions.FirstOrDefault(r => !ProbeKeys.IsRegionName(r)) is { } badRegion)
            {
                return new Rejection("invalid-monitor", $"A probe region has 1–64 letters, digits, '-', '_' or '.'; got '{badRegion}'.");
            }
        }

        return null;
    }

    /// <summary>Every state write, then the read-model rows noted for it (at the new version).</summary>
    private async Task WriteState()
    {
        await state.WriteStateAsync();
        await Rows.WriteAsync();
    }

    private Rejection NotConfiguredRejection() => new("monitor-not-configured", $"Monitor '{MonitorId}' is not configured.");

    private static MonitorResult Rejected(string code, string message) => new(null, new Rejection(code, message));
}
