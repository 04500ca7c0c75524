using System.Globalization;
using PdfSharp.Drawing;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Server.Reports;

/// <summary>One month of the report's 12-month chart; <see cref="AvailabilityPercent"/> null when the month has no closed figure.</summary>
/// <param name="Month">The calendar month in the customer's zone.</param>
/// <param name="AvailabilityPercent">The month's availability, 4 decimals, as its report states it; null: not closed.</param>
/// <param name="TargetPercent">The SLA target that month; null: not closed.</param>
/// <param name="Result">"met", "missed", "insufficient data" or "not closed".</param>
/// <param name="Credit">The credit the month earned, money; null: not closed.</param>
/// <param name="Currency">The credit's currency; null: not closed.</param>
internal sealed record ChartMonth(YearMonth Month, decimal? AvailabilityPercent, decimal? TargetPercent, string Result, decimal? Credit, string? Currency);

/// <summary>
/// The 12 months up to the report's last month: the closed months' figures from the customer's history, and for a
/// month report its own figure for its month (one figure per period, the one the report states), drawn as bars on a
/// y-axis zoomed to the figures with the SLA target as a dashed line labelled beside the plot, never over a bar.
/// </summary>
internal static class ReportChart
{
    /// <summary>Months in the chart.</summary>
    public const int Months = 12;

    private static readonly XColor Met = XColor.FromArgb(46, 125, 50), Missed = XColor.FromArgb(198, 40, 40), Unjudged = XColor.FromArgb(158, 158, 158);
    private static readonly XColor Target = XColor.FromArgb(21, 101, 192), Grid = XColor.FromArgb(225, 225, 225), Axis = XColor.FromArgb(60, 60, 60);

    /// <summary>The last month the report covers (a quarter's third month).</summary>
    public static YearMonth LastMonth(SlaReport report)
        => ReportPeriod.Parse(report.Period) is { } period
            ? new YearMonth(period.Year, period.Month ?? (period.Quarter!.Value * 3))
            : throw new ArgumentException($"Report period '{report.Period}' is neither yyyy-MM nor yyyy-Qn.", nameof(report));

    /// <summary>The chart's months, oldest first: always <see cref="Months"/> of them, the last one the report's last month.</summary>
    public static IReadOnlyList<ChartMonth> From(SlaReport report, IEnumerable<MonthlyAvailability> closed)
    {
        var through = LastMonth(report);
        var history = closed.GroupBy(h => h.Month).ToDictionary(g => g.Key, g => g.Last());
        var own = ReportPeriod.Parse(report.Period)?.Month is not null ? through : (YearMonth?)null;
        return [.. Enumerable.Range(0, Months).Select(i => through.PlusMonths(i - Months + 1)).Select(month =>
            month == own ? new ChartMonth(month, report.UptimePercent, report.CommitmentPercent, Verdict(report.InsufficientData, report.CommitmentMet), report.Credit?.Amount ?? 0m, report.Credit?.Currency ?? report.Renewal.Currency)
            : history.TryGetValue(month, out var h) ? new ChartMonth(month, h.UptimePercent, h.SlaTargetPercent, Verdict(h.InsufficientData, h.SlaMet), h.CreditAmount, h.Currency)
            : new ChartMonth(month, null, null, "not closed", null, null))];
    }

    /// <summary>
    /// The y-axis: from <c>Low</c> to 100 % in ticks of <c>Step</c>, at most 6 of them, one step under the lowest figure
    /// (or the target) so the lowest bar still shows; 0–100 when there is nothing to show.
    /// </summary>
    public static (decimal Low, decimal Step) Scale(IEnumerable<decimal> figures)
    {
        var lowest = figures.DefaultIfEmpty(0m).Min();
        foreach (var step in (decimal[])[0.01m, 0.02m, 0.05m, 0.1m, 0.2m, 0.25m, 0.5m, 1m, 2m, 5m, 10m, 20m, 25m])
        {
            var low = Math.Max(0m, (Math.Floor(lowest / step) * step) - step);
            if ((100m - low) / step <= 6m)
            {
                return (low, step);
            }
        }

        return (0m, 25m);
    }

