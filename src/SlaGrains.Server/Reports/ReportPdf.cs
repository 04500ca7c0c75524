using System.Globalization;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Server.Reports;

/// <summary>
/// The report as a PDF: the same sections and figures as the JSON and CSV, in plain words, times in the customer's
/// zone, and on every page the SHA-256 of the report's CSV (its data section), so a reader can check a copy
/// (<c>sha256sum</c> of the CSV download).
/// </summary>
internal static class ReportPdf
{
    private const double Left = 50, Right = PdfDocument.Width - 50, Top = PdfDocument.Height - 56, Bottom = 64;

    /// <summary>Renders <paramref name="report"/>; <paramref name="dataSha256"/> is the hex SHA-256 of its CSV.</summary>
    public static byte[] Render(SlaReport report, string dataSha256)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(report.TimeZone) ?? DateTimeZone.Utc;
        string At(Instant? instant) => instant is { } i ? i.InZone(zone).ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture) : "ongoing";

        var pdf = new PdfDocument($"SLA report {report.CustomerName} {report.Period}");
        var page = new Cursor(pdf);
        page.Title($"SLA report: {report.CustomerName}");
        page.Line($"Customer {report.CustomerId}. Period {report.Period}, {At(report.PeriodStart)} to {At(report.PeriodEnd)} ({report.TimeZone}); times below are in this zone.");
        page.Gap();

        page.Heading("Commitment and result");
        page.Pairs(
            ("Commitment", $"{Percent(report.CommitmentPercent)} % availability"),
            ("Availability", $"{Percent(report.UptimePercent)} %"),
            ("Result", report.ResultText),
            ("Data coverage", report.CoveragePercent is { } coverage ? $"{Percent(coverage)} % of the period with data; {Minutes(report.UnknownMinutes)} minutes without data (neither up nor down)" : "not recorded"),
            ("Total downtime", $"{Minutes(report.DowntimeMinutes)} minutes"),
            ("Excluded maintenance", $"{Minutes(report.ExcludedMinutes)} minutes"));

        page.Heading("Services covered");
        page.Table(
            [("Service", 0), ("Monitor", 150), ("Critical", 290), ("Availability %", 350), ("Downtime (min)", 430)],
            report.Services.Select(s => new[] { s.Name, s.MonitorId, s.Critical ? "yes" : "no", Percent(s.UptimePercent), Minutes(s.DowntimeMinutes) }));

        page.Heading("Incidents");
        page.Table(
            [("Incident", 0), ("Service", 100), ("Start", 180), ("End", 258), ("Minutes", 336), ("Root cause", 380)],
            report.Incidents.Select(i => new[] { i.IncidentId, i.Service, At(i.Start), At(i.End), Minutes(i.DurationMinutes), i.RootCause ?? "not classified" }));
        foreach (var i in report.Incidents.Where(i => i.Resolution is not null || i.Postmortem is not null))
        {
            page.Line($"{i.IncidentId}: {(i.Resolution is { } resolution ? $"resolution: {resolution.TrimEnd('.')}. " : "")}{(i.Postmortem is { } link ? $"Postmortem: {link}" : "")}");
        }

        page.Heading("Excluded periods (announced maintenance)");
        page.Table(
            [("Service", 0), ("Start", 95), ("End", 175), ("Announced", 255), ("Description", 335)],
            report.ExcludedMaintenance.Select(e => new[] { e.Service, At(e.Start), At(e.End), At(e.AnnouncedAt), e.Description }));

        page.Heading("Credit");
        if (report.Credit is { } credit)
        {
            page.Pairs(
                ("Credit", $"{credit.CreditPercent.ToString("0.##", CultureInfo.InvariantCulture)} % of the monthly fee{(credit.Capped ? " (capped)" : "")}"),
                ("Amount", $"{credit.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {credit.Currency}"));
            page.Line(credit.Reason);
        }
        else if (report.InsufficientData)
        {
            page.Line("Insufficient data: no automatic credit. A manager decides.");
        }
        else
        {
            page.Line("The commitment was met; no credit is due.");
        }

        page.Heading("Ticket SLA");
        page.Table(
            [("Priority", 0), ("Tickets", 80), ("First response met %", 140), ("Resolution met %", 260), ("Breaches", 370)],
            report.Tickets.Select(t => new[] { t.Priority.ToString(), t.Tickets.ToString(CultureInfo.InvariantCulture), Compliance(t.FirstResponseCompliancePercent), Compliance(t.ResolutionCompliancePercent), t.Breaches.Length.ToString(CultureInfo.InvariantCulture) }));
        var breaches = report.Tickets.SelectMany(t => t.Breaches.Select(b => new[] { b.TicketId, t.Priority.ToString(), b.Metric.ToString(), Minutes(b.OverTargetMinutes) })).ToList();
        if (breaches.Count > 0)
        {
            page.Table([("Breached ticket", 0), ("Priority", 150), ("Clock", 220), ("Over target (min)", 320)], breaches);
        }

        page.Heading("Appendix: renewal summary");
        var r = report.Renewal;
        page.Pairs(
            ("Months counted", r.Months == 0 ? "none closed yet" : $"{r.Months} ({r.From:yyyy-MM} to {r.Through:yyyy-MM})"),
            ("Availability", r.AvailabilityPercent is { } a ? $"{Percent(a)} % against {Percent(r.CommitmentPercent)} %" : "no data"),
            ("Months met", $"{r.MonthsMet} of {r.Months}"),
            ("Best quarter", r.BestQuarter is { } q ? $"{q}: {Percent(r.BestQuarterPercent!.Value)} %" : "no data"),
            ("Incidents", r.Incidents.ToString(CultureInfo.InvariantCulture)),
            ("Mean time to resolve", r.MeanTimeToResolveMinutes is { } m ? $"{Minutes(m)} minutes" : "no resolved incidents"),
            ("Credits issued", $"{r.CreditsIssued.ToString("0.00", CultureInfo.InvariantCulture)} {r.Currency}"));

        for (var i = 0; i < pdf.PageCount; i++)
        {
            pdf.Text(Left, 44, $"{report.CustomerId} {report.Period}. Page {i + 1} of {pdf.PageCount}. Generated {report.GeneratedAt.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.", 7, page: i);
            pdf.Text(Left, 34, $"Data SHA-256 (of this report's CSV): {dataSha256}", 7, page: i);
        }

        return pdf.ToBytes();
    }

    private static string Percent(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Minutes(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Compliance(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "none decided";

    /// <summary>Where the next line goes; starts a new page when the current one is full.</summary>
    private sealed class Cursor(PdfDocument pdf)
    {
        private double _y = Top;

        public void Title(string text)
        {
            Need(24);
            pdf.Text(Left, _y, text, 15, bold: true);
            _y -= 22;
        }

        public void Heading(string text)
        {
            Need(40);
            _y -= 6;
            pdf.Text(Left, _y, text, 11, bold: true);
            _y -= 15;
        }

        public void Line(string text)
        {
            foreach (var part in Wrap(text, Right - Left, 9))
            {
                Need(12);
                pdf.Text(Left, _y, part);
                _y -= 12;
            }
        }

        public void Gap() => _y -= 6;

        public void Pairs(params (string Label, string Value)[] pairs)
        {
            foreach (var (label, value) in pairs)
            {
                Need(12);
                pdf.Text(Left, _y, label, bold: true);
                pdf.Text(Left + 140, _y, value);
                _y -= 12;
            }
        }

        /// <summary>A table: a bold header row and one line per row, each cell cut to its column's width.</summary>
        public void Table((string Header, double X)[] columns, IEnumerable<string[]> rows)
        {
            var list = rows.ToList();
            if (list.Count == 0)
            {
                Line("None.");
                return;
            }

            Need(26);
            Row(columns, columns.Select(c => c.Header).ToArray(), bold: true);
            pdf.Rule(Left, Right, _y + 8);
            foreach (var row in list)
            {
                Need(12);
                Row(columns, row, bold: false);
            }

            _y -= 4;
        }

        private void Row((string Header, double X)[] columns, string[] cells, bool bold)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                var width = (i + 1 < columns.Length ? columns[i + 1].X : Right - Left) - columns[i].X - 4;
                pdf.Text(Left + columns[i].X, _y, Fit(cells[i], width, 8), 8, bold);
            }

            _y -= 11;
        }

        private void Need(double height)
        {
            if (pdf.PageCount == 0 || _y - height < Bottom)
            {
                pdf.AddPage();
                _y = Top;
            }
        }

        private static string Fit(string text, double width, double size)
        {
            if (PdfDocument.WidthOf(text, size) <= width)
            {
                return text;
            }

            var chars = Math.Max(1, (int)(width / (size * 0.52)) - 1);
            return text[..Math.Min(chars, text.Length)] + "...";
        }

        private static IEnumerable<string> Wrap(string text, double width, double size)
        {
            var line = string.Empty;
            foreach (var word in text.Split(' '))
            {
                var next = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && PdfDocument.WidthOf(next, size) > width)
                {
                    yield return line;
                    line = word;
                }
                else
                {
                    line = next;
                }
            }

            yield return line;
        }
    }
}
