using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Channels;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Channels;

/// <summary>
/// Breaches and escalations reaching people by email through a real SMTP relay (read back from its Maildir), and by
/// Slack and Teams webhooks (received by a real Kestrel receiver and checked against the documented shapes).
/// </summary>
public sealed class EmailNotificationTests(ChannelsWorld world) : IClassFixture<ChannelsWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private HttpClient Admin => world.Admin.Http;

    private SmtpSink Smtp => world.Smtp!;

    [SkippableFact]
    public async Task A_breach_without_rules_emails_each_manager_with_an_address_a_link_to_the_ticket()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var (manager, managerEmail) = await world.UserWithEmailAsync("manager");
        var (_, technicianEmail) = await world.UserWithEmailAsync("technician");
        var customer = await ServerScenario.CustomerAsync(Admin, firstResponse: "PT1S");

        var ticket = await world.TicketAsync(customer, subject: "Checkout <b>down</b>");
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(managerEmail) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);

        var link = $"{ChannelsWorld.PublicUrl}tickets/{ticket}";
        Assert.StartsWith("SLA breach: ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("first response", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(ChannelsWorld.From, mail.From.Mailboxes.Single().Address);
        Assert.Equal(managerEmail, mail.To.Mailboxes.Single().Address);
        Assert.EndsWith("@slagrains", mail.MessageId, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ChannelsWorld.PublicUrl}inbox\"", mail.HtmlBody, StringComparison.Ordinal);
        // The subject is the customer's text: escaped in the HTML part, as typed in the text part.
        Assert.Contains("Checkout &lt;b&gt;down&lt;/b&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Checkout <b>down</b>", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Open the ticket: {link}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"You get this email as {manager} ", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<", (mail.TextBody ?? "").Replace("<b>", "", StringComparison.Ordinal).Replace("</b>", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Technicians are not told by default; both would have been queued together.
        Assert.DoesNotContain(Smtp.To(technicianEmail), m => (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal));
        var logged = await world.DeliveryAsync(d => d.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal) && d.GetProperty("target").GetString() == managerEmail, Bound);
        Assert.Equal(("email", "delivered", "delivered", customer), (logged.GetProperty("channel").GetString(), logged.GetProperty("outcome").GetString(), logged.GetProperty("result").GetString(), logged.GetProperty("customerId").GetString()));
    }

    [SkippableFact]
    public async Task A_notify_rule_emails_the_named_user_and_posts_to_Slack_and_Teams_in_their_documented_shapes()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var (lead, leadEmail) = await world.UserWithEmailAsync("technician");
        var customer = await ServerScenario.CustomerAsync(Admin, firstResponse: "PT1S");
        var slack = $"slack-{Guid.NewGuid():N}";
        var teams = $"teams-{Guid.NewGuid():N}";
        await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "lead", metric = "firstResponse", percent = 100, action = "notify", target = $"user:{lead}" },
            new { id = "again", metric = "firstResponse", percent = 100, action = "notify", target = $"user:{lead}" },
            new { id = "slack", metric = "firstResponse", percent = 100, action = "notify", target = $"slack:{world.Receiver.Url(slack)}" },
            new { id = "teams", metric = "firstResponse", percent = 100, action = "notify", target = $"teams:{world.Receiver.Url(teams)}" },
        }));

        var ticket = await world.TicketAsync(customer);
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(leadEmail) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);
        var slackPost = await world.Receiver.WaitFor(r => r.Path == slack, Bound);
        var teamsPost = await world.Receiver.WaitFor(r => r.Path == teams, Bound);
        var inbox = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/escalations?customer={customer}"))).JsonAsync();

        var link = $"{ChannelsWorld.PublicUrl}tickets/{ticket}";
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("application/json", slackPost.ContentType, StringComparison.Ordinal);
        var blocks = slackPost.Json.GetProperty("blocks");
        Assert.Contains(ticket, slackPost.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(("header", "plain_text"), (blocks[0].GetProperty("type").GetString(), blocks[0].GetProperty("text").GetProperty("type").GetString()));
        Assert.True(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.Equal("section", blocks[1].GetProperty("type").GetString());
        Assert.All(blocks[1].GetProperty("fields").EnumerateArray(), f => Assert.Equal("mrkdwn", f.GetProperty("type").GetString()));
        Assert.InRange(blocks[1].GetProperty("fields").GetArrayLength(), 1, 10);
        var button = blocks[2].GetProperty("elements")[0];
        Assert.Equal(("actions", "button", link), (blocks[2].GetProperty("type").GetString(), button.GetProperty("type").GetString(), button.GetProperty("url").GetString()));
        Assert.Equal("message", teamsPost.Json.GetProperty("type").GetString());
        var attachment = Assert.Single(teamsPost.Json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        Assert.Equal(["TextBlock", "TextBlock", "FactSet"], card.GetProperty("body").EnumerateArray().Select(b => b.GetProperty("type").GetString()!));
        Assert.Contains(card.GetProperty("body")[2].GetProperty("facts").EnumerateArray(), f => f.GetProperty("title").GetString() == "Ticket" && f.GetProperty("value").GetString() == ticket);
        Assert.Equal(("Action.OpenUrl", link), (card.GetProperty("actions")[0].GetProperty("type").GetString(), card.GetProperty("actions")[0].GetProperty("url").GetString()));
        // Two rules naming one person: one email. The inbox names the Slack channel by host only (the URL is its key).
        Assert.Single(Smtp.To(leadEmail), m => (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal));
        var actions = inbox.GetProperty("items")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Contains("notify slack (127.0.0.1)", actions);
        Assert.DoesNotContain(actions, a => a.Contains(slack, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Queueing_a_message_id_twice_sends_one_email()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var grains = world.Services.GetRequiredService<IGrainFactory>();
        var id = $"test:{Guid.NewGuid():N}";
        var to = $"{Guid.NewGuid():N}@example.test";
        var model = MessageTemplates.Serialize(new EscalationNoticeModel($"{id}/e", "T-IDEM", "acme", "Idempotent", "resolution", 100, "P2",
            Instant.FromUtc(2030, 1, 1, 9, 0), Instant.FromUtc(2030, 1, 1, 9, 0), null, []));
        var message = new OutboundMessage(id, ChannelKind.Email, to, MessageTemplates.EscalationRaised, model, "acme");

        var first = await grains.QueueAsync([message]);
        var second = await grains.QueueAsync([message, message]);
        var marker = await grains.QueueAsync([message with { MessageId = id + ":marker", Model = model.Replace("T-IDEM", "T-MARK", StringComparison.Ordinal) }]);
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(to) && (m.Subject ?? "").Contains("T-MARK", StringComparison.Ordinal), Bound);
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(to) && (m.Subject ?? "").Contains("T-IDEM", StringComparison.Ordinal), Bound);

        Assert.Equal((1, 0, 1), (first, second, marker));
        Assert.Single(Smtp.To(to), m => (m.Subject ?? "").Contains("T-IDEM", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("has space@example.com")]
    [InlineData("Morgan <morgan@example.com>")]
    [InlineData("morgan@exa_mple.com")]
    public async Task A_user_with_a_bad_email_is_a_problem_naming_email_and_is_not_created(string email)
    {
        var name = $"bad-{Guid.NewGuid():N}"[..14];

        var response = await Admin.PostAsJsonAsync("api/v1/users", new { userName = name, password = ServerScenario.Password(name), role = "manager", email });
        var users = await (await Admin.GetAsync("api/v1/users")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.DoesNotContain(name, users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_is_changed_by_an_admin_and_by_its_owner_and_a_bad_one_changes_nothing()
    {
        var (name, email) = await world.UserWithEmailAsync("manager");
        using var self = await world.SignInAsync(name, ServerScenario.Password(name));
        var tooLong = new string('a', 250) + "@example.com";

        var listed = await (await ServerScenario.Ok(Admin.GetAsync("api/v1/users"))).JsonAsync();
        var byAdmin = await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/users/{name}/email", new { email = "Lead.Ops@Example.test" }));
        var refusedByAdmin = await Admin.PutAsJsonAsync($"api/v1/users/{name}/email", new { email = tooLong });
        var refusedBySelf = await self.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = (string?)null, email = "nope" });
        var kept = await (await ServerScenario.Ok(self.Http.GetAsync("api/v1/me/preferences"))).JsonAsync();
        var bySelf = await (await ServerScenario.Ok(self.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = "Europe/Berlin", email = "me@example.test" }))).JsonAsync();
        var zoneOnly = await (await ServerScenario.Ok(self.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = "Europe/Berlin" }))).JsonAsync();
        var removed = await (await ServerScenario.Ok(self.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = "Europe/Berlin", email = "" }))).JsonAsync();
        var selfOnAdminRoute = await self.Http.PutAsJsonAsync($"api/v1/users/{name}/email", new { email = "x@example.test" });

        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("userName").GetString() == name && u.GetProperty("email").GetString() == email);
        Assert.Equal("Lead.Ops@Example.test", (await byAdmin.JsonAsync()).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, refusedByAdmin.StatusCode);
        Assert.True((await refusedByAdmin.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(HttpStatusCode.BadRequest, refusedBySelf.StatusCode);
        Assert.True((await refusedBySelf.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal("Lead.Ops@Example.test", kept.GetProperty("email").GetString());
        Assert.Equal("me@example.test", bySelf.GetProperty("email").GetString());
        Assert.Equal("me@example.test", zoneOnly.GetProperty("email").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, removed.GetProperty("email").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, selfOnAdminRoute.StatusCode);
    }

    [Theory]
    [InlineData("slack:http://[::1]/services/T/B/x")]
    [InlineData("teams:https://[::1]:8443/workflows/x")]
    [InlineData("slack:not a url")]
    [InlineData("teams:ftp://files.example.com/x")]
    public async Task A_Slack_or_Teams_target_that_is_no_allowed_URL_is_refused_when_the_rule_is_saved(string target)
    {
        var customer = await ServerScenario.CustomerAsync(Admin);

        var response = await Admin.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "chat", metric = "firstResponse", percent = 100, action = "notify", target },
        });
        var rules = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("$[0].target", out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, rules.GetArrayLength());
    }

    [Fact]
    public async Task Staff_read_the_notification_log_customers_may_not_and_only_admins_and_managers_redeliver()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var technician = $"tec-{Guid.NewGuid():N}"[..14];
        var client = $"cus-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(Admin, technician, "technician");
        await ServerScenario.UserAsync(Admin, client, "customer", customer);
        using var tech = await world.SignInAsync(technician, ServerScenario.Password(technician));
        using var customerUser = await world.SignInAsync(client, ServerScenario.Password(client));

        var techLog = await tech.Http.GetAsync("api/v1/notifications/deliveries");
        var techDead = await tech.Http.GetAsync("api/v1/notifications/dead-letters");
        var techRedeliver = await tech.Http.PostAsync("api/v1/notifications/dead-letters/anything/redeliver", null);
        var customerLog = await customerUser.Http.GetAsync("api/v1/notifications/deliveries");
        var customerPending = await customerUser.Http.GetAsync("api/v1/notifications/pending");
        var unknown = await Admin.PostAsync($"api/v1/notifications/dead-letters/{Guid.NewGuid():N}/redeliver", null);
        var badPage = await Admin.GetAsync("api/v1/notifications/deliveries?pageSize=0");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden), (techLog.StatusCode, techDead.StatusCode, techRedeliver.StatusCode));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (customerLog.StatusCode, customerPending.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.True((await badPage.JsonAsync()).GetProperty("errors").TryGetProperty("pageSize", out _));
    }
}
