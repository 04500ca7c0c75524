using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Api.Json;

namespace SlaGrains.Server.Api.Tools;

/// <summary>A stretch of downtime <c>[start, end)</c>; a null <c>end</c> means still ongoing at the period's end.</summary>
/// <param name="Start">When the service went down.</param>
/// <param name="End">When it came back; null while ongoing; not before <paramref name="Start"/>.</param>
public sealed record DowntimeInput(Instant? Start, Instant? End);

/// <summary>A planned maintenance window <c>[start, end)</c> and when it was announced.</summary>
/// <param name="Start">First instant of the window.</param>
/// <param name="End">End of the window (exclusive); not before <paramref name="Start"/>.</param>
/// <param name="AnnouncedAt">When customers were told; null counts as announced in time.</param>
public sealed record MaintenanceInput(Instant? Start, Instant? End, Instant? AnnouncedAt);

/// <summary>An availability question: how available was the service over <c>[periodStart, periodEnd)</c>?</summary>
/// <param name="PeriodStart">Start of the period (inclusive).</param>
/// <param name="PeriodEnd">End of the period (exclusive); after <paramref name="PeriodStart"/>.</param>
/// <param name="TargetPercent">The availability target in percent, in (0, 100].</param>
/// <param name="Downtime">Downtime in any order, possibly overlapping or reaching outside the period (clipped).</param>
/// <param name="Maintenance">Maintenance windows: excluded from the period when announced at least
/// <paramref name="MaintenanceNoticeHours"/> before they start; otherwise downtime inside them counts.</param>
/// <param name="MaintenanceNoticeHours">The notice maintenance needs, in hours; default 48.</param>
public sealed record AvailabilityRequest(
    Instant? PeriodStart,
    Instant? PeriodEnd,
    decimal? TargetPercent,
    List<DowntimeInput>? Downtime,
    List<MaintenanceInput>? Maintenance,
    decimal? MaintenanceNoticeHours);

/// <summary>The error budget of the period: <c>(1 − target / 100) × (period − excluded)</c>.</summary>
/// <param name="TotalSeconds">The downtime the target allows in the period.</param>
/// <param name="UsedSeconds">The counted downtime.</param>
/// <param name="RemainingSeconds">Total − used; negative once overspent.</param>
/// <param name="PercentRemaining">Remaining as a percentage of the total, rounded toward zero to 4 decimals (negative
/// once overspent); null when the budget is zero (a 100 % target, or a period entirely excluded).</param>
public sealed record ErrorBudgetResponse(decimal TotalSeconds, decimal UsedSeconds, decimal RemainingSeconds, decimal? PercentRemaining);

/// <summary>The answer to an <see cref="AvailabilityRequest"/>.</summary>
/// <param name="UptimePercent"><c>(period − downtime − excluded) / (period − excluded) × 100</c>, rounded down to 4 decimals.</param>
/// <param name="DowntimeSeconds">Counted downtime: merged, clipped to the period, outside excluded maintenance.</param>
/// <param name="ExcludedSeconds">Maintenance announced in time, merged and clipped to the period.</param>
/// <param name="Met">Whether the downtime is within what the target allows (decided exactly, not on the rounded figure).</param>
/// <param name="BurnRate">The downtime fraction of (period − excluded) ÷ (1 − target / 100), rounded toward zero to
/// 4 decimals: 1 spends the budget exactly over the period. Null for a 100 % target, which has no budget to burn.</param>
/// <param name="ErrorBudget">The error budget's figures.</param>
public sealed record AvailabilityResponse(
    decimal UptimePercent,
    decimal DowntimeSeconds,
    decimal ExcludedSeconds,
    bool Met,
    decimal? BurnRate,
    ErrorBudgetResponse ErrorBudget);

/// <summary>
/// <c>POST /api/v1/tools/availability</c>: <see cref="AvailabilityReport.Compute"/>, <see cref="ErrorBudget.Of"/> and
/// <see cref="Domain.Availability.BurnRate.Over"/> over the request's period.
/// </summary>
internal static class AvailabilityTool
{
    /// <summary>About 114 years: longer notices are surely a mistake, and the figure must fit in a duration.</summary>
    private const decimal MaxNoticeHours = 1_000_000m;

