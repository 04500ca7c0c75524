using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Application.Reports;

/// <summary>Which report is asked for: a month (<c>period=yyyy-MM</c>) or a quarter (<c>quarter=yyyy-Qn</c>), and in which format.</summary>
/// <param name="Period">A month as <c>yyyy-MM</c>; null when a quarter is named.</param>
/// <param name="Quarter">A quarter as <c>yyyy-Qn</c>; null when a month is named.</param>
/// <param name="Format"><c>json</c>, <c>csv</c> or <c>pdf</c> (lower case); null: json. The host renders it; this layer only checks it is one of them.</param>
public sealed record ReportInput(string? Period, string? Quarter = null, string? Format = null);

/// <summary>
/// The raw check results of a report's period, ready to stream (<see cref="CustomerReports.WriteRawChecks"/>): the
/// customer's monitors and the span [<see cref="From"/>, <see cref="To"/>), the one a report with the same span states
/// the SHA-256 of.
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Period">The period's name (<c>2026-10</c>, <c>2026-Q4</c>).</param>
/// <param name="From">The period's start.</param>
/// <param name="To">The span's end: the period's end, or the as-of instant asked for (by default, for a running period, now to the second).</param>
/// <param name="Provisional">Whether the period was still running when asked.</param>
/// <param name="MonitorIds">The customer's monitors.</param>
public sealed record RawChecksFile(string CustomerId, string Period, Instant From, Instant To, bool Provisional, ImmutableArray<string> MonitorIds)
{
    /// <summary>The download's name, e.g. <c>sla-checks-acme-2026-10.csv</c> (<c>-provisional</c> before the extension while the period runs).</summary>
    public string FileName => $"sla-checks-{CustomerId}-{Period}{(Provisional ? "-provisional" : "")}.csv";
}

/// <summary>
/// A customer's SLA reports, for whoever may see the customer (its own users, staff): the report of a month or quarter
/// (provisional while it runs), the raw check results behind it, the archived reports and the renewal summary, from the
/// customer's reports grain and the <c>check_results</c> read model.
/// </summary>
[ApplicationService]
public sealed class CustomerReports(IGrainFactory grains, CustomerDirectory customers, IMonitorReadModel monitorRows, ISlaNow clock)
{
    /// <summary>The formats a report is rendered in.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["json", "csv", "pdf"];

    /// <summary>The archived reports, newest period first; not found when the caller may not see the customer.</summary>
    public async Task<Result<ImmutableArray<ArchivedReport>>> Archived(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await customers.FindAsync(caller, customerId) is { } entry
            ? await grains.GetGrain<ICustomerReportsGrain>(entry.CustomerId).List()
            : Failure.NotFound($"Customer '{customerId}'");
    }

    /// <summary>
    /// The renewal summary over the last 12 closed months; not found when the caller may not see the customer, a
    /// conflict when it has no contract and calendar yet.
    /// </summary>
    public async Task<Result<RenewalSummary>> Renewal(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return await grains.GetGrain<ICustomerReportsGrain>(entry.CustomerId).GetRenewalSummary() is { } summary
            ? summary
            : Failure.Conflict($"Customer '{customerId}' needs a contract and a calendar first.");
    }

