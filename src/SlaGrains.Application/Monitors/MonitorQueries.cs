using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// A monitor's latency SLO this month so far: good of total checks (up within the threshold; failures count as not
/// good), the SLI (4 decimals, rounded down; null without checks), whether it meets the objective, the error budget in
/// checks (<see cref="BudgetChecks"/> allowed bad, <see cref="UsedChecks"/>, <see cref="RemainingChecks"/>,
/// <see cref="RemainingPercent"/>) and the latency burn-rate alerts now.
/// </summary>
public sealed record LatencyView(
    string MonitorId,
    int ThresholdMs,
    decimal ObjectivePercent,
    YearMonth Month,
    string TimeZone,
    long GoodChecks,
    long TotalChecks,
    decimal? SliPercent,
    bool? Met,
    decimal BudgetChecks,
    long UsedChecks,
    decimal RemainingChecks,
    decimal? RemainingPercent,
    ImmutableArray<BurnRateView> BurnRates,
    Instant AsOf);

/// <summary>An announced maintenance window of one of a customer's monitors.</summary>
public sealed record ComponentMaintenance(string MonitorId, MaintenanceView Window);

/// <summary>
/// Reading monitors, limited to what the caller may see: a monitor is its customer's, so whoever may read the
/// customer reads its monitors; any other monitor looks like one that does not exist.
/// </summary>
[ApplicationService]
public sealed class MonitorQueries(IGrainFactory grains, IMonitorReadModel monitorRows, CustomerDirectory customers, ISlaNow clock)
{
    /// <summary>How many incidents <see cref="Incidents"/> returns at most.</summary>
    public const int IncidentLimit = 100;

    /// <summary>How many raw results <see cref="Results"/> returns at most.</summary>
    public const int ResultLimit = 10_000;

    private const int MaintenanceLimit = 1_000;

    /// <summary>The monitor: settings, status, open incident, last result, heartbeat deadline.</summary>
    public async Task<Result<MonitorView>> Get(Caller caller, string monitorId)
        => await Visible(caller, monitorId) is { } monitor ? monitor : Failure.NotFound($"Monitor '{monitorId}'");

    /// <summary>The monitor's announced maintenance windows (not cancelled), by start.</summary>
    public async Task<Result<ImmutableArray<MaintenanceView>>> Maintenance(Caller caller, string monitorId)
        => await Visible(caller, monitorId) is null
            ? Failure.NotFound($"Monitor '{monitorId}'")
            : await grains.GetGrain<IMonitorGrain>(monitorId).GetMaintenance();

    /// <summary>
    /// The monitor's incidents, newest first (at most <see cref="IncidentLimit"/>). Incidents during announced,
    /// in-time maintenance are internal: staff see them (marked with their maintenance), customers do not.
    /// </summary>
    public async Task<Result<ImmutableArray<IncidentView>>> Incidents(Caller caller, string monitorId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await Visible(caller, monitorId) is null)
        {
            return Failure.NotFound($"Monitor '{monitorId}'");
        }

