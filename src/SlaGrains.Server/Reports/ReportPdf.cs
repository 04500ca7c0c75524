using System.Globalization;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Server.Reports;

/// <summary>
/// The report as a PDF, drawn with PDFsharp in Liberation Sans (<see cref="ReportFonts"/>): the same sections and
/// figures as the JSON and CSV, in plain words; the 12-month availability chart with its figures as a table; times in
/// the customer's zone with the zone's abbreviation; money as <c>1,000.00 USD</c>; and on every page "page n of m" and
/// the SHA-256 of the report's CSV (its data section), so a reader can check a copy (<c>sha256sum</c> of the CSV download).
/// A provisional report (a period still running) says PROVISIONAL in a banner at the top of every page, in its title and
/// in every page's footer, with the instant it was measured to.
/// </summary>
internal static class ReportPdf
{
    /// <summary>
    /// Renders <paramref name="report"/>; <paramref name="dataSha256"/> is the hex SHA-256 of its CSV, <paramref name="months"/>
    /// the chart's months (<see cref="ReportChart.From"/>), <paramref name="fontFolder"/> a folder that holds the fonts
    /// (check it with <see cref="ReportFonts.Missing"/> first).
    /// </summary>
    public static byte[] Render(SlaReport report, string dataSha256, IReadOnlyList<ChartMonth> months, string fontFolder)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(report.TimeZone) ?? DateTimeZone.Utc;
        string At(Instant? instant) => instant is { } i ? i.InZone(zone).ToString("uuuu-MM-dd HH:mm x", CultureInfo.InvariantCulture) : "ongoing";

        var provisional = report.Provisional ? $"as of {At(report.AsOf ?? report.GeneratedAt)}" : null;
        using var page = new ReportLayout(ReportFonts.Family(fontFolder), $"{(provisional is null ? "" : "Provisional ")}SLA report {report.CustomerName} {report.Period}", report.GeneratedAt);
        page.Title($"{(provisional is null ? "" : "PROVISIONAL ")}SLA report: {report.CustomerName}");
        page.Paragraph($"Customer {report.CustomerId}. Period {report.Period}, {At(report.PeriodStart)} to {At(report.PeriodEnd)}. Times are in the customer's zone, {report.TimeZone}.");
        if (provisional is not null)
        {
            page.Paragraph($"This report is provisional: the period is still running and is measured up to {At(report.AsOf ?? report.GeneratedAt)}. Its figures will change; the final report is issued when the period closes.", page.BodyBold);
        }

        page.Heading("Commitment and result");
        page.Pairs(
            ("Period", $"{report.Period} ({At(report.PeriodStart)} to {At(report.PeriodEnd)})"),
            ("SLA target", $"{Target(report.CommitmentPercent)} availability"),
            ("Availability", $"{Percent(report.UptimePercent)} %"),
            ("Result", provisional is null ? report.ResultText : $"so far, {report.ResultText}"),
            ("Data coverage", report.CoveragePercent is { } coverage ? $"{Percent(coverage)} % of the period with data; {Minutes(report.UnknownMinutes)} minutes without data (neither up nor down)" : "not recorded"),
            ("Total downtime", $"{Minutes(report.DowntimeMinutes)} minutes"),
            ("Excluded maintenance", $"{Minutes(report.ExcludedMinutes)} minutes"),
            ("Credit", report.Credit is { } due ? Money(due.Amount, due.Currency) : report.InsufficientData ? "none automatic (insufficient data)" : "none due"));

        page.Heading($"Availability, 12 months to {months[^1].Month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}", keepWith: 200);
        ReportChart.Draw(page, months, report.CommitmentPercent);
        page.Table("Availability, 12 months",
            [new("Month", 1), new("Availability", 1.2, Numeric: true), new("SLA target", 1, Numeric: true), new("Result", 1.4), new("Credit", 1.3, Numeric: true)],
            months.Select(m => new[]
            {
                m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                m.AvailabilityPercent is { } a ? $"{Percent(a)} %" : "–",
                m.TargetPercent is { } t ? Target(t) : "–",
                m.Result,
                m.Credit is { } c ? Money(c, m.Currency ?? "") : "–",
            }));

        page.Heading("Services covered");
        page.Table("Services covered",
            [new("Service", 2.2), new("Monitor", 2), new("Critical", 0.8), new("Availability", 1.2, Numeric: true), new("Downtime (min)", 1.2, Numeric: true)],
            report.Services.Select(s => new[] { s.Name, s.MonitorId, s.Critical ? "yes" : "no", $"{Percent(s.UptimePercent)} %", Minutes(s.DowntimeMinutes) }),
            none: "No services were measured in this period.");

        page.Heading("Response times");
        page.Table("Response times",
            [new("Service", 2.2), new("Checks", 0.9, Numeric: true), new("p50 (ms)", 0.9, Numeric: true), new("p95 (ms)", 0.9, Numeric: true), new("p99 (ms)", 0.9, Numeric: true), new("Max (ms)", 0.9, Numeric: true)],
            (report.ResponseTimes is { IsDefault: false } times ? times : []).Select(t => new[] { t.Service, Count(t.Checks), Ms(t.P50Ms), Ms(t.P95Ms), Ms(t.P99Ms), Ms(t.MaxMs) }),
            none: "No response times were measured in this period.");