    public static Results<Ok<AvailabilityResponse>, ValidationProblem> Compute(AvailabilityRequest request)
    {
        var errors = new InputErrors();
        var periodStart = ToolsApi.Required(errors, "$.periodStart", request.PeriodStart, "2026-11-01T00:00:00Z");
        var periodEnd = ToolsApi.Required(errors, "$.periodEnd", request.PeriodEnd, "2026-12-01T00:00:00Z");
        if (periodStart is { } from && periodEnd is { } to && to <= from)
        {
            errors.Add("$.periodEnd", $"periodEnd {NodaTimeJson.FormatInstant(to)} must be after periodStart {NodaTimeJson.FormatInstant(from)}.");
        }

        ToolLimits.CheckSpan(errors, "$.periodEnd", periodStart, periodEnd, "The period");

        var target = ToolsApi.Required(errors, "$.targetPercent", request.TargetPercent, "99.9");
        if (target is <= 0m or > 100m)
        {
            errors.Add("$.targetPercent", $"targetPercent must be a percentage in (0, 100]; got {target}.");
        }

        var notice = MaintenanceWindow.DefaultNotice;
        if (request.MaintenanceNoticeHours is { } hours)
        {
            if (hours is < 0m or > MaxNoticeHours)
            {
                errors.Add("$.maintenanceNoticeHours", $"maintenanceNoticeHours must be between 0 and {MaxNoticeHours:0}; got {hours}.");
            }
            else
            {
                notice = Duration.FromNanoseconds((long)(hours * 3_600_000_000_000m));
            }
        }

        var downtime = Downtime(request.Downtime, errors);
        var maintenance = Maintenance(request.Maintenance, errors);
        if (errors.Any || periodStart is null || periodEnd is null || target is null)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var period = new Interval(periodStart.Value, periodEnd.Value);
        var report = AvailabilityReport.Compute(period, downtime, maintenance, notice);
        var budget = ErrorBudget.Of(report, target.Value);
        decimal? burnRate = target < 100m
            ? BurnRate.Over(downtime, target.Value, period.End, period.Duration, maintenance, notice)
            : null;
        return TypedResults.Ok(new AvailabilityResponse(
            report.UptimePercent,
            ToolsApi.Seconds(report.Downtime),
            ToolsApi.Seconds(report.Excluded),
            report.Met(target.Value),
            burnRate,
            new ErrorBudgetResponse(ToolsApi.Seconds(budget.Budget), ToolsApi.Seconds(budget.Used), ToolsApi.Seconds(budget.Remaining), budget.PercentRemaining)));
    }

    private static List<Interval> Downtime(List<DowntimeInput>? input, InputErrors errors)
    {
        var downtime = new List<Interval>();
        if (ToolLimits.TooMany(errors, "$.downtime", input, ToolLimits.MaxDowntime, "downtime intervals"))
        {
            return downtime;
        }

        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var path = $"$.downtime[{i}]";
            if (input![i] is not { } down)
            {
                errors.Add(path, "Downtime is {\"start\": \"…Z\", \"end\": \"…Z\" or null while ongoing}.");
                continue;
            }

            if (ToolsApi.Required(errors, $"{path}.start", down.Start, "2026-11-10T10:00:00Z") is not { } start)
            {
                continue;
            }

            if (down.End is { } end && end < start)
            {
                errors.Add($"{path}.end", $"The downtime ends ({NodaTimeJson.FormatInstant(end)}) before it starts ({NodaTimeJson.FormatInstant(start)}).");
                continue;
            }

            downtime.Add(new Interval(start, down.End));
        }

        return downtime;
    }

    private static List<MaintenanceWindow> Maintenance(List<MaintenanceInput>? input, InputErrors errors)
    {
        var windows = new List<MaintenanceWindow>();
        if (ToolLimits.TooMany(errors, "$.maintenance", input, ToolLimits.MaxMaintenance, "maintenance windows"))
        {
            return windows;
        }

        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var path = $"$.maintenance[{i}]";
            if (input![i] is not { } window)
            {
                errors.Add(path, "Maintenance is {\"start\": \"…Z\", \"end\": \"…Z\", \"announcedAt\": \"…Z\" or null}.");
                continue;
            }

            var start = ToolsApi.Required(errors, $"{path}.start", window.Start, "2026-11-14T02:00:00Z");
            var end = ToolsApi.Required(errors, $"{path}.end", window.End, "2026-11-14T04:00:00Z");
            if (start is { } from && end is { } to && ToolsApi.Build(errors, path, () => new MaintenanceWindow(from, to, window.AnnouncedAt)) is { } built)
            {
                windows.Add(built);
            }
        }

        return windows;
    }
}
