using SlaGrains.Domain.Credits;

namespace SlaGrains.Application.Credits;

/// <summary>
/// A customer's dispute of a closed month: the month (<c>yyyy-MM</c>), the availability the customer measured
/// (percent), and evidence as text and/or CSV of their own measured down intervals (<c>start,end</c> per line,
/// ISO-8601 instants, optional header). Each text has at most <see cref="Bounds.TextLength"/> characters.
/// <c>claimedDowntime</c> (issue 20, dispute analysis) lists the customer's claimed down intervals as
/// <c>{ "from": …, "to": … }</c>, each inside the month with from before to; with the CSV's, at most
/// <see cref="DisputeComparison.MaxClaimedIntervals"/> in all. They are compared with our checks when the dispute is filed.
/// </summary>
public sealed record DisputeInput(
    YearMonth? Month,
    decimal? ClaimedAvailabilityPercent,
    string? Evidence = null,
    string? DownIntervalsCsv = null,
    IReadOnlyList<ClaimedDownInterval?>? ClaimedDowntime = null);

/// <summary>A down interval the customer claims: <c>from</c> (inclusive) to <c>to</c> (exclusive), ISO-8601 instants.</summary>
public sealed record ClaimedDownInterval(Instant? From, Instant? To);

/// <summary>
/// A manager's ruling: <c>accept</c> (the claim), <c>adjust</c> (to <c>availabilityPercent</c>) or <c>reject</c>
/// (ours stands), with a note (required to adjust or reject). A decided availability without a decision adjusts.
/// </summary>
public sealed record DisputeRulingInput(DisputeVerdict? Decision, decimal? AvailabilityPercent = null, string? Note = null);

/// <summary>
/// Billing's write-back: the month's credit was applied to invoice <c>invoiceReference</c> (1–100 characters) dated
/// <c>invoiceDate</c> (<c>yyyy-MM-dd</c>).
/// </summary>
public sealed record CreditAppliedInput(string? InvoiceReference, LocalDate? InvoiceDate);
