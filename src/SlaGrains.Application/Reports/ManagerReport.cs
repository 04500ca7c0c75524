using System.Collections.Immutable;

namespace SlaGrains.Application.Reports;

/// <summary>Which customers and months a manager report covers.</summary>
/// <param name="From">First month (closed months count for compliance and credits; incidents and tickets count as they are).</param>
/// <param name="To">Last month.</param>
/// <param name="CustomerId">Only this customer; null: all.</param>
/// <param name="Group">Only customers in this account group; null: all.</param>
/// <param name="Tier">Only customers on this SLA tier (by name, case-insensitive; overrides count as the tier); null: all.</param>
/// <param name="Outcome">Only customers that met every month (<c>met</c>) or missed at least one (<c>breached</c>); null: all.</param>
public sealed record ManagerReportFilter(YearMonth From, YearMonth To, string? CustomerId = null, string? Group = null, string? Tier = null, string? Outcome = null);

/// <summary>Across customers: compliance, breaches, credits, root causes, time to detect and renegotiation candidates.</summary>
/// <param name="Filter">The months and filters the report covers.</param>
/// <param name="Customers">One row per customer counted, by name.</param>
/// <param name="Months">Closed customer-months in the range (one customer over three closed months counts 3).</param>
/// <param name="MonthsMet">Closed customer-months that met their commitment (a month with insufficient data is neither met nor missed).</param>
/// <param name="CompliancePercent">Met ÷ judged months (closed months less those with insufficient data), percent to 2 decimals; null without a judged month.</param>
/// <param name="TicketBreaches">Breached ticket clocks of tickets created in the range.</param>
/// <param name="Credits">Credits against recurring revenue, per currency.</param>
/// <param name="RootCauses">Incidents and downtime by root cause.</param>
/// <param name="TimeToDetect">First failed check → incident opened.</param>
/// <param name="RenegotiationCandidates">Contracts worth revisiting.</param>
/// <param name="MonthsInsufficientData">Closed customer-months with too little data to judge (neither met nor missed, no automatic credit).</param>
/// <param name="PerMonth">
/// Every month of the range, oldest first, with the same counts as the totals split by month (in each customer's
/// time zone): they add up to <paramref name="Months"/>, <paramref name="MonthsMet"/>,
/// <paramref name="MonthsInsufficientData"/>, <paramref name="TicketBreaches"/> and the root causes' incidents.
/// </param>
/// <param name="SlaRelatedTickets">
/// Issue 20: across the customers counted, tickets opened in the range, those linked to an incident, and the
/// SLA-related ticket rate (linked ÷ opened, percent to 2 decimals; null without tickets).
/// </param>
public sealed record ManagerReport(
    ManagerReportFilter Filter,
    ImmutableArray<ManagerReportCustomer> Customers,
    int Months,
    int MonthsMet,
    decimal? CompliancePercent,
    int TicketBreaches,
    ImmutableArray<CurrencyCredits> Credits,
    ImmutableArray<RootCauseShare> RootCauses,
    TimeToDetect TimeToDetect,
    ImmutableArray<RenegotiationCandidate> RenegotiationCandidates,
    int MonthsInsufficientData,
    ImmutableArray<ManagerReportMonth> PerMonth,
    SlaGrains.Contracts.Reports.ReportTicketRate? SlaRelatedTickets = null);

/// <summary>One month of a <see cref="ManagerReport"/> across the customers counted.</summary>
/// <param name="Month">The month (each customer's calendar month in its own time zone).</param>
/// <param name="Closed">Customers whose month is closed.</param>
/// <param name="Met">Of them, customers that met their commitment.</param>
/// <param name="Missed">Of them, customers that missed it.</param>
/// <param name="InsufficientData">Of them, customers with too little data to judge: <c>Closed = Met + Missed + InsufficientData</c>.</param>
/// <param name="CompliancePercent">Met ÷ (Met + Missed), percent to 2 decimals; null when no customer's month was judged.</param>
/// <param name="Incidents">Incidents that started in the month.</param>
/// <param name="TicketBreaches">Breached ticket clocks of tickets created in the month.</param>
public sealed record ManagerReportMonth(YearMonth Month, int Closed, int Met, int Missed, int InsufficientData, decimal? CompliancePercent, int Incidents, int TicketBreaches);

/// <summary>One customer over the range.</summary>
/// <remarks>
/// Issue 20: <c>TicketsOpened</c> are the customer's tickets opened in the range, <c>TicketsLinkedToIncidents</c> those
/// of them linked to an incident, <c>SlaRelatedTicketRatePercent</c> linked ÷ opened (percent, 2 decimals; null without tickets).
/// </remarks>
public sealed record ManagerReportCustomer(
    string CustomerId,
    string Name,
    string? Group,
    string? Tier,
    decimal CommitmentPercent,
    int Months,
    int MonthsMet,
    decimal? LowestMonthPercent,
    int Incidents,
    int TicketBreaches,
    decimal? FirstResponseCompliancePercent,
    decimal? ResolutionCompliancePercent,
    decimal Credits,
    decimal MonthlyFee,
    string Currency,
    int TicketsOpened = 0,
    int TicketsLinkedToIncidents = 0,
    decimal? SlaRelatedTicketRatePercent = null);

/// <summary>Credits against recurring revenue in one currency: issued ÷ (monthly fee × months counted), percent.</summary>
public sealed record CurrencyCredits(string Currency, decimal Issued, decimal RecurringRevenue, decimal? IssuanceRatePercent, int AccountsWithCredits, decimal LargestCredit);

/// <summary>Incidents and their downtime by root-cause category (<c>unclassified</c> until reviewed).</summary>
public sealed record RootCauseShare(string RootCause, int Incidents, double DowntimeMinutes, decimal SharePercent);

/// <summary>First degradation (the first failed check) → first internal alert (the incident opened), over the incidents counted.</summary>
public sealed record TimeToDetect(int Incidents, double? MeanMinutes, double? P90Minutes, double? MaxMinutes);

/// <summary>A customer whose contract is worth revisiting, and why.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">Its name.</param>
/// <param name="Reason">The figures behind it, as a sentence.</param>
/// <param name="Kind"><c>breaching-repeatedly</c> (2 or more missed months) or <c>could-tighten</c> (every month of at least 3 met using under a fifth of the error budget).</param>
public sealed record RenegotiationCandidate(string CustomerId, string Name, string Kind, string Reason);

/// <summary>A manager report as asked for, unparsed: months as <c>yyyy-MM</c>, filters as given.</summary>
/// <param name="From">First month; null: eleven months before the last closed month (with the default end, a year of closed months).</param>
/// <param name="To">Last month; null: the last closed month (UTC).</param>
/// <param name="Customer">Only this customer id; null: all.</param>
/// <param name="Group">Only this account group (case-insensitive); null: all.</param>
/// <param name="Tier">Only this SLA tier (case-insensitive); null: all.</param>
/// <param name="Outcome"><c>met</c>, <c>breached</c> or null (all).</param>
/// <param name="Format"><c>json</c>, <c>csv</c> or null (json). The host renders it; this layer only checks it is one of them.</param>
public sealed record ManagerReportInput(
    string? From = null, string? To = null, string? Customer = null, string? Group = null, string? Tier = null, string? Outcome = null, string? Format = null);