        var incidents = await grains.GetGrain<IMonitorGrain>(monitorId).GetIncidents(IncidentLimit);
        return caller.IsStaff ? incidents : incidents.Where(i => !i.DuringMaintenance).ToImmutableArray();
    }

    /// <summary>The announced maintenance windows (not cancelled) of every monitor of a customer that have not ended, by component then start.</summary>
    public async Task<Result<IReadOnlyList<ComponentMaintenance>>> MaintenanceOf(Caller caller, string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var rows = await monitorRows.MaintenanceAsync([customerId], clock.Now, MaintenanceLimit, cancellationToken);
        return Result<IReadOnlyList<ComponentMaintenance>>.Success(
            [.. rows.OrderBy(r => r.MonitorId, StringComparer.Ordinal).ThenBy(r => r.Maintenance.Start).Select(r => new ComponentMaintenance(r.MonitorId, r.Maintenance))]);
    }

    /// <summary>
    /// The monitor's hourly or daily rollups (up, down and unknown time; checks; response-time p50/p95/max) whose
    /// buckets start in [<paramref name="from"/>, <paramref name="to"/>) — ISO instants, by default the last 90 days
    /// (day) or 48 hours (hour) up to now; at most 400 days.
    /// </summary>
    public async Task<Result<IReadOnlyList<CheckRollupRow>>> Rollups(
        Caller caller, string monitorId, string? granularity, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var errors = new InputErrors();
        // Absent means day; present but blank or padded is not a granularity.
        RollupGranularity? bucket = granularity switch
        {
            null or "day" => RollupGranularity.Day,
            "hour" => RollupGranularity.Hour,
            _ => null,
        };
        if (bucket is null)
        {
            errors.Add("granularity", "The granularity is 'hour' or 'day'.");
        }

        var end = Instant(errors, "to", to) ?? clock.Now;
        var start = Instant(errors, "from", from) ?? end - (bucket == RollupGranularity.Hour ? Duration.FromHours(48) : Duration.FromDays(90));
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (end <= start || end - start > ReadModelRetention.Rollups)
        {
            return Failure.Invalid("to", $"The range must end after it starts and span at most {ReadModelRetention.Rollups.Days} days.");
        }

        return await Visible(caller, monitorId) is null
            ? Failure.NotFound($"Monitor '{monitorId}'")
            : Result<IReadOnlyList<CheckRollupRow>>.Success(await monitorRows.RollupsAsync([monitorId], bucket!.Value, start, end, cancellationToken));
    }

    /// <summary>Most buckets one page of <see cref="ResponseTimes"/> holds.</summary>
    public const int ResponseTimeLimit = 1_000;

    /// <summary>The longest hourly range <see cref="ResponseTimes"/> takes: 31 days (744 buckets).</summary>
    public static readonly Duration HourlySpan = Duration.FromDays(31);

    /// <summary>
    /// The monitor's response-time history from its rollups: hourly (<paramref name="granularity"/> <c>hour</c>, the
    /// default; by default the last 24 hours, at most <see cref="HourlySpan"/>) or daily (<c>day</c>; by default the last
    /// 30 days, at most 400) buckets starting in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most
    /// <paramref name="limit"/> (1–<see cref="ResponseTimeLimit"/>, default 500) with the next page's <c>from</c>.
    /// </summary>
    public async Task<Result<ResponseTimeHistory>> ResponseTimes(
        Caller caller, string monitorId, string? granularity, string? from, string? to, int? limit, CancellationToken cancellationToken = default)
    {
        var errors = new InputErrors();
        RollupGranularity? bucket = granularity switch
        {
            null or "hour" => RollupGranularity.Hour,
            "day" => RollupGranularity.Day,
            _ => null,
        };
        if (bucket is null)
        {
            errors.Add("granularity", "The granularity is 'hour' or 'day'.");
        }

        if (limit is < 1 or > ResponseTimeLimit)
        {
            errors.Add("limit", $"The limit must be 1–{ResponseTimeLimit}; got {limit}.");
        }

        var hourly = bucket != RollupGranularity.Day;
        var end = Instant(errors, "to", to) ?? clock.Now;
        var start = Instant(errors, "from", from) ?? end - (hourly ? Duration.FromHours(24) : Duration.FromDays(30));
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var span = hourly ? HourlySpan : ReadModelRetention.Rollups;
        if (end <= start || end - start > span)
        {
            return Failure.Invalid("to", $"The range must end after it starts and span at most {span.Days} days for {(hourly ? "hourly" : "daily")} buckets.");
        }

        if (await Visible(caller, monitorId) is null)
        {
            return Failure.NotFound($"Monitor '{monitorId}'");
        }

        // The range bounds the rows (744 hours or 400 days at most); a page is cut from them and the next starts after its last bucket.
        var rows = await monitorRows.RollupsAsync([monitorId], bucket!.Value, start, end, cancellationToken);
        var take = limit ?? 500;
        var page = rows.Take(take).Select(ResponseTimeBucket.From).ToImmutableArray();
        Instant? next = rows.Count > take ? page[^1].Start + (hourly ? Duration.FromHours(1) : Duration.FromDays(1)) : null;
        return new ResponseTimeHistory(monitorId, hourly ? "hour" : "day", start, end, page, next);
    }

    /// <summary>
    /// The monitor's raw check results in [<paramref name="from"/>, <paramref name="to"/>) — ISO instants, by default
    /// the last 24 hours up to now — newest first, at most <paramref name="limit"/> (1–10,000; default 1,000).
    /// </summary>
    public async Task<Result<IReadOnlyList<CheckResultRow>>> Results(
        Caller caller, string monitorId, string? from, string? to, int? limit, CancellationToken cancellationToken = default)
    {
        var errors = new InputErrors();
        var end = Instant(errors, "to", to) ?? clock.Now;
        var start = Instant(errors, "from", from) ?? end - Duration.FromDays(1);
        if (limit is < 1 or > ResultLimit)
        {
            errors.Add("limit", $"The limit must be 1–{ResultLimit}; got {limit}.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (end <= start)
        {
            return Failure.Invalid("to", "The range must end after it starts.");
        }

        return await Visible(caller, monitorId) is null
            ? Failure.NotFound($"Monitor '{monitorId}'")
            : Result<IReadOnlyList<CheckResultRow>>.Success(await monitorRows.CheckResultsAsync(monitorId, start, end, limit ?? 1_000, cancellationToken));
    }

    /// <summary>
    /// The monitor's latency SLO this month so far (in its customer's zone; UTC without a calendar): good and total checks
    /// from <c>check_results</c>, the SLI, the error budget in checks (allowed bad = (1 − objective) × total, used,
    /// remaining, % remaining) and the latency burn-rate alerts evaluated now (the grain's windows). Not found for a
    /// monitor the caller may not see; <c>latency</c> invalid for a monitor without a latency SLO.
    /// </summary>
    public async Task<Result<LatencyView>> Latency(Caller caller, string monitorId, CancellationToken cancellationToken = default)
    {
        if (await Visible(caller, monitorId) is not { } monitor)
        {
            return Failure.NotFound($"Monitor '{monitorId}'");
        }

        if (monitor.Settings.Latency is not { } slo)
        {
            return Failure.Invalid("latency", $"Monitor '{monitorId}' has no latency SLO; create it with \"latency\": {{ \"thresholdMs\": 500, \"objectivePercent\": 99 }}.");
        }

        var now = clock.Now;
        var zone = (await grains.GetGrain<Contracts.Customers.ICustomerGrain>(monitor.Settings.CustomerId).Get())?.Calendar?.Zone ?? DateTimeZone.Utc;
        var month = now.InZone(zone).Date.ToYearMonth();
        var period = Domain.Availability.ReportingPeriod.Month(month, zone);
        var tally = await monitorRows.TallyAsync(monitorId, slo, period, now, cancellationToken);
        var budget = Domain.Availability.EventRatioBudget.Of(tally.Good, tally.Total, slo.ObjectivePercent);
        var burnRates = (await grains.GetGrain<IMonitorGrain>(monitorId).GetBurnRates())
            .Where(b => Domain.Availability.LatencyBurnRate.IsLatency(b.Name)).ToImmutableArray();
        return new LatencyView(
            monitorId, slo.ThresholdMs, slo.ObjectivePercent, month, zone.Id, tally.Good, tally.Total, budget.SliPercent, budget.Met,
            budget.Budget, budget.Used, budget.Remaining, budget.RemainingPercent, burnRates, now);
    }

    /// <summary>An ISO instant (<c>2026-12-01T00:00:00Z</c>) or null when absent; a malformed one is an error on <paramref name="field"/>.</summary>
    private static Instant? Instant(InputErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(text);
        if (parsed.Success && Bounds.IsPrintable(text))
        {
            return Bounds.CheckInstant(errors, field, parsed.Value) ? parsed.Value : null;
        }

        errors.Add(field, $"{field} is not an ISO instant such as 2026-12-01T00:00:00Z.");
        return null;
    }

    /// <summary>The monitor when it exists and the caller may read its customer; otherwise null.</summary>
    internal async Task<MonitorView?> Visible(Caller caller, string monitorId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Bounds.IsId(monitorId) && await grains.GetGrain<IMonitorGrain>(monitorId).Get() is { } monitor && caller.CanRead(monitor.Settings.CustomerId)
            ? monitor
            : null;
    }
}
