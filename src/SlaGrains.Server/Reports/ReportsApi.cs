using System.Security.Claims;
using System.Text;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Reports;

/// <summary><c>GET /api/v1/customers/{id}/reports?period=2026-10</c> (or <c>quarter=2026-Q3</c>), as JSON or CSV.</summary>
internal static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
        => api.MapGet("/customers/{id}/reports", Get).WithTags("Reports").Produces<SlaReport>()
            .WithSummary("The SLA report of an ended month (period=yyyy-MM) or quarter (quarter=yyyy-Qn) in the customer's zone; format=json (default) or csv, or Accept: text/csv.");

    private static async Task<IResult> Get(string id, string? period, string? quarter, string? format, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (await SlaReads.CustomerAsync(grains, Caller.From(user), id) is not { } entry)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        if (SlaReports.ParsePeriod(period, quarter) is not var (name, interval))
        {
            return Problems.Invalid(period is null ? "quarter" : "period", "Name a month as period=yyyy-MM (e.g. 2026-10) or a quarter as quarter=yyyy-Qn (e.g. 2026-Q3).");
        }

        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || (format is null && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("format", "A report is json or csv.");
        }

        var (report, problem) = await SlaReports.BuildAsync(grains, entry, name, interval, clock.Now);
        if (report is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No report", detail: problem);
        }

        return csv
            ? Results.File(Encoding.UTF8.GetBytes(Csv(report)), "text/csv", $"sla-report-{report.CustomerId}-{report.Period}.csv")
            : Results.Ok(report);
    }

    /// <summary>The report as CSV: a summary, then one table per section, separated by blank lines.</summary>
    internal static string Csv(SlaReport report)
    {
        // Sections have their own columns, so rows differ in length (readers take each section as its own table).
        using var csv = new CsvText();
        csv.Row("customer", "period", "time_zone", "start", "end", "commitment_pct", "uptime_pct", "met", "downtime_minutes", "excluded_minutes", "credit_pct", "credit_amount", "currency");
        csv.Row(report.CustomerId, report.Period, report.TimeZone, report.PeriodStart, report.PeriodEnd, report.CommitmentPercent, report.UptimePercent, report.CommitmentMet,
            report.DowntimeMinutes, report.ExcludedMinutes, report.Credit?.CreditPercent ?? 0m, report.Credit?.Amount ?? 0m, report.Credit?.Currency);
        csv.Blank();
        csv.Row("service", "monitor_id", "critical", "uptime_pct", "downtime_minutes");
        foreach (var s in report.Services)
        {
            csv.Row(s.Name, s.MonitorId, s.Critical, s.UptimePercent, s.DowntimeMinutes);
        }

        csv.Blank();
        csv.Row("incident", "service", "start", "end", "duration_minutes", "postmortem");
        foreach (var i in report.Incidents)
        {
            csv.Row(i.IncidentId, i.Service, i.Start, i.End, i.DurationMinutes, i.Postmortem);
        }

        csv.Blank();
        csv.Row("excluded_service", "start", "end", "announced_at", "description");
        foreach (var e in report.ExcludedMaintenance)
        {
            csv.Row(e.Service, e.Start, e.End, e.AnnouncedAt, e.Description);
        }

        csv.Blank();
        csv.Row("priority", "tickets", "first_response_compliance_pct", "resolution_compliance_pct", "breaches");
        foreach (var t in report.Tickets)
        {
            csv.Row(t.Priority.ToString(), t.Tickets, t.FirstResponseCompliancePercent, t.ResolutionCompliancePercent, t.Breaches.Length);
        }

        return csv.ToString();
    }
}
