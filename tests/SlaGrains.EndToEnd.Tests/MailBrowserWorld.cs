using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Grains;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The browser world with a real SMTP relay on loopback (<see cref="SmtpSink"/>) that the server mails through.</summary>
public class MailBrowserWorld : BrowserWorld
{
    private readonly int _smtpPort = FreePort.Next();

    /// <summary>The relay; null when Debian's python3-aiosmtpd is missing (see <see cref="SmtpSink.Unavailable"/>).</summary>
    public SmtpSink? Smtp { get; private set; }

    /// <summary>Now on the server's SLA clock.</summary>
    public Instant Now => Instant.FromDateTimeOffset(Services.GetRequiredKeyedService<TimeProvider>(SlaTime.Key).GetUtcNow());

    protected sealed override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Email:Smtp:Host", "127.0.0.1"),
        new("Email:Smtp:Port", _smtpPort.ToString(CultureInfo.InvariantCulture)),
        new("Email:Smtp:Security", "none"),
        new("Email:From", "SlaGrains Test <sla@example.test>"),
        .. MoreSettings,
    ];

    /// <summary>Settings a test class adds to the mail settings.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings => [];

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.CreateAsync(start: true, _smtpPort);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }
}
