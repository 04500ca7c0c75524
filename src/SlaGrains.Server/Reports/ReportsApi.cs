using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using SlaGrains.Application.Reports;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Reports;
using SlaGrains.Server.Api;

namespace SlaGrains.Server.Reports;

/// <summary>
/// <c>GET /api/v1/customers/{id}/reports?period=2026-10</c> (or <c>quarter=2026-Q3</c>) as JSON, CSV or PDF; without a
/// period, the archived reports; the raw check results behind a report (<c>.../reports/checks.csv</c>); and the
/// renewal summary.
/// </summary>
/// <remarks>
/// A running period's report is provisional: marked in its data (<c>provisional</c>, <c>asOf</c>, a <c>status</c>
/// section first in the CSV, so its hash is never a final report's), on every PDF page, in its file name
/// (<c>-provisional</c>), and sent with <c>Cache-Control: no-store</c>: it is measured again on every request and
/// never archived, so no copy can be taken for the final report, which is built (and archived) once the month closes.
/// </remarks>
internal static class ReportsApi
{
    /// <summary>The response header with the hex SHA-256 of the report's CSV (its data section), on every format.</summary>
    public const string DataDigestHeader = "X-Report-Data-SHA256";

    /// <summary>The response header that says a report (or a raw export) covers a period still running: <c>true</c>.</summary>
    public const string ProvisionalHeader = "X-Report-Provisional";

    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/reports", Get).WithTags("Reports").Produces<SlaReport>().Produces<ArchivedReport[]>()
            .WithSummary("The SLA report of a month (period=yyyy-MM) or quarter (quarter=yyyy-Qn) in the customer's zone, as format=json (default), csv or pdf (or by Accept); a period still running gets a provisional report measured up to now (provisional: true, asOf), never cached; without a period, the archived reports, newest first.");
        api.MapGet("/customers/{id}/reports/checks.csv", RawChecks).WithTags("Reports").Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("The raw check results behind the report of a month (period=yyyy-MM) or quarter (quarter=yyyy-Qn), one row per check (monitor_id, region, at, outcome, response_time_ms), streamed; up to asOf when given (a provisional report's), else to the period's end or now. Its SHA-256 is the report's rawChecks.sha256.");
        api.MapGet("/customers/{id}/renewal", Renewal).WithTags("Reports").Produces<RenewalSummary>()
            .WithSummary("The renewal summary over the last 12 closed months: availability against the commitment, months met, best quarter, incidents and mean time to resolve, credits issued.");
    }

    private static async Task<IResult> Get(string id, string? period, string? quarter, string? format, HttpRequest request, ClaimsPrincipal user, CustomerReports reports,
        IConfiguration configuration, ILoggerFactory loggers)
    {
        var caller = Caller.From(user);
        if (period is null && quarter is null)
        {
            return ApiResults.Ok(await reports.Archived(caller, id));
        }

        var accept = request.Headers.Accept.ToString();
        var kind = format?.ToLowerInvariant() switch
        {
            null when accept.Contains("application/pdf", StringComparison.OrdinalIgnoreCase) => "pdf",
            null when accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) => "csv",
            null => "json",
            var f => f,
        };
        var result = await reports.Report(caller, id, new ReportInput(period, quarter, kind));
        if (!result.Succeeded)
        {
            return NoReport(result.Failure, "No report");
        }

        var report = result.Value;
        var csv = Encoding.UTF8.GetBytes(Csv(report));
        var digest = Convert.ToHexStringLower(SHA256.HashData(csv));
        var file = $"sla-report-{report.CustomerId}-{report.Period}{(report.Provisional ? "-provisional" : "")}";
        if (report.Provisional)
        {
            // Measured again on every request: no cache may keep a copy to serve for the final report.
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            request.HttpContext.Response.Headers[ProvisionalHeader] = "true";
        }

        if (kind != "pdf")
        {
            request.HttpContext.Response.Headers[DataDigestHeader] = digest;
            return kind == "csv" ? Results.File(csv, "text/csv", $"{file}.csv") : Results.Ok(report);
        }

        // Without its fonts the PDF cannot be drawn: say which package to install, once in the log and in every answer.
        var fonts = ReportFonts.Folder(configuration);
        if (ReportFonts.Missing(fonts) is { } missing)
        {
            ReportFonts.ReportOnce(loggers.CreateLogger(typeof(ReportsApi)), fonts, missing);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "PDF reports are not available", detail: missing);
        }

        var history = await reports.History(caller, id, ReportChart.LastMonth(report), ReportChart.Months);
        if (!history.Succeeded)
        {
            return NoReport(history.Failure, "No report");
        }

        request.HttpContext.Response.Headers[DataDigestHeader] = digest;
        return Results.File(ReportPdf.Render(report, digest, ReportChart.From(report, history.Value), fonts), "application/pdf", $"{file}.pdf");
    }

    private static async Task<IResult> RawChecks(string id, string? period, string? quarter, string? asOf, HttpContext context, ClaimsPrincipal user, CustomerReports reports)
    {
        var result = await reports.RawChecks(Caller.From(user), id, new ReportInput(period, quarter), asOf);
        if (!result.Succeeded)
        {
            return NoReport(result.Failure, "No raw check results");
        }

        var file = result.Value;
        context.Response.Headers["X-Raw-Checks-From"] = Api.Json.NodaTimeJson.FormatInstant(file.From);
        context.Response.Headers["X-Raw-Checks-To"] = Api.Json.NodaTimeJson.FormatInstant(file.To);
        if (file.Provisional)
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers[ProvisionalHeader] = "true";
        }

        // Written a page of rows at a time as they are read: a month of checks never sits in memory.
        return Results.Stream(stream => reports.WriteRawChecks(file, stream, context.RequestAborted), "text/csv", file.FileName);
    }

    private static async Task<IResult> Renewal(string id, ClaimsPrincipal user, CustomerReports reports)
    {
        var result = await reports.Renewal(Caller.From(user), id);
        return result.Succeeded ? TypedResults.Ok(result.Value) : NoReport(result.Failure, "No renewal summary");
    }

    /// <summary>The failure's problem; a conflict (nothing to report yet) keeps the title this route has always had.</summary>
    private static IResult NoReport(Failure failure, string title)
        => failure.Kind == FailureKind.Conflict
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: failure.Message)
            : ApiResults.Problem(failure);

    /// <summary>The report as CSV: a summary, then one table per section, separated by blank lines. It is the report's data section: the PDF carries its SHA-256.</summary>
    internal static string Csv(SlaReport report)
    {
        // Sections have their own columns, so rows differ in length (readers take each section as its own table).
        using var csv = new CsvText();

        // A provisional report says so first; a final report has no such section, so the two never share bytes or a hash.
        if (report.Provisional)
        {
            csv.Row("status", "as_of", "note");
            csv.Row("provisional", report.AsOf, "PROVISIONAL: the period is still running; figures are measured up to as_of and will change. The final report is issued when the period closes.");
            csv.Blank();
        }
        csv.Row("customer", "period", "time_zone", "start", "end", "commitment_pct", "uptime_pct", "met", "downtime_minutes", "excluded_minutes", "credit_pct", "credit_amount", "currency",
            "coverage_pct", "unknown_minutes", "result");
        csv.Row(report.CustomerId, report.Period, report.TimeZone, report.PeriodStart, report.PeriodEnd, report.CommitmentPercent, report.UptimePercent, report.CommitmentMet,
            report.DowntimeMinutes, report.ExcludedMinutes, report.Credit?.CreditPercent ?? 0m, report.Credit?.Amount ?? 0m, report.Credit?.Currency,
            report.CoveragePercent, report.UnknownMinutes, report.ResultText);
        csv.Blank();
        csv.Row("service", "monitor_id", "critical", "uptime_pct", "downtime_minutes");
        foreach (var s in report.Services)
        {
            csv.Row(s.Name, s.MonitorId, s.Critical, s.UptimePercent, s.DowntimeMinutes);
        }

        // Latency only when a service has a latency SLO, so reports without one keep their bytes (and their digest).
        if (report.Latency is { } latency)
        {
            csv.Blank();
            csv.Row("latency", "commitment_pct", "sli_pct", "good_checks", "total_checks", "met");
            csv.Row("all services", latency.CommitmentPercent, latency.SliPercent, latency.GoodChecks, latency.TotalChecks, latency.CommitmentMet);
            csv.Row("latency_service", "monitor_id", "threshold_ms", "objective_pct", "sli_pct", "good_checks", "total_checks", "objective_met", "budget_remaining_pct");
            foreach (var l in latency.Services)
            {
                csv.Row(l.Name, l.MonitorId, l.ThresholdMs, l.ObjectivePercent, l.SliPercent, l.GoodChecks, l.TotalChecks, l.ObjectiveMet, l.BudgetRemainingPercent);
            }
        }

        csv.Blank();
        csv.Row("incident", "service", "start", "end", "duration_minutes", "root_cause", "resolution", "postmortem");
        foreach (var i in report.Incidents)
        {
            csv.Row(i.IncidentId, i.Service, i.Start, i.End, i.DurationMinutes, i.RootCause, i.Resolution, i.Postmortem);
        }

        csv.Blank();
        csv.Row("excluded_service", "start", "end", "announced_at", "description");
        foreach (var e in report.ExcludedMaintenance)
        {
            csv.Row(e.Service, e.Start, e.End, e.AnnouncedAt, e.Description);
        }

        // Issue 20 — exclusions: only in reports that have them, so earlier reports keep their bytes (and their digest).
        if (report.ExcludedByClass is { } byClass)
        {
            csv.Blank();
            csv.Row("excluded_class", "minutes");
            csv.Row("maintenance", byClass.MaintenanceMinutes);
            csv.Row("customer_caused", byClass.CustomerCausedMinutes);
            csv.Row("force_majeure", byClass.ForceMajeureMinutes);
            csv.Row("third_party", byClass.ThirdPartyMinutes);
        }

        if (report.Reclassifications is { IsDefaultOrEmpty: false } reclassified)
        {
            csv.Blank();
            csv.Row("reclassified_incident", "service", "class", "from", "to", "minutes", "excluded", "reason", "at");
            foreach (var part in reclassified)
            {
                csv.Row(part.IncidentId, part.Service, part.Class, part.From, part.To, part.Minutes, part.Excluded, part.Reason, part.At);
            }
        }

        csv.Blank();
        csv.Row("priority", "tickets", "first_response_compliance_pct", "resolution_compliance_pct", "breaches");
        foreach (var t in report.Tickets)
        {
            csv.Row(t.Priority.ToString(), t.Tickets, t.FirstResponseCompliancePercent, t.ResolutionCompliancePercent, t.Breaches.Length);
        }

        csv.Blank();
        csv.Row("breached_ticket", "priority", "clock", "over_target_minutes");
        foreach (var t in report.Tickets)
        {
            foreach (var b in t.Breaches)
            {
                csv.Row(b.TicketId, t.Priority.ToString(), b.Metric.ToString(), b.OverTargetMinutes);
            }
        }

        // Issue 20 — incidents linked to tickets.
        if (report.SlaRelatedTickets is { } related)
        {
            csv.Blank();
            csv.Row("tickets_opened", "tickets_linked_to_incidents", "sla_related_ticket_rate_pct");
            csv.Row(related.TicketsOpened, related.LinkedToIncidents, related.RatePercent);
        }

        var r = report.Renewal;
        csv.Blank();
        csv.Row("renewal_from", "renewal_through", "months", "availability_pct", "commitment_pct", "months_met", "best_quarter", "best_quarter_pct", "incidents", "mean_time_to_resolve_minutes", "credits_issued", "currency");
        csv.Row(r.From, r.Through, r.Months, r.AvailabilityPercent, r.CommitmentPercent, r.MonthsMet, r.BestQuarter, r.BestQuarterPercent, r.Incidents, r.MeanTimeToResolveMinutes, r.CreditsIssued, r.Currency);

        // The response-time sections come last and only when the period has checks: a report archived before they
        // existed (or one without any check) keeps the CSV, and so the SHA-256, it always had.
        if (report.ResponseTimes is { IsDefaultOrEmpty: false } responseTimes)
        {
            csv.Blank();
            csv.Row("response_service", "monitor_id", "checks", "timed_checks", "p50_ms", "p95_ms", "p99_ms", "max_ms");
            foreach (var t in responseTimes)
            {
                csv.Row(t.Service, t.MonitorId, t.Checks, t.TimedChecks, t.P50Ms, t.P95Ms, t.P99Ms, t.MaxMs);
            }
        }

        if (report.Regions is { IsDefaultOrEmpty: false } regions)
        {
            csv.Blank();
            csv.Row("region_service", "monitor_id", "region", "checks", "failed_checks", "availability_by_checks_pct", "p50_ms", "p95_ms", "p99_ms");
            foreach (var g in regions)
            {
                csv.Row(g.Service, g.MonitorId, g.Region, g.Checks, g.FailedChecks, g.AvailabilityPercent, g.P50Ms, g.P95Ms, g.P99Ms);
            }
        }

        // The raw export the figures came from: its span, rows and SHA-256, so this CSV's hash (the report's) covers it.
        // Absent from reports archived before it was kept, which keep their bytes.
        if (report.RawChecks is { } raw)
        {
            csv.Blank();
            csv.Row("raw_checks_from", "raw_checks_to", "raw_checks_rows", "raw_checks_sha256");
            csv.Row(raw.From, raw.To, raw.Rows, raw.Sha256);
        }

        return csv.ToString();
    }
}
