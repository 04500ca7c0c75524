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
    /// The report of an ended <paramref name="period"/>: the archived one if there is one, otherwise built now. Null
    /// with a problem when the customer has no contract/calendar or the period has not ended in its zone.
    /// </summary>
    [AlwaysInterleave]
    Task<ReportResult> Get(ReportPeriod period);

    /// <summary>
    /// Builds and archives <paramref name="period"/> once (the customer's month close calls this); archiving a period
    /// already archived returns the archived report unchanged.
    /// </summary>
    Task<ReportResult> Archive(ReportPeriod period);

    /// <summary>The archived reports, newest period first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<ArchivedReport>> List();

    /// <summary>The renewal summary over the closed months of the last 12 (to the latest closed month).</summary>
    [AlwaysInterleave]
    Task<RenewalSummary?> GetRenewalSummary();
}