    /// <summary>
    /// The closed months of the <paramref name="months"/> (default 12) up to and including <paramref name="through"/>,
    /// oldest first, for a report's availability chart; not found when the caller may not see the customer.
    /// </summary>
    public async Task<Result<ImmutableArray<MonthlyAvailability>>> History(Caller caller, string customerId, YearMonth through, int months = 12)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var from = through.PlusMonths(1 - months);
        return (await grains.GetGrain<ICustomerGrain>(entry.CustomerId).GetHistory(int.MaxValue))
            .Where(h => h.Month >= from && h.Month <= through)
            .OrderBy(h => h.Month)
            .ToImmutableArray();
    }

    /// <summary>
    /// The report of a month or quarter in the customer's zone (the archived one when there is one), named as the
    /// directory names the customer now; a period still running gets its provisional report, measured up to now (to
    /// the second) and marked <see cref="SlaReport.Provisional"/>, built again on every request and never archived.
    /// Not found when the caller may not see the customer (checked first, so another tenant's id tells nothing about the
    /// input); invalid for a period or format that is not one; a conflict when the period has not begun or the customer
    /// has no contract and calendar.
    /// </summary>
    public async Task<Result<SlaReport>> Report(Caller caller, string customerId, ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (Period(input) is not { } period)
        {
            return InvalidPeriod(input);
        }

        if (input.Format is not null && !Formats.Contains(input.Format, StringComparer.Ordinal))
        {
            return Failure.Invalid("format", "A report is json, csv or pdf.");
        }

        var result = await grains.GetGrain<ICustomerReportsGrain>(entry.CustomerId).Get(period);

        // The name is the directory's as it is now (a renamed customer, or one archived before it was listed); the data
        // section (the CSV, and so its hash) names the customer by id only.
        return result.Report is { } report
            ? report with { CustomerName = entry.Name }
            : Failure.Conflict(result.Problem ?? $"No report of {period} for customer '{customerId}'.");
    }

    /// <summary>
    /// The raw check results behind the report of a month or quarter (<paramref name="asOf"/>: up to that instant, as a
    /// provisional report states it; by default the whole period once ended, else the period so far to the second).
    /// Not found when the caller may not see the customer (checked first); invalid for a period that is not one or an
    /// <paramref name="asOf"/> that is not an ISO instant after the period's start and not after its end or now; a
    /// conflict when the period has not begun or the customer has no calendar.
    /// </summary>
    public async Task<Result<RawChecksFile>> RawChecks(Caller caller, string customerId, ReportInput input, string? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (Period(input) is not { } period)
        {
            return InvalidPeriod(input);
        }

        if (await grains.GetGrain<ICustomerGrain>(entry.CustomerId).Get() is not { Calendar: { } calendar } view)
        {
            return Failure.Conflict($"Customer '{customerId}' needs a calendar before it has reports.");
        }

        var now = clock.Now;
        var whole = period.In(calendar.Zone);
        if (period.Measured(calendar.Zone, now) is not { } measured)
        {
            return Failure.Conflict($"{period} in {calendar.Zone.Id} begins at {whole.Start}: there is nothing to export yet.");
        }

        var to = measured.End;
        if (asOf is not null)
        {
            var parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(asOf);
            if (!parsed.Success || !Bounds.IsPrintable(asOf) || parsed.Value <= whole.Start || parsed.Value > whole.End || parsed.Value > now)
            {
                return Failure.Invalid("asOf", $"asOf is an ISO instant such as 2026-12-01T12:00:00Z after the period's start ({whole.Start}) and not after its end ({whole.End}) or now.");
            }

            to = parsed.Value;
        }

        return new RawChecksFile(
            entry.CustomerId, period.ToString(), whole.Start, to, whole.End > now,
            [.. view.Components.Select(c => c.MonitorId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Streams <paramref name="file"/> to <paramref name="output"/> a page at a time (see <see cref="RawCheckExport"/>); returns its row count and SHA-256.</summary>
    public Task<ReportRawChecks> WriteRawChecks(RawChecksFile file, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return RawCheckExport.WriteAsync(monitorRows, file.MonitorIds, file.From, file.To, output, cancellationToken);
    }

    /// <summary>The month or quarter the input names within 2000–2099; null when it names none (or names a month as a quarter).</summary>
    private static ReportPeriod? Period(ReportInput input)
        => ReportPeriod.Parse(input.Period ?? input.Quarter) is { } period
            && (input.Period is null || period.Month is not null)
            && (input.Quarter is null || period.Quarter is not null)
            && period.Year >= Bounds.EarliestDate.Year && period.Year <= Bounds.LatestDate.Year
            ? period
            : null;

    private static Failure InvalidPeriod(ReportInput input)
        => Failure.Invalid(input.Period is null && input.Quarter is not null ? "quarter" : "period", "Name a month as period=yyyy-MM (e.g. 2026-10) or a quarter as quarter=yyyy-Qn (e.g. 2026-Q3), from 2000 to 2099.");
}
