using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// The messages to a customer's contacts (pure): one email per contact who gets that kind, each with its own signed
/// unsubscribe token, and an id derived from what the mail is about and the address
/// (<c>credit-notice:{customer}:{yyyy-MM}:{address}</c>, <c>maintenance:{customer}:{monitor}:{window}:{address}</c>,
/// <c>monthly-statement:{customer}:{yyyy-MM}:{address}</c>), so a replay or a retry queues nothing twice.
/// </summary>
public static class ContactMail
{
    /// <summary>The credit notice to each contact who gets credit notices.</summary>
    public static ImmutableArray<OutboundMessage> CreditNotices(string customerId, string customerName, CreditNotice notice, IEnumerable<CustomerContact> contacts, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var month = Month(notice.Month);
        var builder = ImmutableArray.CreateBuilder<OutboundMessage>();
        foreach (var contact in Receiving(contacts, ContactMailKind.CreditNotices))
        {
            var model = new CreditNoticeMailModel(
                customerId, customerName, contact.Name, month, notice.AvailabilityPercent, notice.TargetPercent, Math.Round(notice.Downtime.TotalMinutes, 2),
                notice.CreditPercent, notice.Amount, notice.Currency, notice.Summary, Token(key, customerId, contact, ContactMailKind.CreditNotices));
            builder.Add(new OutboundMessage(Id($"credit-notice:{customerId}:{month}", contact), ChannelKind.Email, contact.Email,
                CustomerMailTemplates.CreditNotice, MessageTemplates.Serialize(model), customerId));
        }

        return builder.ToImmutable();
    }

    /// <summary>The announcement to each contact who gets maintenance mail.</summary>
    public static ImmutableArray<OutboundMessage> Maintenance(string customerId, string customerName, MaintenanceAnnouncement announcement, IEnumerable<CustomerContact> contacts, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var window = announcement.Window;
        var builder = ImmutableArray.CreateBuilder<OutboundMessage>();
        foreach (var contact in Receiving(contacts, ContactMailKind.Maintenance))
        {
            var model = new MaintenanceMailModel(
                customerId, customerName, contact.Name, window.MaintenanceId, announcement.Component, window.Start, window.End, window.Description,
                Token(key, customerId, contact, ContactMailKind.Maintenance));
            builder.Add(new OutboundMessage(Id($"maintenance:{customerId}:{announcement.MonitorId}:{window.MaintenanceId}", contact), ChannelKind.Email, contact.Email,
                CustomerMailTemplates.Maintenance, MessageTemplates.Serialize(model), customerId));
        }

        return builder.ToImmutable();
    }

    /// <summary>The month's statement to each contact who gets it, with the PDF attached when there is one.</summary>
    public static ImmutableArray<OutboundMessage> Statements(string customerId, string customerName, YearMonth month, SlaReport report, StatementDocument? document, IEnumerable<CustomerContact> contacts, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(report);
        var name = Month(month);
        var attachment = document?.Pdf is { } pdf
            ? new MessageAttachment($"sla-statement-{customerId}-{name}.pdf", "application/pdf", [.. pdf])
            : null;
        var builder = ImmutableArray.CreateBuilder<OutboundMessage>();
        foreach (var contact in Receiving(contacts, ContactMailKind.MonthlyStatement))
        {
            var model = new StatementMailModel(
                customerId, customerName, contact.Name, name, report.UptimePercent, report.CommitmentPercent, report.ResultText, document?.DataSha256,
                attachment is not null, Token(key, customerId, contact, ContactMailKind.MonthlyStatement));
            builder.Add(new OutboundMessage(Id($"monthly-statement:{customerId}:{name}", contact), ChannelKind.Email, contact.Email,
                CustomerMailTemplates.MonthlyStatement, MessageTemplates.Serialize(model), customerId, attachment));
        }

        return builder.ToImmutable();
    }

    /// <summary>The contacts who get <paramref name="kind"/>.</summary>
    public static IEnumerable<CustomerContact> Receiving(IEnumerable<CustomerContact> contacts, ContactMailKind kind)
        => (contacts ?? []).Where(c => c.Gets(kind) && !string.IsNullOrWhiteSpace(c.Email));

    /// <summary>The unsubscribe token of <paramref name="contact"/> for <paramref name="kind"/>.</summary>
    public static string Token(ReadOnlySpan<byte> key, string customerId, CustomerContact contact, ContactMailKind kind)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return SignedTokens.Sign(key, ContactUnsubscribe.Purpose, ContactUnsubscribe.Payload(new ContactUnsubscribe.Request(customerId, contact.Email, kind)));
    }

    private static string Month(YearMonth month) => month.ToString("uuuu-MM", CultureInfo.InvariantCulture);

    /// <summary>The message id: what it is about, then the address (lower case), or its hash when the whole would be too long.</summary>
    private static string Id(string about, CustomerContact contact)
    {
        var address = contact.Email.ToLowerInvariant();
        var id = $"{about}:{address}";
        return id.Length <= OutboxLimits.MaxMessageIdLength
            ? id
            : $"{about}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..32]}";
    }
}
