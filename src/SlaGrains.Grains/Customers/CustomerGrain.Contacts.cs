using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// The customer's contacts and their mail. The list is kept in the customer's state (the application checks it); the
/// mail a month close owes (the credit notice, the statement) is written with the close as
/// <see cref="CustomerState.ContactMailPending"/> and queued in the channel outbox by the follow-up, retried at every
/// wake-up until queued; the outbox's ids make a second queueing a no-op.
/// </summary>
public sealed partial class CustomerGrain : ICustomerContactsGrain
{
    private const string CreditNoticePrefix = "credit-notice:";
    private const string StatementPrefix = "statement:";

    /// <inheritdoc />
    public Task<ImmutableArray<CustomerContact>> GetContacts() => Task.FromResult(Customer.Contacts.ToImmutableArray());

    /// <inheritdoc />
    public async Task SetContacts(ImmutableArray<CustomerContact> contacts)
    {
        var list = contacts.IsDefault ? [] : contacts.ToList();
        if (!list.SequenceEqual(Customer.Contacts))
        {
            await Commit(c => c.Contacts = list);
        }
    }

    /// <inheritdoc />
    public async Task<bool> Unsubscribe(string email, ContactMailKind kind)
    {
        var index = Customer.Contacts.FindIndex(c => c.Is(email));
        if (index < 0)
        {
            return false;
        }

        var contact = Customer.Contacts[index];
        if (contact.Gets(kind))
        {
            await Commit(c => c.Contacts[index] = contact.Without(kind));
        }

        return true;
    }

    /// <inheritdoc />
    public async Task<int> AnnounceMaintenance(MaintenanceAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        if (!ContactMail.Receiving(Customer.Contacts, ContactMailKind.Maintenance).Any())
        {
            return 0;
        }

        var key = await SigningKey();
        var messages = ContactMail.Maintenance(CustomerId, await CustomerName(), announcement, Customer.Contacts, key.AsSpan());
        return await GrainFactory.QueueAsync(messages);
    }

    /// <summary>Marks the close's contact mail for the follow-up (inside the close's write).</summary>
    private static void MailContactsLater(CustomerState customer, YearMonth month, Contracts.Credits.CreditNotice? notice)
    {
        if (notice is not null)
        {
            customer.ContactMailPending.Add(CreditNoticePrefix + notice.NoticeId);
        }

        customer.ContactMailPending.Add(StatementPrefix + month.ToString("uuuu-MM", CultureInfo.InvariantCulture));
    }

    /// <summary>Queues the contact mail the closes owe; what is queued (or owed to nobody) is dropped in one write, what fails stays.</summary>
    private async Task MailContacts()
    {
        if (Customer.ContactMailPending.Count == 0)
        {
            return;
        }

        var done = new List<string>();
        foreach (var item in Customer.ContactMailPending.ToList())
        {
            try
            {
                await MailContacts(item);
                done.Add(item);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: contact mail {Mail} not queued yet", CustomerId, item);
            }
        }

        if (done.Count > 0)
        {
            await Commit(c => c.ContactMailPending.RemoveAll(done.Contains));
        }
    }

    private async Task MailContacts(string item)
    {
        if (item.StartsWith(CreditNoticePrefix, StringComparison.Ordinal))
        {
            var noticeId = item[CreditNoticePrefix.Length..];
            if (Customer.Notices.Find(n => n.NoticeId == noticeId) is { } notice && ContactMail.Receiving(Customer.Contacts, ContactMailKind.CreditNotices).Any())
            {
                var key = await SigningKey();
                await GrainFactory.QueueAsync(ContactMail.CreditNotices(CustomerId, await CustomerName(), notice, Customer.Contacts, key.AsSpan()));
            }

            return;
        }

        if (item.StartsWith(StatementPrefix, StringComparison.Ordinal)
            && NodaTime.Text.YearMonthPattern.Iso.Parse(item[StatementPrefix.Length..]) is { Success: true } parsed
            && ContactMail.Receiving(Customer.Contacts, ContactMailKind.MonthlyStatement).Any())
        {
            var month = parsed.Value;
            // The statement is the archived report (the one the API serves), so its hash is the download's.
            var result = await GrainFactory.GetGrain<ICustomerReportsGrain>(CustomerId).Archive(ReportPeriod.Of(month));
            if (result.Report is not { } report)
            {
                logger.LogWarning("Customer {Customer}: no statement of {Month} to mail: {Problem}", CustomerId, month, result.Problem);
                return;
            }

            var name = await CustomerName();
            report = report with { CustomerName = name };
            var document = ServiceProvider.GetService<IStatementRenderer>() is { } renderer
                ? await renderer.RenderAsync(report, [.. Customer.History])
                : null;
            var key = await SigningKey();
            await GrainFactory.QueueAsync(ContactMail.Statements(CustomerId, name, month, report, document, Customer.Contacts, key.AsSpan()));
        }
    }

    private Task<ImmutableArray<byte>> SigningKey() => GrainFactory.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret();

    private async Task<string> CustomerName()
        => (await GrainFactory.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(CustomerId))?.Name ?? CustomerId;
}
