using System.Net;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Channels;

/// <summary>
/// Email while the SMTP relay is down: retried with back-off and delivered once the relay is back; dead-lettered after
/// the last attempt, and redelivered by an admin. Each test sets the relay's state it starts from.
/// </summary>
public sealed class RelayOutageTests(RelayOutageWorld world) : IClassFixture<RelayOutageWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task An_email_queued_while_the_relay_is_down_is_delivered_once_it_comes_back()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        await world.Smtp!.StopAsync();
        var (_, email) = await world.UserWithEmailAsync("manager");
        var customer = await ServerScenario.CustomerAsync(world.Admin.Http, firstResponse: "PT1S");

        var ticket = await world.TicketAsync(customer);
        var failed = await world.DeliveryAsync(d => Mine(d, ticket, email) && d.GetProperty("outcome").GetString() == "connectionFailed", Bound);
        await world.Smtp.StartAsync();
        var mail = await world.Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);
        var delivered = await world.DeliveryAsync(d => Mine(d, ticket, email) && d.GetProperty("outcome").GetString() == "delivered", Bound);

        Assert.Equal("pending", failed.GetProperty("result").GetString());
        Assert.True(delivered.GetProperty("attempt").GetInt32() > failed.GetProperty("attempt").GetInt32());
        Assert.Contains($"{ChannelsWorld.PublicUrl}tickets/{ticket}", mail.TextBody, StringComparison.Ordinal);
        Assert.Single(world.Smtp.To(email), m => (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_email_that_fails_every_attempt_is_dead_lettered_and_redelivered_by_an_admin()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        await world.Smtp!.StopAsync();
        var (_, email) = await world.UserWithEmailAsync("manager");
        var customer = await ServerScenario.CustomerAsync(world.Admin.Http, firstResponse: "PT1S");

        var ticket = await world.TicketAsync(customer);
        var dead = await world.DeadLetterAsync(d => Mine(d, ticket, email), Bound);
        await world.Smtp.StartAsync();
        var messageId = dead.GetProperty("messageId").GetString()!;
        var redeliver = await world.Admin.Http.PostAsync($"api/v1/notifications/dead-letters/{Uri.EscapeDataString(messageId)}/redeliver", null);
        var mail = await world.Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email) && (m.Subject ?? "").Contains(ticket, StringComparison.Ordinal), Bound);
        var delivered = await world.DeliveryAsync(d => Mine(d, ticket, email) && d.GetProperty("outcome").GetString() == "delivered", Bound);
        var again = await world.Admin.Http.PostAsync($"api/v1/notifications/dead-letters/{Uri.EscapeDataString(messageId)}/redeliver", null);

        Assert.Equal(("deadLettered", 8, "connectionFailed"), (dead.GetProperty("state").GetString(), dead.GetProperty("attempts").GetInt32(), dead.GetProperty("lastOutcome").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        Assert.Equal(9, delivered.GetProperty("attempt").GetInt32());
        Assert.NotNull(mail);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private static bool Mine(System.Text.Json.JsonElement entry, string ticket, string email)
        => entry.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal) && entry.GetProperty("target").GetString() == email;
}

/// <summary>Without <c>Email:Smtp:Host</c> email is off: a queued email says so in the log and waits as a dead letter.</summary>
public sealed class EmailOffTests(EmailOffWorld world) : IClassFixture<EmailOffWorld>
{
    [Fact]
    public async Task Without_an_SMTP_host_a_breach_email_is_dead_lettered_as_email_off()
    {
        var (_, email) = await world.UserWithEmailAsync("manager");
        var customer = await ServerScenario.CustomerAsync(world.Admin.Http, firstResponse: "PT1S");

        var ticket = await world.TicketAsync(customer);
        var dead = await world.DeadLetterAsync(d => d.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal) && d.GetProperty("target").GetString() == email, TimeSpan.FromSeconds(60));
        var pending = await (await ServerScenario.Ok(world.Admin.Http.GetAsync("api/v1/notifications/pending?pageSize=500"))).JsonAsync();

        Assert.Equal(("email", "emailOff", 1), (dead.GetProperty("channel").GetString(), dead.GetProperty("lastOutcome").GetString(), dead.GetProperty("attempts").GetInt32()));
        Assert.DoesNotContain(pending.EnumerateArray(), p => p.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal));
    }
}
