using Orleans.Concurrency;
using System.Collections.Immutable;

namespace SlaGrains.Contracts.Reports;

/// <summary>
/// A customer's SLA reports (key: customer id): built on demand from the customer's, its monitors' and its tickets'
/// grains, and archived when a month (and a quarter) closes, so an archived period is always served as it was
/// archived. Also the renewal summary of the last 12 closed months.
/// </summary>
public interface ICustomerReportsGrain : IGrainWithStringKey
{
    /// <summary>
    /// The report of <paramref name="period"/>: the archived one if there is one, otherwise built now — provisional
    /// (measured up to now, to the second, never archived) while the period runs. Null with a problem when the customer
    /// has no contract/calendar or the period has not begun in its zone.
    /// </summary>
    [AlwaysInterleave]
    Task<ReportResult> Get(ReportPeriod period);

    /// <summary>
    /// Builds and archives <paramref name="period"/> once (the customer's month close calls this); archiving a period
    /// already archived returns the archived report unchanged. A period still running is refused: only final reports are archived.
    /// </summary>
    Task<ReportResult> Archive(ReportPeriod period);

    /// <summary>The archived reports, newest period first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<ArchivedReport>> List();

    /// <summary>The renewal summary over the closed months of the last 12 (to the latest closed month).</summary>
    [AlwaysInterleave]
    Task<RenewalSummary?> GetRenewalSummary();
}
