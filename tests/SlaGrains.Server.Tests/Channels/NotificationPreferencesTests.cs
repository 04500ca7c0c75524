using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Channels;
using SlaGrains.Grains;
using SlaGrains.Server.Tests.Security;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Channels;

/// <summary>As <see cref="ChannelsWorld"/>, with an SLA clock the tests move forward (quiet hours end, digests fall due).</summary>
public sealed class PreferencesWorld : ChannelsWorld
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(SlaTime.Key, Clock);

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Now on the server's SLA clock.</summary>
    public Instant Now => Instant.FromDateTimeOffset(Clock.GetUtcNow());
}

/// <summary>
/// Who gets what: each person's notification preferences through the API (with its 400s and who may change whose),
/// and their effect on real mail through a real SMTP relay: a breach held for quiet hours is delivered when they end,
/// two warnings collected in an hourly digest arrive as one mail.
/// </summary>
public sealed class NotificationPreferencesTests(PreferencesWorld world) : IClassFixture<PreferencesWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private HttpClient Admin => world.Admin.Http;

    [Fact]
    public async Task A_manager_starts_with_the_manager_defaults_and_saves_a_matrix_working_hours_and_quiet_hours()
    {
        var (manager, _) = await world.UserWithEmailAsync("manager");
        using var self = await world.SignInAsync(manager, ServerScenario.Password(manager));

        var before = await (await ServerScenario.Ok(self.Http.GetAsync("api/v1/me/notification-preferences"))).JsonAsync();
        var saved = await (await ServerScenario.Ok(self.Http.PutAsJsonAsync("api/v1/me/notification-preferences", new
        {
            deliveries = new Dictionary<string, object>
            {
                ["breach"] = new { email = "immediately", slack = "immediately" },
                ["warning"] = new { email = "dailyDigest" },
            },
            workingHours = new { weeklyHours = new { monday = new[] { new { start = "09:00", end = "17:00" } }, friday = new[] { new { start = "09:00", end = "13:00" } } } },
            quietOutsideWorkingHours = true,
            urgentBreaksQuietHours = false,
            slackUrl = world.Receiver.Url("mine"),
        }))).JsonAsync();
        var after = await (await ServerScenario.Ok(self.Http.GetAsync("api/v1/me/notification-preferences"))).JsonAsync();

        Assert.True(before.GetProperty("isDefault").GetBoolean());
        Assert.Equal(("immediately", "immediately", "hourlyDigest", "off"), (Delivery(before, "breach", "email"), Delivery(before, "escalation", "email"), Delivery(before, "warning", "email"), Delivery(before, "breach", "slack")));
        Assert.False(before.GetProperty("quietOutsideWorkingHours").GetBoolean());
        Assert.Equal(saved.ToString(), after.ToString());
        Assert.False(after.GetProperty("isDefault").GetBoolean());
        Assert.Equal(("immediately", "immediately", "dailyDigest", "off"), (Delivery(after, "breach", "email"), Delivery(after, "breach", "slack"), Delivery(after, "warning", "email"), Delivery(after, "escalation", "email")));
        Assert.Equal("UTC", after.GetProperty("workingHours").GetProperty("timeZone").GetString());
        Assert.Equal("13:00", after.GetProperty("workingHours").GetProperty("weeklyHours").GetProperty("friday")[0].GetProperty("end").GetString());
        Assert.Equal((true, false), (after.GetProperty("quietOutsideWorkingHours").GetBoolean(), after.GetProperty("urgentBreaksQuietHours").GetBoolean()));
        Assert.Equal(world.Receiver.Url("mine"), after.GetProperty("slackUrl").GetString());
    }

    public static TheoryData<string, string> BadInput => new()
    {
        { """{"deliveries": {"breach": {"email": "sometimes"}}}""", "deliveries[breach].email" },
        { """{"deliveries": {"gossip": {"email": "off"}}}""", "deliveries[gossip]" },
        { """{"deliveries": {"breach": {"fax": "immediately"}}}""", "deliveries[breach].fax" },
        { """{"deliveries": {"breach": {"email": null}}}""", "deliveries[breach].email" },
        { """{"quietOutsideWorkingHours": true}""", "quietOutsideWorkingHours" },
        { """{"quietOutsideWorkingHours": true, "workingHours": {"weeklyHours": {}}}""", "quietOutsideWorkingHours" },
        { """{"workingHours": {"weeklyHours": {"funday": [{"start": "09:00", "end": "17:00"}]}}}""", "workingHours.weeklyHours.funday" },
        { """{"workingHours": {"timeZone": "Mars/Olympus_Mons"}}""", "workingHours.timeZone" },
        { """{"slackUrl": "not a url"}""", "slackUrl" },
        { """{"teamsUrl": "http://[::1]:9/hook"}""", "teamsUrl" },
        { $$"""{"slackUrl": "http://127.0.0.1/{{new string('a', 2_000)}}"}""", "slackUrl" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_preferences_are_a_400_naming_the_field_and_change_nothing(string body, string field)
    {
        var (technician, _) = await world.UserWithEmailAsync("technician");
        using var self = await world.SignInAsync(technician, ServerScenario.Password(technician));

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await self.Http.PutAsync("api/v1/me/notification-preferences", content);
        var after = await (await ServerScenario.Ok(self.Http.GetAsync("api/v1/me/notification-preferences"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.True(after.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task Admins_read_and_change_anyones_preferences_and_nobody_else_reads_another_persons()
    {
        var (manager, _) = await world.UserWithEmailAsync("manager");
        var (technician, _) = await world.UserWithEmailAsync("technician");
        var customer = await ServerScenario.CustomerAsync(Admin);
        var (customerUser, _) = await world.UserWithEmailAsync("customer", customer);
        using var asManager = await world.SignInAsync(manager, ServerScenario.Password(manager));
        using var asCustomer = await world.SignInAsync(customerUser, ServerScenario.Password(customerUser));
        var change = new { deliveries = new { incident = new { email = "hourlyDigest" } } };

        var byAdmin = await (await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/users/{technician}/notification-preferences", change))).JsonAsync();
        var readByAdmin = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/users/{technician}/notification-preferences"))).JsonAsync();
        var managerReads = await asManager.Http.GetAsync($"api/v1/users/{technician}/notification-preferences");
        var managerWrites = await asManager.Http.PutAsJsonAsync($"api/v1/users/{technician}/notification-preferences", new { deliveries = new { } });
        var customerReads = await asCustomer.Http.GetAsync($"api/v1/users/{manager}/notification-preferences");
        var ownByName = await asCustomer.Http.GetAsync($"api/v1/users/{customerUser}/notification-preferences");
        var own = await (await ServerScenario.Ok(asCustomer.Http.GetAsync("api/v1/me/notification-preferences"))).JsonAsync();
        var unknown = await Admin.GetAsync("api/v1/users/nobody-here/notification-preferences");

        Assert.Equal((technician, "hourlyDigest", "off"), (byAdmin.GetProperty("userName").GetString(), Delivery(readByAdmin, "incident", "email"), Delivery(readByAdmin, "breach", "email")));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (managerReads.StatusCode, managerWrites.StatusCode, customerReads.StatusCode));
        Assert.Equal(HttpStatusCode.OK, ownByName.StatusCode);
        Assert.Equal((customerUser, "immediately", "off"), (own.GetProperty("userName").GetString(), Delivery(own, "incident", "email"), Delivery(own, "breach", "email")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [SkippableFact]
    public async Task A_breach_in_a_managers_quiet_hours_waits_in_the_outbox_and_is_delivered_when_their_working_hours_start()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var smtp = world.Smtp!;
        var (quiet, quietEmail) = await world.UserWithEmailAsync("manager");
        var (_, controlEmail) = await world.UserWithEmailAsync("manager");
        using var self = await world.SignInAsync(quiet, ServerScenario.Password(quiet));
        // Working hours: every day for the hour after the next full hour, so now is outside them.
        var now = world.Now.InUtc();
        var opens = (now.Hour + 1) % 24;
        var hours = new[] { new { start = Clock(opens), end = opens == 23 ? "24:00" : Clock(opens + 1) } };
        await ServerScenario.Ok(self.Http.PutAsJsonAsync("api/v1/me/notification-preferences", new
        {
            deliveries = new { breach = new { email = "immediately" } },
            workingHours = new { timeZone = "UTC", weeklyHours = new { monday = hours, tuesday = hours, wednesday = hours, thursday = hours, friday = hours, saturday = hours, sunday = hours } },
            quietOutsideWorkingHours = true,
            urgentBreaksQuietHours = false,
        }));
        var customer = await ServerScenario.CustomerAsync(Admin, firstResponse: "PT1S");

        var ticket = await world.TicketAsync(customer);
        await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(controlEmail) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);
        var held = await PendingAsync(m => m.GetProperty("target").GetString() == quietEmail && m.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal));
        var due = InstantFrom(held.GetProperty("nextAttemptAt"));

        // The other manager's mail of the same breach arrived, and this one is listed as waiting for working hours.
        var opening = now.Date.At(new LocalTime(opens, 0)).InUtc().ToInstant();
        opening = opening > now.ToInstant() ? opening : opening + Duration.FromDays(1);
        Assert.Equal(opening, due);
        Assert.DoesNotContain(smtp.To(quietEmail), m => (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal));

        world.Clock.Advance((due - world.Now + Duration.FromSeconds(1)).ToTimeSpan());
        await world.Grains.GetGrain<IOutboxGrain>(OutboxKeys.Of(ChannelKind.Email)).Wake();
        var mail = await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(quietEmail) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);

        Assert.StartsWith("SLA breach: ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"{ChannelsWorld.PublicUrl}tickets/{ticket}", mail.TextBody, StringComparison.Ordinal);
        Assert.Single(smtp.To(quietEmail), m => (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Two_warnings_for_an_hourly_digest_arrive_as_one_mail_listing_both_tickets_when_the_hour_is_up()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var smtp = world.Smtp!;
        if (world.Now.InUtc().Minute == 59)
        {
            // Both warnings must fall in one hour: step past the top of the hour first.
            world.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        var (manager, email) = await world.UserWithEmailAsync("manager");
        var customer = await ServerScenario.CustomerAsync(Admin, firstResponse: "PT2S");
        await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "warn", metric = "firstResponse", percent = 75, action = "notify", target = $"user:{manager}" },
        }));
        var digest = world.Grains.GetGrain<IDigestGrain>(DigestKeys.Of(ChannelKind.Email, manager));

        var first = await world.TicketAsync(customer, "Printer jams");
        var second = await world.TicketAsync(customer, "VPN drops");
        var pending = await Until(async () => await digest.Pending() is [{ Lines.Length: 2 } one] ? one : null);
        world.Clock.Advance((pending.SendAt - world.Now + Duration.FromSeconds(1)).ToTimeSpan());
        await digest.Wake();
        var mail = await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email) && (m.Subject ?? "").StartsWith("SLA digest", StringComparison.Ordinal), Bound);

        Assert.Equal(pending.SendAt, world.Now.InUtc().Date.At(new LocalTime(world.Now.InUtc().Hour, 0)).InUtc().ToInstant());
        Assert.Equal("SLA digest: 2 notices", mail.Subject);
        Assert.Contains($"href=\"{ChannelsWorld.PublicUrl}tickets/{first}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ChannelsWorld.PublicUrl}tickets/{second}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"{ChannelsWorld.PublicUrl}tickets/{second}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Printer jams", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(await digest.Pending());
        // No mail of its own for either warning: the digest is the one mail.
        await digest.Wake();
        Assert.Single(smtp.To(email));
    }

    [SkippableFact]
    public async Task An_incident_update_emails_the_managers_and_that_customers_own_users_and_nobody_else()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var smtp = world.Smtp!;
        var customer = await ServerScenario.CustomerAsync(Admin);
        var other = await ServerScenario.CustomerAsync(Admin);
        var (_, ownEmail) = await world.UserWithEmailAsync("customer", customer);
        var (_, otherEmail) = await world.UserWithEmailAsync("customer", other);
        var (_, managerEmail) = await world.UserWithEmailAsync("manager");
        var (_, technicianEmail) = await world.UserWithEmailAsync("technician");
        var title = $"Card payments failing {Guid.NewGuid():N}"[..30];
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "Payments", critical = true }));
        var opened = await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new { title, components = new[] { monitor }, impact = "partialOutage", message = "Card payments fail at the provider." }))).JsonAsync();

        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/incidents/{opened.GetProperty("id").GetString()}/updates", new { status = "identified", message = "The provider's certificate expired." }));
        bool Identified(MimeKit.MimeMessage m) => (m.Subject ?? "").Contains(title, StringComparison.Ordinal) && (m.Subject ?? "").EndsWith("identified", StringComparison.Ordinal);
        var own = await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(ownEmail) && Identified(m), Bound);
        await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(managerEmail) && Identified(m), Bound);

        Assert.Equal($"Incident: {title} ({customer}): identified", own.Subject);
        Assert.Contains("The provider's certificate expired.", own.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ChannelsWorld.PublicUrl}status/{customer}\"", own.HtmlBody, StringComparison.Ordinal);
        // Queued with the two above in one call: had they been told, their mail would be here too.
        Assert.DoesNotContain(smtp.To(otherEmail), m => (m.Subject ?? "").Contains(title, StringComparison.Ordinal));
        Assert.DoesNotContain(smtp.To(technicianEmail), m => (m.Subject ?? "").Contains(title, StringComparison.Ordinal));
    }

    private static string Delivery(JsonElement preferences, string kind, string channel)
        => preferences.GetProperty("deliveries").GetProperty(kind).GetProperty(channel).GetString()!;

    private static string Clock(int hour) => hour.ToString("00", CultureInfo.InvariantCulture) + ":00";

    private static Instant InstantFrom(JsonElement text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text.GetString()!).GetValueOrThrow();

    private async Task<JsonElement> PendingAsync(Func<JsonElement, bool> match)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var pending = await (await ServerScenario.Ok(Admin.GetAsync("api/v1/notifications/pending?pageSize=500"))).JsonAsync();
            foreach (var message in pending.EnumerateArray().Where(match))
            {
                return message;
            }

            Assert.True(watch.Elapsed < Bound, $"No such pending message in time: {pending}");
            await Task.Delay(50);
        }
    }

    private static async Task<T> Until<T>(Func<Task<T?>> probe)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(watch.Elapsed < Bound, "Nothing turned up in time.");
            await Task.Delay(50);
        }
    }
}