        page.Heading("Checks by region");
        page.Table("Checks by region",
            [new("Service", 1.7), new("Region", 1.1), new("Checks", 0.8, Numeric: true), new("Failed", 0.7, Numeric: true), new("OK by checks", 1.1, Numeric: true), new("p50 (ms)", 0.8, Numeric: true), new("p95 (ms)", 0.8, Numeric: true), new("p99 (ms)", 0.8, Numeric: true)],
            (report.Regions is { IsDefault: false } regions ? regions : []).Select(g => new[]
            {
                g.Service, g.Region.Length == 0 ? "single location" : g.Region, Count(g.Checks), Count(g.FailedChecks),
                g.AvailabilityPercent is { } a ? $"{Percent(a)} %" : "–", Ms(g.P50Ms), Ms(g.P95Ms), Ms(g.P99Ms),
            }),
            none: "No checks were recorded in this period.");

        if (report.Latency is { } latency)
        {
            // Latency: the share of checks answered within each service's threshold (failed checks count as slow).
            page.Heading("Latency");
            page.Pairs(
                ("Latency commitment", latency.CommitmentPercent is { } commitment ? $"{Target(commitment)} of checks within their threshold" : "none in the contract"),
                ("Latency SLI", latency.SliPercent is { } sli ? $"{Percent(sli)} % ({latency.GoodChecks.ToString("N0", CultureInfo.InvariantCulture)} of {latency.TotalChecks.ToString("N0", CultureInfo.InvariantCulture)} checks)" : "no checks"),
                ("Result", latency.CommitmentMet switch { true => "met", false => "missed", null => "not judged" }));
            page.Table("Latency by service",
                [new("Service", 2), new("Threshold (ms)", 1, Numeric: true), new("Objective", 1, Numeric: true), new("Latency SLI", 1.2, Numeric: true), new("Checks", 1, Numeric: true), new("Budget left", 1, Numeric: true)],
                latency.Services.Select(l => new[]
                {
                    l.Name, l.ThresholdMs.ToString(CultureInfo.InvariantCulture), Target(l.ObjectivePercent), l.SliPercent is { } p ? $"{Percent(p)} %" : "–",
                    l.TotalChecks.ToString("N0", CultureInfo.InvariantCulture), l.BudgetRemainingPercent is { } b ? $"{b.ToString("0.##", CultureInfo.InvariantCulture)} %" : "–",
                }));
        }

        page.Heading("Incidents");
        page.Table("Incidents",
            [new("Incident", 1.6), new("Service", 1.0), new("Start", 1.6), new("End", 1.6), new("Minutes", 0.7, Numeric: true), new("Root cause", 1.8)],
            report.Incidents.Select(i => new[] { i.IncidentId, i.Service, At(i.Start), At(i.End), Minutes(i.DurationMinutes), i.RootCause ?? "not classified" }),
            none: "No incidents in this period.");
        foreach (var i in report.Incidents.Where(i => i.Resolution is not null || i.Postmortem is not null))
        {
            page.Paragraph($"{i.IncidentId}: {(i.Resolution is { } resolution ? $"resolution: {resolution.TrimEnd('.')}. " : "")}{(i.Postmortem is { } link ? $"Postmortem: {link}" : "")}");
        }

        page.Heading("Excluded periods (announced maintenance)");
        page.Table("Excluded periods",
            [new("Service", 1.1), new("Start", 1.5), new("End", 1.5), new("Announced", 1.5), new("Description", 1.9)],
            report.ExcludedMaintenance.Select(e => new[] { e.Service, At(e.Start), At(e.End), At(e.AnnouncedAt), e.Description }),
            none: "No maintenance was excluded in this period.");

        // Issue 20 — exclusions
        if (report.ExcludedByClass is { } byClass)
        {
            page.Heading("Excluded time by cause");
            page.Pairs(
                ("Maintenance", $"{Minutes(byClass.MaintenanceMinutes)} minutes"),
                ("Customer-caused", $"{Minutes(byClass.CustomerCausedMinutes)} minutes"),
                ("Force majeure", $"{Minutes(byClass.ForceMajeureMinutes)} minutes"),
                ("Third-party", $"{Minutes(byClass.ThirdPartyMinutes)} minutes"));
            page.Table("Reclassified downtime",
                [new("Incident", 1.3), new("Class", 1.1), new("From", 1.5), new("To", 1.5), new("Effect", 1), new("Reason", 1.9)],
                (report.Reclassifications ?? []).Select(r => new[] { r.IncidentId, r.Class, At(r.From), At(r.To), r.Excluded ? "excluded" : "downtime", r.Reason }),
                none: "No downtime was reclassified in this period.");
        }

