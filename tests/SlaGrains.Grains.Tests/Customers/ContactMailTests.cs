using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Customers;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>Which contacts a customer mail reaches, the ids that make each mail once, and the unsubscribe tokens in it.</summary>
public sealed class ContactMailTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static readonly CustomerContact[] Contacts =
    [
        new("Ada", "Ada@Example.com"),
        new("Bob", "bob@example.com", CreditNotices: false),
        new("Cleo", "cleo@example.com", Maintenance: false, MonthlyStatement: false),
    ];

    private static readonly CreditNotice Notice = new(
        "notice-2030-04", "acme", new YearMonth(2030, 4), "sla-credit-acme-2030-04", "One outage of 60 minutes.", 99.86m, 99.9m, Duration.FromHours(1),
        10m, 100m, "EUR", 1000m, [], Instant.FromUtc(2030, 5, 1, 0, 0), null, null);

    [Fact]
    public void A_credit_notice_reaches_only_the_contacts_who_get_credit_notices_with_an_id_per_month_and_address()
    {
        var messages = ContactMail.CreditNotices("acme", "Acme", Notice, Contacts, Key);

        Assert.Equal(["credit-notice:acme:2030-04:ada@example.com", "credit-notice:acme:2030-04:cleo@example.com"], messages.Select(m => m.MessageId));
        Assert.All(messages, m => Assert.Equal((ChannelKind.Email, CustomerMailTemplates.CreditNotice, "acme"), (m.Channel, m.Template, m.CustomerId)));
        var model = MessageTemplates.Deserialize<CreditNoticeMailModel>(messages[0].Model);
        Assert.Equal(("Ada", "2030-04", 100m, "EUR", 60d), (model.ContactName, model.Month, model.Amount, model.Currency, model.DowntimeMinutes));
        // The same notice again makes the same ids: the outbox queues nothing twice.
        Assert.Equal(messages.Select(m => m.MessageId), ContactMail.CreditNotices("acme", "Acme", Notice, Contacts, Key).Select(m => m.MessageId));
    }

    [Fact]
    public void Each_mail_carries_a_token_that_unsubscribes_its_own_contact_from_its_own_kind_only()
    {
        var window = new MaintenanceAnnouncement("api", "Checkout API", new MaintenanceView("mw-1", Instant.FromUtc(2030, 5, 8, 2, 0), Instant.FromUtc(2030, 5, 8, 4, 0), Instant.FromUtc(2030, 5, 1, 0, 0), "Upgrade"));
        var message = Assert.Single(ContactMail.Maintenance("acme", "Acme", window, Contacts.Where(c => c.Email.StartsWith('b')), Key));
        var token = MessageTemplates.Deserialize<MaintenanceMailModel>(message.Model).UnsubscribeToken;

        Assert.Equal("maintenance:acme:api:mw-1:bob@example.com", message.MessageId);
        Assert.Equal(new ContactUnsubscribe.Request("acme", "bob@example.com", ContactMailKind.Maintenance), ContactUnsubscribe.Parse(SignedTokens.TryRead(Key, ContactUnsubscribe.Purpose, token)));
        Assert.Null(SignedTokens.TryRead(Key, "subscriber-unsubscribe", token));
        Assert.Null(SignedTokens.TryRead(new byte[32], ContactUnsubscribe.Purpose, token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme\nbob@example.com")]
    [InlineData("acme\nbob@example.com\nNewsletter")]
    [InlineData("acme\nbob@example.com\n1")]
    [InlineData("acme\nbob@example.com\nmaintenance")]
    [InlineData("\nbob@example.com\nMaintenance")]
    [InlineData("acme\nbob@example.com\nMaintenance\nextra")]
    public void A_payload_that_does_not_name_a_customer_an_address_and_a_kind_is_no_request(string payload)
        => Assert.Null(ContactUnsubscribe.Parse(payload));

    [Fact]
    public void A_very_long_address_gets_a_hashed_id_within_the_outbox_limit_and_the_statement_attaches_the_pdf()
    {
        var longAddress = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 55), 3)) + ".example.com";
        var report = new Contracts.Reports.SlaReport(
            "acme", "Acme", "2030-04", "Europe/Berlin", Instant.FromUtc(2030, 3, 31, 22, 0), Instant.FromUtc(2030, 4, 30, 22, 0), 99.9m, 99.86m, false, 60, 0,
            [], [], [], null, [], new Contracts.Reports.RenewalSummary(null, null, 0, null, 99.9m, 0, null, null, 0, null, 0m, "EUR"), Instant.FromUtc(2030, 5, 1, 0, 0));
        var document = new StatementDocument([0x25, 0x50, 0x44, 0x46], "ab12");

        var messages = ContactMail.Statements(new string('c', 64), "Acme", new YearMonth(2030, 4), report, document, [new CustomerContact("Long", longAddress)], Key);

        var message = Assert.Single(messages);
        Assert.True(message.MessageId.Length <= OutboxLimits.MaxMessageIdLength, message.MessageId);
        Assert.Null(OutboxLimits.Problem(message, ChannelKind.Email));
        Assert.Equal(("application/pdf", 4), (message.Attachment!.ContentType, message.Attachment.Content.Length));
        var model = MessageTemplates.Deserialize<StatementMailModel>(message.Model);
        Assert.True(model.Attached);
        Assert.Equal("ab12", model.DataSha256);
    }
}
