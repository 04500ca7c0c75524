using System.Collections.Immutable;
using Orleans.Concurrency;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Contracts.Customers;

/// <summary>The mail a customer's contact may get; each one can be turned off on its own.</summary>
public enum ContactMailKind
{
    /// <summary>A closed month's SLA credit (amount, month, why).</summary>
    CreditNotices,

    /// <summary>A maintenance window announced on one of the customer's monitors.</summary>
    Maintenance,

    /// <summary>The monthly SLA statement: the report as a PDF, with its data hash.</summary>
    MonthlyStatement,
}

/// <summary>
/// A person at the customer who is told about the customer's service: not a user (no sign-in), only an address and
/// which customer mail they get. Kept with the customer (<see cref="ICustomerContactsGrain"/>).
/// </summary>
/// <param name="Name">Who it is (for the greeting), at most 200 characters; may be empty.</param>
/// <param name="Email">The address (a bare address, unique among the customer's contacts, case-insensitive).</param>
/// <param name="CreditNotices">Gets credit notices.</param>
/// <param name="Maintenance">Gets maintenance announcements.</param>
/// <param name="MonthlyStatement">Gets the monthly SLA statement.</param>
[GenerateSerializer]
[Alias("slagrains.customer-contact")]
[Immutable]
public sealed record CustomerContact(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] bool CreditNotices = true,
    [property: Id(3)] bool Maintenance = true,
    [property: Id(4)] bool MonthlyStatement = true)
{
    /// <summary>Whether this contact gets <paramref name="kind"/>.</summary>
    public bool Gets(ContactMailKind kind) => kind switch
    {
        ContactMailKind.CreditNotices => CreditNotices,
        ContactMailKind.Maintenance => Maintenance,
        ContactMailKind.MonthlyStatement => MonthlyStatement,
        _ => false,
    };

    /// <summary>The same contact with <paramref name="kind"/> turned off.</summary>
    public CustomerContact Without(ContactMailKind kind) => kind switch
    {
        ContactMailKind.CreditNotices => this with { CreditNotices = false },
        ContactMailKind.Maintenance => this with { Maintenance = false },
        ContactMailKind.MonthlyStatement => this with { MonthlyStatement = false },
        _ => this,
    };

    /// <summary>Whether <paramref name="email"/> is this contact's address (addresses compare without case).</summary>
    public bool Is(string email) => string.Equals(Email, email, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A maintenance window announced on one of the customer's monitors, as its contacts are told of it.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Component">The component's name as the customer knows it.</param>
/// <param name="Window">The window.</param>
[GenerateSerializer]
[Alias("slagrains.maintenance-announcement")]
[Immutable]
public sealed record MaintenanceAnnouncement(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string Component,
    [property: Id(2)] MaintenanceView Window);

/// <summary>
/// The customer's contacts and the mail they get, kept in the customer grain's own state (the same grain as
/// <see cref="ICustomerGrain"/>, key: customer id). Credit notices and the monthly statement are mailed by the customer
/// after a month close (remembered in its state and retried until queued); maintenance is mailed when a monitor hands
/// its announcement over. Every message id is derived from what it is about and the address, so a retry sends nothing twice.
/// </summary>
public interface ICustomerContactsGrain : IGrainWithStringKey
{
    /// <summary>Most contacts a customer has.</summary>
    const int MaxContacts = 50;

    /// <summary>The contacts, in the order they were set.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<CustomerContact>> GetContacts();

    /// <summary>Replaces the contacts (checked by the application: bounded, valid, unique addresses).</summary>
    Task SetContacts(ImmutableArray<CustomerContact> contacts);

    /// <summary>Turns <paramref name="kind"/> off for the contact at <paramref name="email"/>; false when no contact has that address.</summary>
    Task<bool> Unsubscribe(string email, ContactMailKind kind);

    /// <summary>Mails the announcement to each contact who gets maintenance mail; returns how many messages were new.</summary>
    Task<int> AnnounceMaintenance(MaintenanceAnnouncement announcement);
}

/// <summary>
/// The one-click unsubscribe link of customer mail: a <see cref="SlaGrains.Contracts.Channels.SignedTokens"/> token
/// under <see cref="Purpose"/> whose payload names the customer, the address and the kind of mail. It does not expire:
/// a statement read a year later still stops the next one.
/// </summary>
public static class ContactUnsubscribe
{
    /// <summary>The tokens' purpose (a token of another purpose, e.g. a subscriber's, does not verify under it).</summary>
    public const string Purpose = "contact-unsubscribe";

    /// <summary>What the token says.</summary>
    public sealed record Request(string CustomerId, string Email, ContactMailKind Kind);

    /// <summary>The payload for <paramref name="request"/>: three lines (ids and addresses hold no line breaks).</summary>
    public static string Payload(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.CustomerId}\n{request.Email}\n{request.Kind}";
    }

    /// <summary>The request a verified payload says; null when it is not one.</summary>
    public static Request? Parse(string? payload)
    {
        var parts = payload?.Split('\n');
        return parts is { Length: 3 } && parts[0].Length > 0 && parts[1].Length > 0
            && Enum.TryParse<ContactMailKind>(parts[2], ignoreCase: false, out var kind) && Enum.IsDefined(kind) && kind.ToString() == parts[2]
            ? new Request(parts[0], parts[1], kind)
            : null;
    }
}

/// <summary>
/// Renders a monthly statement's PDF, which needs the host's fonts and drawing code (the server registers one; a silo
/// without one mails the statement with a link to the report instead of the file).
/// </summary>
public interface IStatementRenderer
{
    /// <summary>
    /// The PDF of <paramref name="report"/> with its 12-month chart from <paramref name="history"/> (the customer's
    /// closed months), and the hex SHA-256 of the report's CSV that the PDF prints; null when PDFs cannot be made here
    /// (the hash is then still given when it can be).
    /// </summary>
    Task<StatementDocument> RenderAsync(SlaReport report, IReadOnlyList<MonthlyAvailability> history, CancellationToken cancellationToken = default);
}

/// <summary>A rendered statement.</summary>
/// <param name="Pdf">The PDF; null when it could not be made (fonts missing).</param>
/// <param name="DataSha256">The hex SHA-256 of the report's CSV (the same as the report download's <c>X-Report-Data-SHA256</c>).</param>
public sealed record StatementDocument(byte[]? Pdf, string DataSha256);
