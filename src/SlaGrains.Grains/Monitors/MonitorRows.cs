using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// A monitor's read-model rows: the <c>monitors</c> row, new raw results, the hourly and daily rollups they touch, and
/// changed incidents and maintenance windows. Each is noted before the monitor's state write and written after it,
/// at the state's version, at least once: a failure keeps them pending and retries shortly. A crash loses only what
/// was pending in memory; the state then is newer than the <c>monitors</c> row, so start-up repair calls
/// <see cref="Everything"/>, which writes every row the state can give again (idempotent by key and version).
/// </summary>
internal sealed class MonitorRows(Grain grain, string monitorId, IPersistentState<MonitorState> state, IReadModelWriter writer, Func<Instant> clock, ILogger logger)
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    /// <summary>How often the day in progress is rolled up at most.</summary>
    private static readonly Duration DayEvery = Duration.FromMinutes(1);

    private readonly List<CheckResult> _results = [];
    private readonly HashSet<Instant> _hours = [];
    private readonly HashSet<Instant> _days = [];
    private readonly HashSet<string> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (MaintenanceView Window, bool Cancelled)> _maintenance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BudgetAlertView> _budgetAlerts = new(StringComparer.Ordinal);
    private RetrySoon? _retry;
    private RetrySoon? _flush;

    /// <summary>The day in progress is rolled up again from this instant on.</summary>
    private Instant _nextDayRollup = Instant.MinValue;

    /// <summary>The latest version whose rows were all written; null until one was in this activation.</summary>
    private long? _complete;

    private MonitorState Monitor => state.State;

    /// <summary>Notes new results (and the hours and days they fall in).</summary>
    public void Results(IEnumerable<CheckResult> results)
    {
        foreach (var result in results)
        {
            _results.Add(result);
            Touch(new Interval(result.At, result.At + Duration.Epsilon));
        }
    }

    /// <summary>Notes incidents that opened, ended or were reviewed (and the buckets their outage covers).</summary>
    public void Incidents(IEnumerable<IncidentView> incidents, Instant now)
    {
        // Only the buckets the kept results reach are rolled up (see Rollups), so an old outage touches no more.
        Instant? oldest = Monitor.Results.Count == 0 ? null : Monitor.Results.Min(r => r.At);
        foreach (var incident in incidents)
        {
            _incidents.Add(incident.IncidentId);
            var start = oldest is { } kept && kept > incident.Start ? kept : incident.Start;
            Touch(new Interval(start, Instant.Max(start + Duration.Epsilon, incident.End ?? now)));
        }
    }

    /// <summary>Notes an announced or cancelled maintenance window.</summary>
    public void Maintenance(MaintenanceView window, bool cancelled) => _maintenance[window.MaintenanceId] = (window, cancelled);

    /// <summary>Notes a burn-rate alert that started or stopped.</summary>
    public void BudgetAlert(BudgetAlertView alert) => _budgetAlerts[alert.AlertId] = alert;

    /// <summary>Notes every row the state can give: what repair and rebuild write.</summary>
    public void Everything(Instant now)
    {
        Results(Monitor.Results);
        // Incidents during maintenance are internal: customers' lists never show them.
        Incidents(Monitor.Incidents.Where(i => !i.DuringMaintenance), now);
        foreach (var window in Monitor.Maintenance)
        {
            Maintenance(window, cancelled: false);
        }

        foreach (var alert in Monitor.RecentBudgetAlerts)
        {
            BudgetAlert(alert);
        }

        if (Monitor.Certificate?.Warning is { } certificateWarning)
        {
            BudgetAlert(certificateWarning);
        }
    }

    /// <summary>
    /// Writes what is noted, with the <c>monitors</c> row, at the committed state's version (call after each state
    /// write); true when written, false when it failed (it is retried shortly).
    /// </summary>
    /// <remarks>
    /// The day in progress is rolled up at most once per <see cref="DayEvery"/> (its percentiles sort the whole day's
    /// results, which at one check per second would cost more than the write); a deferred day is written by a timer, at
    /// deactivation, or with the next write after the interval. While one is deferred the <c>monitors</c> row keeps the
    /// last version whose rows were all written, so after a crash start-up repair finds the monitor and writes them.
    /// </remarks>
    public async Task<bool> WriteAsync() => await WriteAsync(everyDay: false);

    /// <summary>Writes what is pending, every deferred day too (at deactivation); nothing when nothing is.</summary>
    public async Task FlushAsync()
    {
        if (_results.Count > 0 || _hours.Count > 0 || _days.Count > 0 || _incidents.Count > 0 || _maintenance.Count > 0 || _budgetAlerts.Count > 0)
        {
            await WriteAsync(everyDay: true);
        }
    }

    /// <summary>Like <see cref="WriteAsync()"/>, with <paramref name="everyDay"/> true: no day deferred (repair, rebuild, deactivation).</summary>
    public async Task<bool> WriteAsync(bool everyDay)
    {
        var now = clock();
        var settings = Monitor.Settings;
        if (settings is null || state.Etag is null)
        {
            return false;
        }

        var version = StateVersion.Of(state, $"Monitor '{monitorId}'");
        var days = everyDay || now >= _nextDayRollup ? _days.ToList() : _days.Where(d => d + Duration.FromDays(1) <= now).ToList();
        var deferred = _days.Count > days.Count;
        var complete = deferred ? _complete : version;
        var batch = new ReadModelBatch([], [])
        {
            Monitors = complete is { } v ? [Row(settings, v)] : [],
            CheckResults = [.. _results.Select(r => new CheckResultRow(monitorId, settings.CustomerId, r.Region ?? string.Empty, r.At, r.IsDown, r.ResponseTime))],
            Rollups = Rollups(settings, version, now, days),
            Incidents = [.. Monitor.Incidents.Where(i => _incidents.Contains(i.IncidentId)).Select(i => new IncidentRow(i, settings.ComponentName, version))],
            Maintenance = [.. _maintenance.Values.Select(m => new MaintenanceRow(m.Window, monitorId, settings.CustomerId, settings.ComponentName, m.Cancelled, version))],
            BudgetAlerts = [.. _budgetAlerts.Values.Select(a => new BudgetAlertRow(a, version))],
        };
        try
        {
            await writer.WriteAsync(batch);
            Clear(days);
            _complete = complete;
            if (days.Count > 0 && !deferred)
            {
                _nextDayRollup = now + DayEvery;
            }

            if (deferred)
            {
                (_flush ??= new(grain, WriteAsync)).After((_nextDayRollup - now).ToTimeSpan());
            }

            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Monitor {Monitor}: read-model rows not written yet; will retry", monitorId);
            (_retry ??= new(grain, WriteAsync)).After(Retry);
            return false;
        }
    }

    /// <summary>How long a result vouches for the service: two probe intervals, the heartbeat grace, or the default.</summary>
    internal static Duration Coverage(MonitorSettings settings)
        => settings.Probe is { } probe ? probe.Interval * 2
            : settings.HeartbeatGrace ?? CheckRollup.DefaultCoverage;

    /// <summary>The kind a list shows.</summary>
    internal static string Kind(MonitorSettings settings) => settings.Kind;

    private MonitorRow Row(MonitorSettings settings, long version) => new(
        monitorId, settings.CustomerId, settings.ComponentName, settings.IsCritical, Kind(settings),
        Monitor.Incidents.Any(i => i.IsOpen && !i.DuringMaintenance), Monitor.Results.Count == 0 ? null : Monitor.Results.Max(r => r.At), version);

    /// <summary>
    /// The touched buckets' figures from the kept results and the incidents. Only buckets the kept results reach back
    /// to are rolled up: an older one would be recomputed without its results and overwrite the true figures.
    /// </summary>
    private List<CheckRollupRow> Rollups(MonitorSettings settings, long version, Instant now, IReadOnlyCollection<Instant> days)
    {
        if (Monitor.Results.Count == 0)
        {
            return [];
        }

        var oldest = Monitor.Results.Min(r => r.At);
        var down = Monitor.Incidents.Where(i => !i.DuringMaintenance).Select(i => i.Interval).ToList();
        var coverage = Coverage(settings);
        var rows = new List<CheckRollupRow>(_hours.Count + days.Count);
        Add(RollupGranularity.Hour, _hours, CheckRollup.HourOf(oldest));
        Add(RollupGranularity.Day, days, CheckRollup.DayOf(oldest));
        return rows;

        // Buckets as long as the first one the kept results reach, from it up to now.
        void Add(RollupGranularity granularity, IEnumerable<Instant> starts, Interval first)
        {
            foreach (var start in starts.Where(s => s >= first.Start && s <= now).Order())
            {
                var bucket = new Interval(start, start + first.Duration);
                var results = Monitor.Results.Where(r => r.At >= start - coverage && r.At < bucket.End);
                rows.Add(new CheckRollupRow(monitorId, settings.CustomerId, granularity, start, CheckRollup.Of(bucket, now, results, down, coverage), version));
            }
        }
    }

    /// <summary>Notes every hour and UTC day <paramref name="span"/> touches.</summary>
    private void Touch(Interval span)
    {
        for (var hour = CheckRollup.HourOf(span.Start); hour.Start < span.End; hour = new Interval(hour.End, hour.End + Duration.FromHours(1)))
        {
            _hours.Add(hour.Start);
            _days.Add(CheckRollup.DayOf(hour.Start).Start);
        }
    }

    private void Clear(IEnumerable<Instant> days)
    {
        _results.Clear();
        _hours.Clear();
        _days.ExceptWith(days);
        _incidents.Clear();
        _maintenance.Clear();
        _budgetAlerts.Clear();
    }
}
