using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime.Text;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>
/// The raw check results behind a report as CSV (<c>checks.csv</c>): a header, then one row per check —
/// <c>monitor_id,region,at,outcome,response_time_ms</c> — by monitor (ordinal), then instant, then region, read from
/// <c>check_results</c> a page at a time. The report builds it to hash it and the API streams it to download it: one
/// writer, so the bytes, and so the SHA-256 a report states, are the same in both.
/// </summary>
/// <remarks>
/// Memory stays bounded by <see cref="PageSize"/> rows whatever the period holds; the rows are a span of at most a
/// quarter (<see cref="CheckStatsRow.MaxSpan"/>) of a customer's monitors. Instants are ISO 8601 UTC with the stored
/// fraction (as many digits as needed), outcomes <c>up</c> or <c>down</c>, response times in milliseconds (up to 6
/// decimals, empty when not measured), lines end with <c>\n</c>. Text that a spreadsheet would run as a formula
/// (starting with <c>= + - @</c>, tab or CR) is prefixed with a single quote and quoted, as every CSV download is.
/// </remarks>
public static class RawCheckExport
{
    /// <summary>The file's first line.</summary>
    public const string Header = "monitor_id,region,at,outcome,response_time_ms";

    /// <summary>Rows read per query: 5,000.</summary>
    public const int PageSize = 5_000;

    /// <summary>
    /// Writes the results of <paramref name="monitorIds"/> with <paramref name="from"/> ≤ at &lt; <paramref name="to"/> to
    /// <paramref name="output"/> (null: only counts and hashes them), flushing after each page, and returns what a
    /// report states about the file.
    /// </summary>
    public static async Task<ReportRawChecks> WriteAsync(
        IMonitorReadModel rows, IEnumerable<string> monitorIds, Instant from, Instant to, Stream? output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(monitorIds);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder(Header).Append('\n');
        long count = 0;

        async Task FlushAsync()
        {
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            text.Clear();
            sha.AppendData(bytes);
            if (output is not null)
            {
                await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var monitor in monitorIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            CheckResultPosition? after = null;
            while (from < to)
            {
                var page = await rows.CheckResultPageAsync(monitor, from, to, after, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var row in page)
                {
                    Line(text, row);
                }

                count += page.Count;
                await FlushAsync().ConfigureAwait(false);
                if (page.Count < PageSize)
                {
                    break;
                }

                after = new CheckResultPosition(page[^1].At, page[^1].Region);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return new ReportRawChecks(from, to, count, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static void Line(StringBuilder text, CheckResultRow row)
    {
        Field(text, row.MonitorId).Append(',');
        Field(text, row.Region).Append(',');
        text.Append(InstantPattern.ExtendedIso.Format(row.At)).Append(',');
        text.Append(row.IsDown ? "down" : "up").Append(',');
        if (row.ResponseTime is { } time)
        {
            text.Append((time.ToInt64Nanoseconds() / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture));
        }

        text.Append('\n');
    }

    /// <summary>A text cell: quoted when it holds a separator, a quote or a line break, and made text when a spreadsheet would run it.</summary>
    private static StringBuilder Field(StringBuilder text, string value)
    {
        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        if (!formula && value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            return text.Append(value);
        }

        return text.Append('"').Append(formula ? "'" : string.Empty).Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
