using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Channels;

/// <summary>
/// A customer's contacts and their mail through the real server and a real SMTP relay (read back from its Maildir):
/// the contacts API, the credit notice and the monthly statement a month close sends, the maintenance announcement,
/// and the RFC 8058 one-click unsubscribe. Months are closed with <see cref="ICustomerGrain.CloseMonth"/> on the server's
/// own cluster, which takes now from the server's clock.
/// </summary>
public sealed class CustomerMailTests(ChannelsWorld world) : IClassFixture<ChannelsWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private HttpClient Admin => world.Admin.Http;

    private SmtpSink Smtp => world.Smtp!;

    private IGrainFactory Grains => world.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Contacts_are_set_as_a_bounded_list_of_valid_addresses_read_by_the_customers_own_users_and_by_no_other_tenant()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var other = await ServerScenario.CustomerAsync(Admin);
        using var own = await CustomerUserAsync(customer);
        using var technician = await UserAsync("technician", null);

        var saved = await (await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new
        {
            contacts = new object[]
            {
                new { name = "Ada Finance", email = "ada@example.com", maintenance = false },
                new { name = "", email = "ops@example.com" },
            },
        }))).JsonAsync();
        var bad = await Admin.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { contacts = new object[] { new { email = "ok@example.com" }, new { email = "not an address" }, new { email = "OK@example.com" } } });
        var tooMany = await Admin.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { contacts = Enumerable.Range(0, 51).Select(i => new { email = $"c{i}@example.com" }) });
        var missing = await Admin.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { });
        var readByOwn = await (await ServerScenario.Ok(own.Http.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync();
        var readOther = await own.Http.GetAsync($"api/v1/customers/{other}/contacts");
        var changedByOwn = await own.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { contacts = Array.Empty<object>() });
        var changedByTechnician = await technician.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { contacts = Array.Empty<object>() });
        var after = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync();

        var first = saved.GetProperty("contacts")[0];
        Assert.Equal(("Ada Finance", "ada@example.com", true, false, true),
            (first.GetProperty("name").GetString(), first.GetProperty("email").GetString(), first.GetProperty("creditNotices").GetBoolean(), first.GetProperty("maintenance").GetBoolean(), first.GetProperty("monthlyStatement").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("contacts[1].email", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("contacts[2].email", out _), errors.ToString()); // the same address in other case
        Assert.False(errors.TryGetProperty("contacts[0].email", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await tooMany.JsonAsync()).GetProperty("errors").TryGetProperty("contacts", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(2, readByOwn.GetProperty("contacts").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, readOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, changedByOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, changedByTechnician.StatusCode);
        Assert.Equal(saved.GetProperty("contacts").ToString(), after.GetProperty("contacts").ToString());
    }

    [SkippableFact]
    public async Task A_month_closing_with_a_credit_mails_each_contact_who_gets_credit_notices_the_amount_the_status_link_and_a_one_click_unsubscribe()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var customer = await ServerScenario.CustomerAsync(Admin);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(Admin, customer, downMinutes: 60);
        var (ada, bob) = (Address("ada"), Address("bob"));
        await SetContactsAsync(customer, new { name = "Ada", email = ada }, new { name = "Bob", email = bob, creditNotices = false });

        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(ada) && (m.Subject ?? "").StartsWith("SLA credit for", StringComparison.Ordinal), Bound);
        // Bob gets the statement (queued with the same close), never the credit notice.
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(bob) && (m.Subject ?? "").StartsWith("SLA statement", StringComparison.Ordinal), Bound);

        var name = Month(month);
        var status = $"{ChannelsWorld.PublicUrl}status/{customer}";
        Assert.Equal($"SLA credit for {name}: 100.00 EUR (Customer {customer})", mail.Subject);
        Assert.Equal(ada, mail.To.Mailboxes.Single().Address);
        Assert.Contains("Hello Ada,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("10 % of the monthly fee: 100.00 EUR", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{status}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Status page: {status}", mail.TextBody, StringComparison.Ordinal);
        var unsubscribe = UnsubscribeUrl(mail);
        Assert.StartsWith($"{ChannelsWorld.PublicUrl}mail/unsubscribe?token=", unsubscribe, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(unsubscribe, mail.TextBody, StringComparison.Ordinal);
        Assert.Single(Smtp.To(ada), m => (m.Subject ?? "").StartsWith("SLA credit for", StringComparison.Ordinal));
        Assert.DoesNotContain(Smtp.To(bob), m => (m.Subject ?? "").StartsWith("SLA credit for", StringComparison.Ordinal));
        var logged = await world.DeliveryAsync(d => d.GetProperty("messageId").GetString() == $"credit-notice:{customer}:{name}:{ada}", Bound);
        Assert.Equal(customer, logged.GetProperty("customerId").GetString());
    }

    [SkippableFact]
    public async Task The_monthly_statement_mail_carries_the_reports_PDF_and_the_same_data_hash_as_the_report_download()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var customer = await ServerScenario.CustomerAsync(Admin);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(Admin, customer, downMinutes: 60);
        var (cleo, dan) = (Address("cleo"), Address("dan"));
        await SetContactsAsync(customer, new { name = "Cleo", email = cleo }, new { name = "Dan", email = dan, monthlyStatement = false });

        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(cleo) && (m.Subject ?? "").StartsWith("SLA statement", StringComparison.Ordinal), Bound);
        var csv = await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/reports?period={Month(month)}&format=csv"));
        var csvHash = Convert.ToHexStringLower(SHA256.HashData(await csv.Content.ReadAsByteArrayAsync()));

        var file = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        using var pdf = new MemoryStream();
        await file.Content!.DecodeToAsync(pdf);
        Assert.Equal("application/pdf", file.ContentType.MimeType);
        Assert.Equal($"sla-statement-{customer}-{Month(month)}.pdf", file.FileName);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf.ToArray(), 0, 4));
        Assert.Equal(csvHash, csv.Headers.GetValues("X-Report-Data-SHA256").Single());
        Assert.Contains($"Data SHA-256: {csvHash}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(csvHash, mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Attached is Customer {customer}'s SLA statement for {Month(month)}.", mail.TextBody, StringComparison.Ordinal);
        Assert.NotNull(UnsubscribeUrl(mail));
        // Dan turned the statement off: his credit notice comes (the month missed), the statement does not.
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(dan) && (m.Subject ?? "").StartsWith("SLA credit for", StringComparison.Ordinal), Bound);
        Assert.DoesNotContain(Smtp.To(dan), m => (m.Subject ?? "").StartsWith("SLA statement", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Announcing_maintenance_on_a_customers_monitor_mails_the_contacts_who_get_maintenance_once_per_window()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var customer = await ServerScenario.CustomerAsync(Admin);
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(Admin, monitor, customer, name: "Checkout API");
        var (erin, finn) = (Address("erin"), Address("finn"));
        await SetContactsAsync(customer, new { name = "Erin", email = erin }, new { name = "Finn", email = finn, maintenance = false });

        var (window, start) = await AnnounceAsync(monitor, "Database upgrade <v17>");
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(erin) && (m.Subject ?? "").StartsWith("Planned maintenance", StringComparison.Ordinal), Bound);
        await world.DeliveryAsync(d => d.GetProperty("messageId").GetString() == $"maintenance:{customer}:{monitor}:{window}:{erin}", Bound);

        Assert.Contains("Checkout API", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(start, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Database upgrade &lt;v17&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("What is done: Database upgrade <v17>", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{ChannelsWorld.PublicUrl}status/{customer}", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Single(Smtp.To(erin), m => (m.Subject ?? "").StartsWith("Planned maintenance", StringComparison.Ordinal));
        Assert.Empty(Smtp.To(finn));
    }

    [SkippableFact]
    public async Task The_one_click_POST_stops_that_kind_of_mail_for_that_contact_while_its_other_kinds_and_other_contacts_still_arrive()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var customer = await ServerScenario.CustomerAsync(Admin);
        var (monitor, month, _) = await ServerScenario.OutageLastMonthAsync(Admin, customer, downMinutes: 60);
        var (gus, hana) = (Address("gus"), Address("hana"));
        await SetContactsAsync(customer, new { name = "Gus", email = gus }, new { name = "Hana", email = hana });
        var (_, firstStart) = await AnnounceAsync(monitor, "First window");
        var first = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(gus) && (m.Subject ?? "").Contains(firstStart, StringComparison.Ordinal), Bound);
        using var anonymous = world.Anonymous();

        // What a mail program does (RFC 8058): POST the form body to the List-Unsubscribe URL, no cookie, no page.
        var posted = await anonymous.PostAsync(Local(UnsubscribeUrl(first)), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var again = await anonymous.PostAsync(Local(UnsubscribeUrl(first)), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var contacts = (await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync()).GetProperty("contacts");
        var (_, secondStart) = await AnnounceAsync(monitor, "Second window", daysAhead: 4);
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(hana) && (m.Subject ?? "").Contains(secondStart, StringComparison.Ordinal), Bound);
        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(gus) && (m.Subject ?? "").StartsWith("SLA credit for", StringComparison.Ordinal), Bound);
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(gus) && (m.Subject ?? "").StartsWith("SLA statement", StringComparison.Ordinal), Bound);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Unsubscribed", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var gusNow = contacts.EnumerateArray().Single(c => c.GetProperty("email").GetString() == gus);
        var hanaNow = contacts.EnumerateArray().Single(c => c.GetProperty("email").GetString() == hana);
        Assert.Equal((true, false, true), (gusNow.GetProperty("creditNotices").GetBoolean(), gusNow.GetProperty("maintenance").GetBoolean(), gusNow.GetProperty("monthlyStatement").GetBoolean()));
        Assert.True(hanaNow.GetProperty("maintenance").GetBoolean());
        // Both contacts' announcements of the second window were queued in one call: Hana's arrived, Gus's was never made.
        Assert.DoesNotContain(Smtp.To(gus), m => (m.Subject ?? "").Contains(secondStart, StringComparison.Ordinal));
        Assert.Single(Smtp.To(gus), m => (m.Subject ?? "").StartsWith("Planned maintenance", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_forged_or_other_purpose_token_is_refused_and_the_link_page_shown_by_GET_changes_nothing()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var customer = await ServerScenario.CustomerAsync(Admin);
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(Admin, monitor, customer);
        var ivy = Address("ivy");
        await SetContactsAsync(customer, new { name = "Ivy", email = ivy });
        var (_, start) = await AnnounceAsync(monitor, "Window");
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(ivy) && (m.Subject ?? "").Contains(start, StringComparison.Ordinal), Bound);
        var link = Local(UnsubscribeUrl(mail));
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
        var key = await Grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret();
        var payload = ContactUnsubscribe.Payload(new ContactUnsubscribe.Request(customer, ivy, ContactMailKind.CreditNotices));
        var otherPurpose = SignedTokens.Sign(key.AsSpan(), "subscriber-unsubscribe", payload);
        var wrongKey = SignedTokens.Sign(new byte[32], ContactUnsubscribe.Purpose, payload);
        var edited = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + token[token.IndexOf('.', StringComparison.Ordinal)..];
        using var anonymous = world.Anonymous();
        var oneClick = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);

        var page = await anonymous.GetAsync(link);
        var refused = new List<HttpStatusCode>();
        foreach (var bad in new[] { otherPurpose, wrongKey, edited, token + "x", "", "not-a-token" })
        {
            refused.Add((await anonymous.PostAsync($"mail/unsubscribe?token={Uri.EscapeDataString(bad)}", oneClick)).StatusCode);
        }

        var gone = await anonymous.PostAsync($"mail/unsubscribe?token={Uri.EscapeDataString(SignedTokens.Sign(key.AsSpan(), ContactUnsubscribe.Purpose, ContactUnsubscribe.Payload(new(customer, "nobody@example.com", ContactMailKind.Maintenance))))}", oneClick);
        var contact = (await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync()).GetProperty("contacts")[0];

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.Contains("maintenance announcements", html, StringComparison.Ordinal);
        Assert.All(refused, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal((true, true, true), (contact.GetProperty("creditNotices").GetBoolean(), contact.GetProperty("maintenance").GetBoolean(), contact.GetProperty("monthlyStatement").GetBoolean()));
    }

    private static string Address(string name) => $"{name}-{Guid.NewGuid():N}"[..20] + "@example.com";

    private static string Month(YearMonth month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The List-Unsubscribe URL of <paramref name="mail"/> (one URL in angle brackets).</summary>
    private static string UnsubscribeUrl(MimeMessage mail) => (mail.Headers["List-Unsubscribe"] ?? "").Trim().TrimStart('<').TrimEnd('>');

    /// <summary>The link's path and query, to ask this test server (the mail's links name App:PublicUrl).</summary>
    private static string Local(string url) => new Uri(url).PathAndQuery.TrimStart('/');

    private async Task SetContactsAsync(string customer, params object[] contacts)
        => await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/contacts", new { contacts }));

    /// <summary>Announces a two-hour window <paramref name="daysAhead"/> days from now; returns its id and its start as the mail writes it.</summary>
    private async Task<(string Id, string Start)> AnnounceAsync(string monitor, string description, int daysAhead = 3)
    {
        var start = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromDays(daysAhead));
        start = Instant.FromUnixTimeSeconds(start.ToUnixTimeSeconds() / 60 * 60);
        var created = await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance",
            new { start, end = start + Duration.FromHours(2), description }, SlaGrainsServerFixture.Json))).JsonAsync();
        return (created.GetProperty("maintenanceId").GetString()!, start.ToString("uuuu-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<SlaGrainsServerFixture.Session> CustomerUserAsync(string customer) => await UserAsync("customer", customer);

    private async Task<SlaGrainsServerFixture.Session> UserAsync(string role, string? customer)
    {
        var name = $"{role[..3]}-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(Admin, name, role, customerId: customer);
        return await world.SignInAsync(name, ServerScenario.Password(name));
    }
}
