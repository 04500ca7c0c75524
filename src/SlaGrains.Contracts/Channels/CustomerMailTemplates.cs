namespace SlaGrains.Contracts.Channels;

/// <summary>
/// The templates of mail to a customer's contacts (see <see cref="Customers.ICustomerContactsGrain"/>), kept apart from
/// <see cref="MessageTemplates"/> only so the kinds of mail grow without touching each other. Every model carries the
/// signed one-click unsubscribe token of its contact and kind; the renderer turns it into
/// <see cref="RenderedMessage.UnsubscribeUrl"/> (<c>{App:PublicUrl}/mail/unsubscribe?token=…</c>).
/// </summary>
public static class CustomerMailTemplates
{
    /// <summary>A closed month's credit; model <see cref="CreditNoticeMailModel"/>.</summary>
    public const string CreditNotice = "customer.credit-notice";

    /// <summary>A maintenance window announced; model <see cref="MaintenanceMailModel"/>.</summary>
    public const string Maintenance = "customer.maintenance";

    /// <summary>The monthly SLA statement (the PDF attached); model <see cref="StatementMailModel"/>.</summary>
    public const string MonthlyStatement = "customer.monthly-statement";
}

/// <summary>The model of <see cref="CustomerMailTemplates.CreditNotice"/>.</summary>
/// <param name="CustomerId">The customer; the mail links to its status page.</param>
/// <param name="CustomerName">The customer's name.</param>
/// <param name="ContactName">Whom it is addressed to (may be empty).</param>
/// <param name="Month">The closed month, <c>yyyy-MM</c>.</param>
/// <param name="AvailabilityPercent">The month's availability.</param>
/// <param name="TargetPercent">The commitment.</param>
/// <param name="DowntimeMinutes">Counted downtime, minutes.</param>
/// <param name="CreditPercent">The credit, percent of the monthly fee.</param>
/// <param name="Amount">The credit.</param>
/// <param name="Currency">Its currency.</param>
/// <param name="Summary">Why, in sentences (the notice's summary).</param>
/// <param name="UnsubscribeToken">The signed token that turns credit notices off for this contact.</param>
public sealed record CreditNoticeMailModel(
    string CustomerId,
    string CustomerName,
    string ContactName,
    string Month,
    decimal AvailabilityPercent,
    decimal TargetPercent,
    double DowntimeMinutes,
    decimal CreditPercent,
    decimal Amount,
    string Currency,
    string Summary,
    string UnsubscribeToken);

/// <summary>The model of <see cref="CustomerMailTemplates.Maintenance"/>.</summary>
/// <param name="CustomerId">The customer; the mail links to its status page.</param>
/// <param name="CustomerName">The customer's name.</param>
/// <param name="ContactName">Whom it is addressed to (may be empty).</param>
/// <param name="MaintenanceId">The window.</param>
/// <param name="Component">The component's name.</param>
/// <param name="Start">When it starts.</param>
/// <param name="End">When it ends.</param>
/// <param name="Description">What is done.</param>
/// <param name="UnsubscribeToken">The signed token that turns maintenance mail off for this contact.</param>
public sealed record MaintenanceMailModel(
    string CustomerId,
    string CustomerName,
    string ContactName,
    string MaintenanceId,
    string Component,
    Instant Start,
    Instant End,
    string Description,
    string UnsubscribeToken);

/// <summary>The model of <see cref="CustomerMailTemplates.MonthlyStatement"/>.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="CustomerName">The customer's name.</param>
/// <param name="ContactName">Whom it is addressed to (may be empty).</param>
/// <param name="Month">The month, <c>yyyy-MM</c>.</param>
/// <param name="UptimePercent">The month's availability.</param>
/// <param name="CommitmentPercent">The commitment.</param>
/// <param name="Result">The result in words (met, missed, insufficient data).</param>
/// <param name="DataSha256">The hex SHA-256 of the report's CSV, as printed in the PDF.</param>
/// <param name="Attached">Whether the PDF is attached (false: the mail links to the report instead).</param>
/// <param name="UnsubscribeToken">The signed token that turns the statement off for this contact.</param>
public sealed record StatementMailModel(
    string CustomerId,
    string CustomerName,
    string ContactName,
    string Month,
    decimal UptimePercent,
    decimal CommitmentPercent,
    string Result,
    string? DataSha256,
    bool Attached,
    string UnsubscribeToken);
