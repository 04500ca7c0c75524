using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Channels;

/// <summary>
/// The real server with a real SMTP relay on loopback (<see cref="SmtpSink"/>: Debian's aiosmtpd storing mail in a
/// Maildir), a Kestrel receiver for Slack and Teams webhooks, links to <see cref="PublicUrl"/>, and short retry delays.
/// Where aiosmtpd is missing the email tests skip (under <c>CI=true</c> the fixture fails instead).
/// </summary>
public class ChannelsWorld : SlaGrainsServerFixture
{
    public const string PublicUrl = "https://sla.example.test/";
    public const string From = "sla@example.test";
    private readonly int _smtpPort = FreePort.Next();

    public SmtpSink? Smtp { get; private set; }

    public WebhookReceiver Receiver { get; private set; } = null!;

    public Session Admin { get; private set; } = null!;

    /// <summary>
    /// Only IPv4 loopback, where the Slack/Teams receiver listens: <c>[::1]</c> stays refused, so the tests can show an
    /// internal target refused without naming any address off this machine. The SMTP relay is the operator's and trusted.
    /// </summary>
    protected override IReadOnlyList<string> AllowedPrivateTargets => ["127.0.0.0/8"];

    /// <summary>Whether the relay is listening when the server starts.</summary>
    protected virtual bool StartSmtp => true;

    /// <summary>Whether the server is told about the relay (Email:Smtp:Host).</summary>
    protected virtual bool ConfigureEmail => true;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. ConfigureEmail
            ? new KeyValuePair<string, string>[]
            {
                new("Email:Smtp:Host", "127.0.0.1"),
                new("Email:Smtp:Port", _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Email:Smtp:Security", "none"),
                new("Email:From", $"SlaGrains Test <{From}>"),
            }
            : [],
        new("App:PublicUrl", PublicUrl),
        new("Channels:FirstRetryDelay", "00:00:00.300"),
        new("Channels:MaxRetryDelay", "00:00:01"),
        new("Channels:MaxAttempts", "8"),
    ];

    public override async Task InitializeAsync()
    {
        Smtp = ConfigureEmail ? await SmtpSink.CreateAsync(StartSmtp, _smtpPort) : null;
        await base.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Admin = await AdminAsync();
    }

    public override async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        await base.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }

    /// <summary>A user of <paramref name="role"/> with an email address (unique to the test); returns the name and the address.</summary>
    public async Task<(string UserName, string Email)> UserWithEmailAsync(string role, string? customerId = null)
    {
        var name = $"{role[..3]}-{Guid.NewGuid():N}"[..16];
        var email = $"{name}@example.test";
        await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/users", new { userName = name, password = ServerScenario.Password(name), role, customerId, email }));
        return (name, email);
    }

    /// <summary>A P1 ticket of <paramref name="customer"/>; returns its id.</summary>
    public async Task<string> TicketAsync(string customer, string subject = "Checkout is down")
        => (await (await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject }))).JsonAsync())
            .GetProperty("ticketId").GetString()!;

    /// <summary>
    /// The first delivery-log entry (newest first, the first 500) that matches, asking the API again every 50 ms for at
    /// most <paramref name="bound"/>.
    /// </summary>
    public async Task<JsonElement> DeliveryAsync(Func<JsonElement, bool> match, TimeSpan bound)
        => await ItemAsync("api/v1/notifications/deliveries?pageSize=500", body => body.GetProperty("items"), match, bound);

    /// <summary>The first dead letter that matches, asking the API again every 50 ms for at most <paramref name="bound"/>.</summary>
    public async Task<JsonElement> DeadLetterAsync(Func<JsonElement, bool> match, TimeSpan bound)
        => await ItemAsync("api/v1/notifications/dead-letters?pageSize=500", body => body, match, bound);

    private async Task<JsonElement> ItemAsync(string path, Func<JsonElement, JsonElement> items, Func<JsonElement, bool> match, TimeSpan bound)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var body = await (await ServerScenario.Ok(Admin.Http.GetAsync(path))).JsonAsync();
            foreach (var item in items(body).EnumerateArray())
            {
                if (match(item))
                {
                    return item;
                }
            }

            if (until.Elapsed > bound)
            {
                throw new TimeoutException($"Nothing matching in {path} within {bound}: {body}");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>As <see cref="ChannelsWorld"/>, with the relay down until a test starts it.</summary>
public sealed class RelayOutageWorld : ChannelsWorld
{
    protected override bool StartSmtp => false;
}

/// <summary>As <see cref="ChannelsWorld"/>, without <c>Email:Smtp:Host</c>: email is off.</summary>
public sealed class EmailOffWorld : ChannelsWorld
{
    protected override bool ConfigureEmail => false;
}
