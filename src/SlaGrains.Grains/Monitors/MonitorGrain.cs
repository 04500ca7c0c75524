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
using SlaGrains.Domain.Monitors;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Shell;
using DomainEvents = SlaGrains.Domain.Monitors;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// An uptime monitor: a thin shell around the domain's <see cref="MonitorRules"/>. Each command: load the rules from
/// state → <see cref="MonitorRules.Decide"/> at now → store the new rules, with the webhook outbox and read-model rows
/// the events call for → write → rows → publish the events → deliver webhooks → tell the customer its health → reply.
/// </summary>
/// <remarks>
/// <para>The rules (incidents, heartbeats, maintenance, unknown time, pruning, burn-rate alerts) are the domain's; see
/// <see cref="MonitorRules"/>. What stays here is infrastructure: timers and reminders for
/// <see cref="MonitorRules.NextDeadline"/>, the probers of a probing monitor, the outbox, rows and notifications.</para>
/// <para><b>Exactly once.</b> An alert starting or stopping is written with its <c>budget.burn</c> webhook in the
/// outbox before anything is delivered; the webhook grain de-duplicates by (monitor, alert, started at, state), so a
/// retry or a reactivation delivers it once. Live notifications are published after the write.</para>
/// <para><b>Probes.</b> A probing monitor (http, tcp, dns, tls, ping) runs one <see cref="ProbeGrain"/> per region — the regions listed in its
/// settings, or else every probe location of the cluster (<see cref="ProbeLocations"/>) — and their results are
/// ingested like pushed ones. The plan is in this grain's state; a reminder re-starts the probers every minute (a
/// prober lost with its silo resumes) and adds probe locations that joined since. Changing the monitor to push stops them.</para>
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

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, () => Run(new CheckDeadlines(), forceWrite: false));

    private DurableDeadline? _deadline;

    private MonitorWebhooks Webhooks => _webhooks ??= new(this, GrainFactory, state, logger);

    private MonitorWebhooks? _webhooks;

    private MonitorRows Rows => _rows ??= new(this, MonitorId, state, readModel, time.Now, logger);

    private MonitorRows? _rows;

    private MonitorState Monitor => state.State;

    private string MonitorId => this.GetPrimaryKeyString();

    private bool IsDown => Monitor.Incidents.Any(i => i.IsOpen && !i.DuringMaintenance);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Webhooks.DeliverSoon(TimeSpan.Zero);
        if (Monitor.Settings is not null)
        {
            // What fell due while the monitor was not active (a missed heartbeat, staleness, a maintenance boundary) is
            // recorded now, dated when it fell due; and the deadline timer is armed again.
            await Run(new CheckDeadlines(), forceWrite: false);
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

        if (settings.IsProbing && !settings.Regions.IsDefaultOrEmpty && settings.Regions.Except(probeLocations.Regions()).FirstOrDefault() is { } unknown)
        {
            return new MonitorResult(
                Monitor.Settings is null ? null : View(time.Now()),
                new Rejection("unknown-probe-region", $"No silo is probe location '{unknown}' (probe locations now: {string.Join(", ", probeLocations.Regions().DefaultIfEmpty("none"))})."));
        }

        var normalized = settings with { Regions = settings.Regions.IsDefault ? [] : settings.Regions };
        var result = await Run(new ConfigureMonitor(MonitorId, normalized.Policy), forceWrite: true, configure: normalized);
        if (!result.Accepted)
        {
            return result;
        }

        await PlanProbes(replan: true);
        return result with { Monitor = View(time.Now()) };
    }

    /// <inheritdoc />
    public async Task<MonitorResult> SetMaintenanceNotice(Duration? notice)
    {
        if (Monitor.Settings is not { } settings)
        {
            return new MonitorResult(null, NotConfiguredRejection());
        }

        if (settings.MaintenanceNotice == notice)
        {
            return new MonitorResult(View(time.Now()), null);
        }

        // Only the notice changes: the probe plan and the other settings stay as they are (no re-validation of probe
        // regions that may have gone since the monitor was configured).
        var changed = settings with { MaintenanceNotice = notice };
        return await Run(new ConfigureMonitor(MonitorId, changed.Policy), forceWrite: true, configure: changed);
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

        return Counted(Run(new RecordResults(results), forceWrite: true), MonitorKinds.Push, results);
    }

    /// <summary>Counts the check results of an accepted ingestion (<see cref="SlaMetrics"/>).</summary>
    private async Task<MonitorResult> Counted(Task<MonitorResult> ingestion, string source, ImmutableArray<CheckResult> results)
    {
        var result = await ingestion;
        if (result.Rejection is null)
        {
            SlaMetrics.ChecksAccepted(source, MonitorId, results, Monitor.Settings?.Latency);
        }

        return result;
    }

    /// <inheritdoc />
    public Task<MonitorResult> IngestProbe(ProbeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Monitor.Settings is not { IsProbing: true } || !Monitor.ProbeRegions.Contains(report.Region))
        {
            return Task.FromResult(new MonitorResult(
                Monitor.Settings is null ? null : View(time.Now()),
                new Rejection("not-probing", $"Monitor '{MonitorId}' does not probe from '{report.Region}'.")));
        }

        var result = new CheckResult(report.At, report.Up ? CheckOutcome.Up : CheckOutcome.Down, report.Region, report.ResponseTime);
        ImmutableArray<CheckResult> results = [result];
        return Counted(Run(new RecordResults(results), forceWrite: true, change: m =>
        {
            m.LatestProbes[report.Region] = report;
            WatchCertificate(m, report);
        }), "probe", results);
    }

    /// <summary>
    /// A tls monitor's certificate, noted in the probe's write (see <see cref="CertificateWatch.Observe"/>): the expiry
    /// shown on the monitor, and a certificate warning — its <c>certificate.expiring</c> webhook in the outbox, its inbox
    /// row, its live notification published once the write is done — started once per certificate, stopped by a renewal.
    /// </summary>
    private void WatchCertificate(MonitorState m, ProbeReport report)
    {
        if (m.Settings is not { Tls: { } tls } settings)
        {
            return;
        }

        var (watch, started, stopped) = (m.Certificate ?? new CertificateWatch(null, null, null))
            .Observe(report, Duration.FromDays(tls.WarnDays), MonitorId, settings);
        m.Certificate = watch;
        foreach (var alert in new[] { stopped, started })
        {
            if (alert is null)
            {
                continue;
            }

            if (alert.IsFiring)
            {
                m.WebhooksPending.Add(SlaGrains.Grains.Webhooks.WebhookPayloads.CertificateExpiring(
                    MonitorId, settings.CustomerId, settings.ComponentName, tls.Host, tls.Port, alert.CertificateExpiresAt!.Value, alert.StartedAt));
            }

            Rows.BudgetAlert(alert);
            _certificateNotices.Add(new BudgetAlertChanged(report.At, alert));
        }
    }

    /// <summary>Certificate warnings started or stopped by the write in progress, published after it.</summary>
    private readonly List<BudgetAlertChanged> _certificateNotices = [];

    /// <inheritdoc />
    public Task<MonitorResult> Heartbeat() => Run(new RecordHeartbeat(), forceWrite: true);

    /// <inheritdoc />
    public async Task<MaintenanceResult> AnnounceMaintenance(Instant start, Instant end, string description)
    {
        var result = await Run(new DomainEvents.AnnounceMaintenance(start, end, description ?? string.Empty), forceWrite: true);
        return result.Accepted
            ? new MaintenanceResult(View(Monitor.Maintenance[^1].MaintenanceId), null)
            : new MaintenanceResult(null, result.Rejection);

        MaintenanceView? View(string id) => Monitor.Maintenance.FirstOrDefault(m => m.MaintenanceId == id);
    }

    /// <inheritdoc />
    public async Task<MaintenanceResult> CancelMaintenance(string maintenanceId)
    {
        var window = Monitor.Maintenance.FirstOrDefault(m => m.MaintenanceId == maintenanceId);
        var result = await Run(new DomainEvents.CancelMaintenance(maintenanceId), forceWrite: true);
        return result.Accepted ? new MaintenanceResult(window, null) : new MaintenanceResult(null, result.Rejection);
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

        var annotated = Monitor.Incidents[index] with { Postmortem = postmortem };
        await Commit(m =>
        {
            m.Incidents[index] = annotated;
            NoteIncidentRows([annotated], time.Now());
        });
        return new IncidentResult(annotated, null);
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

        var reviewed = Monitor.Incidents[index] with { RootCause = rootCause, Resolution = string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim() };
        await Commit(m =>
        {
            m.Incidents[index] = reviewed;
            NoteIncidentRows([reviewed], time.Now());
        });
        return new IncidentResult(reviewed, null);
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
        var now = time.Now();
        if (Monitor.ToRules(MonitorId, now, withResults: false) is not { } rules)
        {
            return Task.FromResult<MonitorMonthView?>(null);
        }

        var settings = Monitor.Settings!;
        var period = ReportingPeriod.Month(month, BusinessCalendar.ResolveZone(timeZoneId));
        var report = AvailabilityReport.Compute(period, rules.DownIntervals(), Monitor.Maintenance.Select(m => m.Window), settings.Notice);
        var budget = ErrorBudget.Of(report, settings.SloPercent);
        var (unknown, coverage) = Coverage(rules, period, now);
        return Task.FromResult<MonitorMonthView?>(new MonitorMonthView(
            MonitorId, month, timeZoneId, period, report.UptimePercent, report.Downtime, report.Excluded, [.. report.DowntimeIntervals],
            settings.SloPercent, budget.Budget, budget.Remaining, budget.PercentRemaining, report.Met(settings.SloPercent), unknown, coverage));
    }

    /// <inheritdoc />
    public Task<MonitorDowntime> GetDowntime(Interval period)
    {
        var end = period.HasEnd ? period.End : Instant.MaxValue;
        var start = period.HasStart ? period.Start : Instant.MinValue;
        var rules = Monitor.ToRules(MonitorId, time.Now(), withResults: false);
        var down = rules is null ? [] : rules.DownIntervals().Where(i => Overlaps(i, start, end)).ToImmutableArray();
        var unknown = rules is null ? [] : rules.UnknownTime().Where(i => Overlaps(i, start, end)).ToImmutableArray();
        var maintenance = Monitor.Maintenance.Where(m => m.Start < end && m.End > start).ToImmutableArray();
        return Task.FromResult(new MonitorDowntime(MonitorId, Monitor.Settings is not null, down, maintenance, unknown));

        static bool Overlaps(Interval i, Instant start, Instant end) => (!i.HasStart || i.Start < end) && (!i.HasEnd || i.End > start);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<BurnRateView>> GetBurnRates()
    {
        var now = time.Now();
        return Task.FromResult(Monitor.ToRules(MonitorId, now, withResults: false) is { } rules
            ? rules.BurnRates(now).Concat(rules.LatencyBurnRates(now)).Select(BurnRateView.From).ToImmutableArray()
            : []);
    }

    /// <inheritdoc />
    public async Task<BudgetAlertResult> AcknowledgeBudgetAlert(string name, Instant startedAt, string by)
    {
        // A certificate warning is this grain's own, not the rules': acknowledged here, once, like a burn-rate alert.
        if (name == BudgetAlertView.CertificateExpiring && Monitor.Certificate?.Warning is { } warning && warning.StartedAt == startedAt)
        {
            if (warning.AcknowledgedAt is null)
            {
                var acknowledged = warning with { AcknowledgedAt = time.Now(), AcknowledgedBy = by ?? string.Empty };
                await Commit(m =>
                {
                    m.Certificate = m.Certificate! with { Warning = acknowledged };
                    Rows.BudgetAlert(acknowledged);
                });
                notifications.Publish(new BudgetAlertChanged(acknowledged.AcknowledgedAt!.Value, acknowledged));
            }

            return new BudgetAlertResult(Monitor.Certificate!.Warning, null);
        }

        // No event (acknowledged before) writes nothing; the answer is the alert as stored.
        var result = await Run(new AcknowledgeBurnRateAlert(name ?? string.Empty, startedAt, by ?? string.Empty), forceWrite: false);
        return result.Accepted
            ? new BudgetAlertResult(Monitor.RecentBudgetAlerts.FirstOrDefault(a => a.Name == name && a.StartedAt == startedAt), null)
            : new BudgetAlertResult(null, result.Rejection);
    }

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

        var now = time.Now();
        Monitor.ReminderDueAt = Deadline.AfterTick(Monitor.ToRules(MonitorId, now, withResults: false)?.NextDeadline(now), now);
        await Run(new CheckDeadlines(), forceWrite: true);
    }

    /// <summary>
    /// The shell: load the rules → decide at now → arm the reminder → store the rules, with the outbox and rows the
    /// events call for, in one write (<see cref="Commit"/>) → publish → deliver → tell the customer → reply.
    /// <paramref name="configure"/> (the settings as given) and <paramref name="change"/> (the latest probe shown) change
    /// what is not a rule, in the same write, once the command is accepted.
    /// </summary>
    private async Task<MonitorResult> Run(MonitorCommand command, bool forceWrite, MonitorSettings? configure = null, Action<MonitorState>? change = null)
    {
        var now = time.Now();
        var rules = Monitor.ToRules(MonitorId, now);
        if (rules is null && command is not ConfigureMonitor)
        {
            return new MonitorResult(null, NotConfiguredRejection());
        }

        var decision = MonitorRules.Decide(rules, command, now);
        if (!decision.IsAccepted)
        {
            return new MonitorResult(Monitor.Settings is null ? null : View(now), decision.Rejection);
        }

        var wasDown = IsDown;
        var healthBefore = rules?.Health;
        var configuring = rules is null;
        var decided = decision.State!;
        var settings = configure ?? Monitor.Settings!;
        List<SlaNotification> published = [];
        if (forceWrite || decision.Events.Count > 0)
        {
            // The reminder first (it only wakes the monitor, harmlessly if the write then fails), then one write.
            var reminderDue = await Deadline.ArmReminder(decided.NextDeadline(now), Monitor.ReminderDueAt, now);
            await Commit(m =>
            {
                Apply(m);
                m.ReminderDueAt = reminderDue;
            });
        }
        else
        {
            // Nothing to record (no event): the rules as decided are kept in memory only, as before.
            Apply(Monitor);
        }

        foreach (var notification in published.Concat(_certificateNotices))
        {
            notifications.Publish(notification);
        }

        _certificateNotices.Clear();

        await Webhooks.DeliverAsync();

        if (wasDown != IsDown || (healthBefore is { } before && before != decided.Health))
        {
            var at = wasDown == IsDown ? decided.Health == ComponentHealth.Unknown ? decided.UnknownSince ?? now : now
                : IsDown ? Monitor.Incidents.Last(i => i.IsOpen && !i.DuringMaintenance).Start
                : Monitor.Incidents.LastOrDefault(i => !i.DuringMaintenance && i.End is not null)?.End ?? now;
            notifications.Publish(new MonitorStatusChanged(at, MonitorId, settings.CustomerId, settings.ComponentName, IsDown, decided.Health));
        }

        if (configuring || Monitor.CustomerToldHealth != decided.Health)
        {
            await TellCustomer(decided.Health, now);
        }

        Deadline.ArmTimer(decided.NextDeadline(now), now, LongestTimer, clampToHorizon: true);
        return new MonitorResult(View(now), null);

        void Apply(MonitorState m)
        {
            if (configure is not null)
            {
                m.Settings = configure;
            }

            m.Store(decided, settings.CustomerId);
            change?.Invoke(m);
            published = Effects(decision.Events, settings, now);

            // The rules decide which firings are kept (MonitorRules.MaxRecentAlerts); the stored ones follow them. (A
            // stop of an alert older state kept no firing for is kept too, until the list is full.)
            if (m.RecentBudgetAlerts.Count > MonitorRules.MaxRecentAlerts)
            {
                m.RecentBudgetAlerts.RemoveAll(a => !decided.RecentAlerts.Any(f => f.Is(a.Name, a.StartedAt)));
            }
        }
    }

    /// <summary>
    /// What the events call for (before the write): rows for new results, incidents and maintenance; the webhook
    /// outbox; and the notifications to publish after the write. Incidents during maintenance are internal: no
    /// row, no webhook, no notification.
    /// </summary>
    private List<SlaNotification> Effects(IReadOnlyList<MonitorEvent> events, MonitorSettings settings, Instant now)
    {
        var published = new List<SlaNotification>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ResultsRecorded r:
                    Rows.Results(r.Results);
                    break;
                case HeartbeatReceived h:
                    Rows.Results([CheckResult.Up(h.At, h.Region)]);
                    break;
                case HeartbeatMissed m:
                    Rows.Results([CheckResult.Down(m.At, m.Region)]);
                    break;
                case DomainEvents.IncidentOpened { Incident.DuringMaintenance: false } o:
                    var opened = MonitorStateRules.View(o.Incident, MonitorId, settings.CustomerId);
                    Webhooks.Incidents([opened], []);
                    NoteIncidentRows([Stored(opened)], now);
                    published.Add(new Contracts.Monitors.IncidentOpened(now, opened));
                    break;
                case DomainEvents.IncidentResolved { Incident.DuringMaintenance: false } r:
                    var resolved = Stored(MonitorStateRules.View(r.Incident, MonitorId, settings.CustomerId));
                    Webhooks.Incidents([], [resolved]);
                    NoteIncidentRows([resolved], now);
                    published.Add(new Contracts.Monitors.IncidentResolved(now, resolved));
                    break;
                case DomainEvents.MaintenanceAnnounced a:
                    var announced = MonitorStateRules.View(a.Window);
                    Webhooks.Announced(announced, MonitorId);
                    Rows.Maintenance(announced, cancelled: false);
                    break;
                case DomainEvents.MaintenanceCancelled c:
                    Rows.Maintenance(MonitorStateRules.View(c.Window), cancelled: true);
                    break;
                case BurnRateAlertStarted s:
                    published.Add(BudgetAlert(Alert(settings, s.Status, s.At, null), s.At, webhook: true));
                    break;
                case BurnRateAlertStopped s:
                    published.Add(BudgetAlert(Alert(settings, s.Status, s.StartedAt, s.At), s.At, webhook: true));
                    break;
                case BurnRateAlertAcknowledged a when Monitor.RecentBudgetAlerts.FirstOrDefault(v => v.Name == a.Name && v.StartedAt == a.StartedAt) is { } seen:
                    // Acknowledging is the staff's own business: a row and the live inbox, no budget.burn webhook.
                    published.Add(BudgetAlert(seen with { AcknowledgedAt = a.At, AcknowledgedBy = a.By }, a.At, webhook: false));
                    break;
            }
        }

        return published;

        // Written with the decision: the outbox (a start or stop's webhook), the row and the recent firings the row is
        // repaired from (in start order, an acknowledgement kept when the alert stops).
        BudgetAlertChanged BudgetAlert(BudgetAlertView alert, Instant at, bool webhook)
        {
            var index = Monitor.RecentBudgetAlerts.FindIndex(a => a.AlertId == alert.AlertId);
            if (index >= 0 && alert.AcknowledgedAt is null && Monitor.RecentBudgetAlerts[index] is { AcknowledgedAt: { } ackedAt } acked)
            {
                alert = alert with { AcknowledgedAt = ackedAt, AcknowledgedBy = acked.AcknowledgedBy };
            }

            if (webhook)
            {
                Webhooks.BudgetBurn(alert);
            }

            Rows.BudgetAlert(alert);
            if (index >= 0)
            {
                Monitor.RecentBudgetAlerts[index] = alert;
            }
            else
            {
                Monitor.RecentBudgetAlerts.Add(alert);
            }

            return new BudgetAlertChanged(at, alert);
        }

        // The incident as stored (with a postmortem or review already added to it).
        IncidentView Stored(IncidentView incident) => Monitor.Incidents.FirstOrDefault(i => i.IncidentId == incident.IncidentId) ?? incident;
    }

    private BudgetAlertView Alert(MonitorSettings settings, BurnRateAlertStatus status, Instant startedAt, Instant? stoppedAt)
    {
        var a = status.Alert;
        return new BudgetAlertView(
            BudgetAlertView.IdOf(MonitorId, a.Name, startedAt), MonitorId, settings.CustomerId, settings.ComponentName, a.Name, a.Severity, a.Factor,
            a.LongWindow, a.ShortWindow, status.LongWindowBurnRate, status.ShortWindowBurnRate, startedAt, stoppedAt);
    }

    /// <summary>Rows for incidents customers see (those during maintenance are internal and get none).</summary>
    private void NoteIncidentRows(IEnumerable<IncidentView> incidents, Instant now)
        => Rows.Incidents(incidents.Where(i => !i.DuringMaintenance), now);

    /// <summary>Unknown time in the month so far and the share of it with data (null before the month started).</summary>
    private static (Duration Unknown, decimal? Coverage) Coverage(MonitorRules rules, Interval period, Instant now)
    {
        var end = now < period.End ? now : period.End;
        if (end <= period.Start)
        {
            return (Duration.Zero, null);
        }

        var unknown = Duration.Zero;
        foreach (var interval in rules.UnknownTime())
        {
            var from = interval.Start > period.Start ? interval.Start : period.Start;
            var to = interval.HasEnd && interval.End < end ? interval.End : end;
            if (from < to)
            {
                unknown += to - from;
            }
        }

        var elapsed = end - period.Start;
        var covered = (elapsed - unknown).TotalNanoseconds / elapsed.TotalNanoseconds * 100d;
        return (unknown, Math.Floor((decimal)covered * 100m) / 100m);
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
        List<string> wanted = settings?.Probe is null ? []
            : !settings.Regions.IsDefaultOrEmpty ? [.. settings.Regions]
            : replan ? [.. probeLocations.RegionsOrDefault()]
            : Grown(probeLocations.Regions());
        var stopped = Monitor.ProbeRegions.Except(wanted, StringComparer.Ordinal).ToList();
        await Task.WhenAll(stopped.Select(region => TellProbe(region, probe => probe.Stop())));
        await Task.WhenAll(wanted.Select(region => TellProbe(region, probe => probe.Start(settings!.Probe!))));

        var changed = !wanted.SequenceEqual(Monitor.ProbeRegions, StringComparer.Ordinal);

        // A region no longer probed would otherwise keep voting with its last results for the whole result window
        // (e.g. an http monitor turned push); its incidents stay, they are the record.
        var evidenceDropped = Monitor.Results.Exists(r => r.Region is { } region && stopped.Contains(region, StringComparer.Ordinal));

        // The reminder first (awaited; memory is changed only once it is done), then the plan in one write.
        var probeReminder = Monitor.ProbeReminder;
        if (settings?.Probe is not null && !Monitor.ProbeReminder)
        {
            await this.RegisterOrUpdateReminder(ProbeReminderName, ProbeReminderPeriod, ProbeReminderPeriod);
            (probeReminder, changed) = (true, true);
        }
        else if (settings?.Probe is null && Monitor.ProbeReminder)
        {
            if (await this.GetReminder(ProbeReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            (probeReminder, changed) = (false, true);
        }

        if (evidenceDropped)
        {
            // The rules must decide without the dropped results, so the plan goes into memory first and Run writes it.
            Plan(Monitor);
            await Run(new CheckDeadlines(), forceWrite: true);
        }
        else if (changed)
        {
            await Commit(Plan);
        }

        void Plan(MonitorState m)
        {
            m.ProbeRegions = wanted;
            foreach (var region in stopped)
            {
                m.LatestProbes.Remove(region);
            }

            m.Results.RemoveAll(r => r.Region is { } region && stopped.Contains(region, StringComparer.Ordinal));
            m.ProbeReminder = probeReminder;
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

    /// <summary>Tells the customer grain the component's health; on failure it is told again at the next command.</summary>
    private async Task TellCustomer(ComponentHealth health, Instant now)
    {
        var settings = Monitor.Settings!;
        try
        {
            await GrainFactory.GetGrain<ICustomerGrain>(settings.CustomerId).ReportComponentStatus(MonitorId, health, now);
            if (Monitor.CustomerToldHealth != health)
            {
                await Commit(m =>
                {
                    m.CustomerToldHealth = health;
                    m.CustomerToldDown = health == ComponentHealth.Down;
                });
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Monitor {Monitor}: customer {Customer} not told of health {Health} yet", MonitorId, settings.CustomerId, health);
        }
    }

    private MonitorView View(Instant now) => new(
        MonitorId, Monitor.Settings!, IsDown, Monitor.Incidents.LastOrDefault(i => i.IsOpen && !i.DuringMaintenance),
        Monitor.LastDataAt ?? (Monitor.Results.Count == 0 ? null : Monitor.Results.Max(r => r.At)), Monitor.HeartbeatDueAt, [.. Monitor.FiringAlerts], now,
        [.. Monitor.LatestProbes.Values.OrderBy(p => p.Region, StringComparer.Ordinal)],
        Monitor.Health ?? (IsDown ? ComponentHealth.Down : ComponentHealth.Up), Monitor.UnknownSince,
        Monitor.Settings!.Tls is null ? null : Monitor.Certificate?.ExpiresAt);

    private static Rejection? Validate(MonitorSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.CustomerId) || string.IsNullOrWhiteSpace(settings.ComponentName))
        {
            return new Rejection("invalid-monitor", "A monitor needs a customer and a component name.");
        }

        if (settings.Policy.Problem() is { } problem)
        {
            return problem;
        }

        if (settings.ProbeProblem is { } twoWays)
        {
            return new Rejection("invalid-monitor", twoWays);
        }

        if (settings.Probe is { } probe)
        {
            if (probe.Problems().Select(p => p.Message).FirstOrDefault() is { } probeProblem)
            {
                return new Rejection("invalid-monitor", probeProblem);
            }

            if (settings.HeartbeatGrace is not null)
            {
                return new Rejection("invalid-monitor", $"A {probe.Kind} monitor probes by itself; a heartbeat grace is for push monitors.");
            }

            if (!settings.Regions.IsDefault && settings.Regions.FirstOrDefault(r => !ProbeKeys.IsRegionName(r)) is { } badRegion)
            {
                return new Rejection("invalid-monitor", $"A probe region has 1–64 letters, digits, '-', '_' or '.'; got '{badRegion}'.");
            }
        }

        return null;
    }

    /// <summary>
    /// Every state write: <paramref name="apply"/> and one write through the shared <see cref="GrainShell"/> (a failed
    /// write drops the activation, so no later call sees unstored state), dropping the webhook events already handed
    /// over; then the read-model rows noted for it (at the new version).
    /// </summary>
    private async Task Commit(Action<MonitorState> apply)
    {
        await GrainShell.CommitAsync(this, state, m =>
        {
            Webhooks.DropDelivered(m);
            apply(m);
        });
        await Rows.WriteAsync();
    }

    private Rejection NotConfiguredRejection() => new("monitor-not-configured", $"Monitor '{MonitorId}' is not configured.");

    private static MonitorResult Rejected(string code, string message) => new(null, new Rejection(code, message));
}
