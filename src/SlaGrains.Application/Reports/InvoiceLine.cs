namespace SlaGrains.Application.Reports;

/// <summary>One customer's line on a month's invoice: the compliance summary and the SLA credit (zero when met; as a resolved dispute decided it, when one did).</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">Its name in the directory.</param>
/// <param name="Group">Its account group; null when it has none.</param>
/// <param name="Month">The invoiced month (closed).</param>
/// <param name="AvailabilityPercent">The month's availability, percent.</param>
/// <param name="CommitmentPercent">The contract's SLA target, percent.</param>
/// <param name="Met">Whether the month met the target.</param>
/// <param name="MonthlyFee">The contract's monthly fee, in <paramref name="Currency"/>.</param>
/// <param name="CreditKey">The credit's stable key, for the billing system to apply it once.</param>
/// <param name="CreditPercent">The credit as a percent of the monthly fee (a resolved dispute's when one decided it).</param>
/// <param name="CreditAmount">The credit invoiced, in <paramref name="Currency"/>; 0 when met.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="CreditStatus">The credit's status in lower case.</param>
/// <param name="AdjustedByDispute">The dispute whose ruling changed the credit; null when none did.</param>
/// <param name="Description">The line's text for the invoice.</param>
/// <param name="Applied">Whether billing wrote back that the credit is on an invoice.</param>
/// <param name="InvoiceReference">The invoice it went on; null while unapplied.</param>
/// <param name="InvoiceDate">That invoice's date; null while unapplied.</param>
public sealed record InvoiceLine(
    string CustomerId,
    string Name,
    string? Group,
    YearMonth Month,
    decimal AvailabilityPercent,
    decimal CommitmentPercent,
    bool Met,
    decimal MonthlyFee,
    string CreditKey,
    decimal CreditPercent,
    decimal CreditAmount,
    string Currency,
    string CreditStatus,
    string? AdjustedByDispute,
    string Description,
    bool Applied,
    string? InvoiceReference,
    LocalDate? InvoiceDate);