        page.Heading("Credit");
        if (report.Credit is { } credit)
        {
            page.Pairs(
                ("Credit", $"{credit.CreditPercent.ToString("0.##", CultureInfo.InvariantCulture)} % of the monthly fee{(credit.Capped ? " (capped)" : "")}"),
                ("Amount", Money(credit.Amount, credit.Currency)));
            page.Paragraph(credit.Reason);
        }
        else if (report.InsufficientData)
        {
            page.Paragraph("Insufficient data: no automatic credit. A manager decides.");
        }
        else
        {
            page.Paragraph("The commitment was met; no credit is due.");
        }

        page.Heading("Ticket SLA");
        page.Table("Ticket SLA",
            [new("Priority", 1), new("Tickets", 0.8, Numeric: true), new("First response met", 1.4, Numeric: true), new("Resolution met", 1.4, Numeric: true), new("Breaches", 0.8, Numeric: true)],
            report.Tickets.Select(t => new[] { t.Priority.ToString(), t.Tickets.ToString(CultureInfo.InvariantCulture), Compliance(t.FirstResponseCompliancePercent), Compliance(t.ResolutionCompliancePercent), t.Breaches.Length.ToString(CultureInfo.InvariantCulture) }),
            none: "No tickets were opened in this period.");
        var breaches = report.Tickets.SelectMany(t => t.Breaches.Select(b => new[] { b.TicketId, t.Priority.ToString(), b.Metric.ToString(), Minutes(b.OverTargetMinutes) })).ToList();
        if (breaches.Count > 0)
        {
            page.Table("Breached tickets", [new("Breached ticket", 2), new("Priority", 1), new("Clock", 1.2), new("Over target (min)", 1.2, Numeric: true)], breaches);
        }

        if (report.RawChecks is { } raw)
        {
            page.Heading("Raw check results");
            page.Pairs(
                ("Span", $"{At(raw.From)} to {At(raw.To)}"),
                ("Checks", raw.Rows.ToString("N0", CultureInfo.InvariantCulture)),
                ("SHA-256", raw.Sha256));
            var asOf = report.Provisional ? $"&asOf={Api.Json.NodaTimeJson.FormatInstant(raw.To)}" : "";
            var name = report.Period.Contains('Q', StringComparison.Ordinal) ? "quarter" : "period";
            page.Paragraph($"Download them from /api/v1/customers/{report.CustomerId}/reports/checks.csv?{name}={report.Period}{asOf}; their SHA-256 is the one above, and this report's data SHA-256 (below) covers it.", page.Small);
        }

        // Issue 20 — incidents linked to tickets.
        if (report.SlaRelatedTickets is { } related)
        {
            page.Paragraph(related.RatePercent is { } rate
                ? $"SLA-related ticket rate: {rate.ToString("0.##", CultureInfo.InvariantCulture)} % ({related.LinkedToIncidents} of {related.TicketsOpened} tickets opened in the period are linked to an incident)."
                : "SLA-related ticket rate: none (no tickets were opened in the period).");
        }

        page.Heading("Appendix: renewal summary");
        var r = report.Renewal;
        page.Pairs(
            ("Months counted", r.Months == 0 ? "none closed yet" : $"{r.Months} ({r.From:yyyy-MM} to {r.Through:yyyy-MM})"),
            ("Availability", r.AvailabilityPercent is { } availability ? $"{Percent(availability)} % against {Target(r.CommitmentPercent)}" : "no data"),
            ("Months met", $"{r.MonthsMet} of {r.Months}"),
            ("Best quarter", r.BestQuarter is { } q ? $"{q}: {Percent(r.BestQuarterPercent!.Value)} %" : "no data"),
            ("Incidents", r.Incidents.ToString(CultureInfo.InvariantCulture)),
            ("Mean time to resolve", r.MeanTimeToResolveMinutes is { } m ? $"{Minutes(m)} minutes" : "no resolved incidents"),
            ("Credits issued", Money(r.CreditsIssued, r.Currency)),
            ("Term", r.Term ?? "none named in the contract")); // Issue 20 — term and renewal

        var generated = At(report.GeneratedAt);
        return page.Finish(
            (number, count) => (
                $"{(provisional is null ? "" : $"PROVISIONAL {provisional}. ")}{report.CustomerName} ({report.CustomerId}), {report.Period}. Generated {generated}.",
                $"page {number} of {count}",
                $"Data SHA-256 (of this report's CSV): {dataSha256}"),
            provisional is null ? null : $"PROVISIONAL, {provisional}: the period is still running; figures will change. Not the final report.");
    }

    /// <summary>An availability as the report states it: exactly four decimals.</summary>
    private static string Percent(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>An SLA target as the contract states it, without trailing zeros (99.9 %), as in the chart's label.</summary>
    private static string Target(decimal value) => $"{ReportLayout.Number(value, 4)} %";

    private static string Minutes(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "–";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Money in the one format the product uses: thousands separators, two decimals, then the currency (1,000.00 USD).</summary>
    private static string Money(decimal amount, string currency) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {currency}".TrimEnd();

    private static string Compliance(decimal? value) => value is { } v ? $"{v.ToString("0.##", CultureInfo.InvariantCulture)} %" : "none decided";
}
