using MailKit.Security;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// Delivery of the channel outbox (email, Slack, Teams): attempt n (1-based) that fails is retried after
/// <see cref="FirstRetryDelay"/> × 2^(n−1), at most <see cref="MaxRetryDelay"/>; after <see cref="MaxAttempts"/> failed
/// attempts the message is dead-lettered. Bound from the configuration section <c>Channels</c>.
/// </summary>
public sealed class ChannelOptions
{
    /// <summary>The delay after the first failed attempt; default 10 seconds.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between attempts; default 1 hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a message is dead-lettered (including the first); default 8 (about 40 minutes of retries).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one attempt may take before it counts as failed; default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages attempted per timer turn; default 200.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Attempts in flight at once (for email: SMTP connections); default 8.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>The delay before the attempt after <paramref name="failedAttempts"/> failures (1 or more).</summary>
    public TimeSpan RetryDelay(int failedAttempts) => Outbound.RetryBackoff.Delay(FirstRetryDelay, MaxRetryDelay, failedAttempts);
}

/// <summary>
/// The operator's SMTP relay, from the configuration section <c>Email</c>: <c>Email:Smtp:Host</c> (without it, email is
/// off: queued messages are dead-lettered as <c>emailOff</c>), <c>Email:Smtp:Port</c> (default 25 for <c>none</c>,
/// 587 for <c>starttls</c>, 465 for <c>tls</c>), <c>Email:Smtp:UserName</c> and <c>Email:Smtp:Password</c> (optional: no
/// authentication without a user name), <c>Email:Smtp:Security</c> (<c>none</c>, <c>starttls</c> — the default —, or
/// <c>tls</c>) and <c>Email:From</c> (default <c>SlaGrains &lt;slagrains@localhost&gt;</c>). The relay is the operator's
/// own setting: it is trusted and not held to <c>Network:AllowedPrivateTargets</c>.
/// </summary>
public sealed class EmailOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Email";

    /// <summary>The relay's host name or address; null or blank: email is off.</summary>
    public string? Host { get; init; }

    /// <summary>The relay's port; null: the security's usual port.</summary>
    public int? Port { get; init; }

    /// <summary>The user name to authenticate with; null: no authentication.</summary>
    public string? UserName { get; init; }

    /// <summary>The password to authenticate with.</summary>
    public string? Password { get; init; }

    /// <summary><c>none</c>, <c>starttls</c> or <c>tls</c>.</summary>
    public string Security { get; init; } = "starttls";

    /// <summary>The sender, an address with an optional display name.</summary>
    public string From { get; init; } = "SlaGrains <slagrains@localhost>";

    /// <summary>True when a relay is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>MailKit's option for <see cref="Security"/>.</summary>
    public SecureSocketOptions SocketOptions => Security.Trim().ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>The port connected to.</summary>
    public int EffectivePort => Port ?? SocketOptions switch
    {
        SecureSocketOptions.None => 25,
        SecureSocketOptions.SslOnConnect => 465,
        _ => 587,
    };

    /// <summary>
    /// The options in <paramref name="configuration"/>'s <c>Email</c> section, checked: a bad security, port or sender
    /// fails the start with a message naming the key.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is not one the key takes.</exception>
    public static EmailOptions Read(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var email = configuration.GetSection(Section);
        var smtp = email.GetSection("Smtp");
        var security = (smtp["Security"] ?? "starttls").Trim().ToLowerInvariant();
        if (security is not ("none" or "starttls" or "tls"))
        {
            throw new InvalidOperationException($"Email:Smtp:Security must be none, starttls or tls; got '{smtp["Security"]}'.");
        }

        int? port = null;
        if (smtp["Port"] is { Length: > 0 } text)
        {
            port = int.TryParse(text, out var p) && p is > 0 and < 65536 ? p : throw new InvalidOperationException($"Email:Smtp:Port must be a TCP port (1–65535); got '{text}'.");
        }

        var from = email["From"] is { Length: > 0 } given ? given.Trim() : "SlaGrains <slagrains@localhost>";
        if (!MimeKit.MailboxAddress.TryParse(from, out _))
        {
            throw new InvalidOperationException($"Email:From must be an address such as 'SlaGrains <sla@example.com>'; got '{from}'.");
        }

        return new EmailOptions
        {
            Host = string.IsNullOrWhiteSpace(smtp["Host"]) ? null : smtp["Host"]!.Trim(),
            Port = port,
            UserName = string.IsNullOrWhiteSpace(smtp["UserName"]) ? null : smtp["UserName"],
            Password = smtp["Password"],
            Security = security,
            From = from,
        };
    }
}
