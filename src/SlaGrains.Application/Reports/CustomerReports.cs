using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Application.Reports;

/// <summary>Which report is asked for: a month (<c>period=yyyy-MM</c>) or a quarter (<c>quarter=yyyy-Qn</c>), and in which format.</summary>
/// <param name="Period">A month as <c>yyyy-MM</c>; null when a quarter is named.</param>
/// <param name="Quarter">A quarter as <c>yyyy-Qn</c>; null when a month is named.</param>
/// <param name="Format"><c>json</c>, <c>csv</c> or <c>pdf</c> (lower case); null: json. The host renders it; this layer only checks it is one of them.</param>
public sealed record ReportInput(string? Period, string? Quarter = null, string? Format = null);

/// <summary>
/// A customer's SLA reports, for whoever may see the customer (its own users, staff): the report of an ended month or
/// quarter, the archived reports and the renewal summary, from the customer's reports grain.
/// </summary>
[ApplicationService]
public sealed class CustomerReports(IGrainFactory grains, CustomerDirectory customers)
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
    /// The report of an ended month or quarter in the customer's zone (the archived one when there is one), named as the
    /// directory names the customer now. Not found when the caller may not see the customer (checked first, so another
    /// tenant's id tells nothing about the input); invalid for a period or format that is not one; a conflict when the
    /// period has not ended or the customer has no contract and calendar.
    /// </summary>
    public async Task<Result<SlaReport>> Report(Caller caller, string customerId, ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (ReportPeriod.Parse(input.Period ?? input.Quarter) is not { } period
            || (input.Period is not null && period.Month is null)
            || (input.Quarter is not null && period.Quarter is null)
            || period.Year < Bounds.EarliestDate.Year || period.Year > Bounds.LatestDate.Year)
        {
            return Failure.Invalid(input.Period is null && input.Quarter is not null ? "quarter" : "period", "Name a month as period=yyyy-MM (e.g. 2026-10) or a quarter as quarter=yyyy-Qn (e.g. 2026-Q3), from 2000 to 2099.");
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
}
