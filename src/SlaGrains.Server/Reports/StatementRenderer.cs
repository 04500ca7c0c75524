using System.Security.Cryptography;
using System.Text;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Server.Reports;

/// <summary>
/// The monthly statement contacts get by mail: the same PDF and data hash as <c>GET /api/v1/customers/{id}/reports?period=…&amp;format=pdf</c>
/// (the report's CSV hashed, the PDF drawn by <see cref="ReportPdf"/> with its 12-month chart). Registered by the server,
/// so the customer grain's month-close follow-up can attach it; without fonts the hash is still given, the PDF is not.
/// </summary>
internal sealed class StatementRenderer(IConfiguration configuration, ILoggerFactory loggers) : IStatementRenderer
{
    /// <inheritdoc />
    public Task<StatementDocument> RenderAsync(SlaReport report, IReadOnlyList<MonthlyAvailability> history, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(history);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReportsApi.Csv(report))));
        var fonts = ReportFonts.Folder(configuration);
        if (ReportFonts.Missing(fonts) is { } missing)
        {
            ReportFonts.ReportOnce(loggers.CreateLogger<StatementRenderer>(), fonts, missing);
            return Task.FromResult(new StatementDocument(null, digest));
        }

        var through = ReportChart.LastMonth(report);
        var months = history.Where(h => h.Month <= through && h.Month > through.PlusMonths(-ReportChart.Months)).OrderBy(h => h.Month).ToList();

        // Drawing takes CPU for a while: off the caller's (a grain's) scheduler, which serves other grains meanwhile.
        return Task.Run(() => new StatementDocument(ReportPdf.Render(report, digest, ReportChart.From(report, months), fonts), digest), cancellationToken);
    }
}