    /// <summary>Draws the chart at the layout's cursor, 190 points high, with its legend.</summary>
    public static void Draw(ReportLayout layout, IReadOnlyList<ChartMonth> months, decimal targetPercent)
    {
        const double height = 190, plotHeight = 130, labelWidth = 44, targetLabelWidth = 72;
        layout.Need(height);
        var g = layout.Page;
        double x0 = ReportLayout.Left + labelWidth, x1 = ReportLayout.Right - targetLabelWidth, top = layout.Y + 8, bottom = top + plotHeight;
        var (low, step) = Scale(months.Where(m => m.AvailabilityPercent is not null).Select(m => m.AvailabilityPercent!.Value).Append(targetPercent));
        double Y(decimal percent) => bottom - ((double)((Math.Max(percent, low) - low) / (100m - low)) * plotHeight);

        // The y-axis: grid lines and their labels at every step.
        var gridPen = new XPen(Grid, 0.5);
        var axisPen = new XPen(Axis, 0.8);
        var decimals = step < 0.1m ? 2 : step < 1m ? 1 : 0;
        for (var tick = low; tick <= 100m; tick += step)
        {
            var y = Y(tick);
            g.DrawLine(gridPen, x0, y, x1, y);
            var label = $"{tick.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)} %";
            g.DrawString(label, layout.Tiny, XBrushes.Black, x0 - 4 - g.MeasureString(label, layout.Tiny).Width, y + 2.5);
        }

        g.DrawLine(axisPen, x0, top, x0, bottom);
        g.DrawLine(axisPen, x0, bottom, x1, bottom);

        // One slot per month; a bar for a closed month, coloured by its result, and the month under it.
        var slot = (x1 - x0) / months.Count;
        for (var i = 0; i < months.Count; i++)
        {
            var month = months[i];
            var center = x0 + (slot * (i + 0.5));
            if (month.AvailabilityPercent is { } percent)
            {
                var color = month.Result switch { "met" => Met, "missed" => Missed, _ => Unjudged };
                var y = Math.Min(Y(percent), bottom - 1);
                g.DrawRectangle(new XSolidBrush(color), center - (slot * 0.3), y, slot * 0.6, bottom - y);
            }
            else
            {
                const string none = "–";
                g.DrawString(none, layout.Tiny, XBrushes.Gray, center - (g.MeasureString(none, layout.Tiny).Width / 2), bottom - 3);
            }

            var name = month.Month.ToString("MMM yy", CultureInfo.InvariantCulture);
            g.DrawString(name, layout.Tiny, XBrushes.Black, center - (g.MeasureString(name, layout.Tiny).Width / 2), bottom + 10);
        }

        // The target across the plot, labelled in the margin beside it: a bar never sits under the label.
        var targetY = Y(targetPercent);
        g.DrawLine(new XPen(Target, 1.2) { DashStyle = XDashStyle.Dash }, x0, targetY, x1, targetY);
        var brush = new XSolidBrush(Target);
        g.DrawString("SLA target", layout.Tiny, brush, x1 + 4, targetY - 1);
        g.DrawString($"{ReportLayout.Number(targetPercent, 4)} %", layout.Tiny, brush, x1 + 4, targetY + 7);

        // The legend under the months: what the colours mean.
        var legendY = bottom + 26;
        var x = x0;
        foreach (var (color, words) in new[] { (Met, "met"), (Missed, "missed"), (Unjudged, "insufficient data"), (XColor.Empty, "– not closed") })
        {
            if (!color.IsEmpty)
            {
                g.DrawRectangle(new XSolidBrush(color), x, legendY - 6, 7, 7);
                x += 10;
            }

            g.DrawString(words, layout.Tiny, XBrushes.Black, x, legendY);
            x += g.MeasureString(words, layout.Tiny).Width + 14;
        }

        layout.Advance(height);
    }

    private static string Verdict(bool insufficientData, bool met) => insufficientData ? "insufficient data" : met ? "met" : "missed";
}
