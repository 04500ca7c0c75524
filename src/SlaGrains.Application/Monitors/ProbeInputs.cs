using System.Collections.Immutable;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// The interval and timeout every probing kind takes: <c>intervalSeconds</c> (10 to 86,400, default 60) and
/// <c>timeoutSeconds</c> (above 0 and under the interval; default 10, or half the interval when shorter).
/// </summary>
internal static class ProbeTiming
{
    /// <summary>The interval and timeout read; out-of-range values stay out of range so the settings' rules name them.</summary>
    public static (Duration Interval, Duration Timeout) Read(int? intervalSeconds, double? timeoutSeconds)
    {
        var max = (int)ProbeRules.MaximumInterval.TotalSeconds;
        var interval = Duration.FromSeconds(Math.Clamp(intervalSeconds ?? 60, 0, max + 1));
        var timeout = timeoutSeconds is { } seconds && double.IsFinite(seconds) && Math.Abs(seconds) <= max
            ? Duration.FromMilliseconds(Math.Round(seconds * 1000))
            : timeoutSeconds is null ? Duration.Min(Duration.FromSeconds(10), interval / 2) : Duration.Zero;
        return (interval, timeout);
    }

    /// <summary><paramref name="settings"/>, or null with its problems added under <c>{kind}.{field}</c>.</summary>
    public static T? Checked<T>(T settings, InputErrors errors)
        where T : class, IProbeSettings
    {
        foreach (var (field, message) in settings.Problems())
        {
            errors.Add($"{settings.Kind}.{field}", message);
        }

        return errors.Any ? null : settings;
    }

    /// <summary>Adds <c>{kind}.{field}</c> when <paramref name="host"/> is one outbound requests may not reach (resolved when a name).</summary>
    public static async Task CheckHostAsync(OutboundCheck outbound, InputErrors errors, string kind, string field, string? host)
    {
        if (ProbeRules.IsHost(host) && await outbound.HostProblemAsync(host) is { } problem)
        {
            errors.Add($"{kind}.{field}", problem);
        }
    }
}

/// <summary>A tcp monitor: connects to <c>host</c>:<c>port</c> every <c>intervalSeconds</c> within <c>timeoutSeconds</c>.</summary>
public sealed record TcpMonitorInput(string? Host, int? Port, int? IntervalSeconds, double? TimeoutSeconds)
{
    /// <summary>Adds <c>tcp.host</c> when the host may not be contacted.</summary>
    public Task CheckHostAsync(OutboundCheck outbound, InputErrors errors) => ProbeTiming.CheckHostAsync(outbound, errors, MonitorKinds.Tcp, "host", Host);

    /// <summary>The settings, or null with the reasons under <c>tcp.*</c>.</summary>
    public TcpProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (interval, timeout) = ProbeTiming.Read(IntervalSeconds, TimeoutSeconds);
        return ProbeTiming.Checked(new TcpProbeSettings(Host?.Trim() ?? string.Empty, Port ?? 0, interval, timeout), errors);
    }
}

/// <summary>
/// A dns monitor: asks <c>server</c> (optional: <c>host</c> or <c>host:port</c>; default the system's resolvers) for the
/// <c>recordType</c> records (A, AAAA, CNAME, MX, NS, TXT, SRV, CAA, PTR, SOA) of <c>name</c>; up when the answer has
/// one, and every value of <c>expected</c> (optional) among them.
/// </summary>
public sealed record DnsMonitorInput(string? Name, string? RecordType, string? Server, List<string>? Expected, int? IntervalSeconds, double? TimeoutSeconds)
{
    /// <summary>Adds <c>dns.server</c> when the server may not be contacted (the system's resolvers are the operator's and trusted).</summary>
    public Task CheckServerAsync(OutboundCheck outbound, InputErrors errors)
        => DnsProbeSettings.TryParseServer(Server, out var host, out _) ? ProbeTiming.CheckHostAsync(outbound, errors, MonitorKinds.Dns, "server", host) : Task.CompletedTask;

    /// <summary>The settings, or null with the reasons under <c>dns.*</c>.</summary>
    public DnsProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (interval, timeout) = ProbeTiming.Read(IntervalSeconds, TimeoutSeconds);
        var expected = Expected is null ? ImmutableArray<string>.Empty : [.. Expected.Select(v => v?.Trim() ?? string.Empty)];
        var server = string.IsNullOrWhiteSpace(Server) ? null : Server.Trim();
        return ProbeTiming.Checked(
            new DnsProbeSettings(Name?.Trim().TrimEnd('.') ?? string.Empty, RecordType?.Trim().ToUpperInvariant() ?? "A", server, expected, interval, timeout), errors);
    }
}

/// <summary>A tls monitor: a TLS handshake with <c>host</c>:<c>port</c> (default 443), warned of <c>warnDays</c> (default 14) before the certificate expires.</summary>
public sealed record TlsMonitorInput(string? Host, int? Port, int? WarnDays, int? IntervalSeconds, double? TimeoutSeconds)
{
    /// <summary>Adds <c>tls.host</c> when the host may not be contacted.</summary>
    public Task CheckHostAsync(OutboundCheck outbound, InputErrors errors) => ProbeTiming.CheckHostAsync(outbound, errors, MonitorKinds.Tls, "host", Host);

    /// <summary>The settings, or null with the reasons under <c>tls.*</c>.</summary>
    public TlsProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (interval, timeout) = ProbeTiming.Read(IntervalSeconds, TimeoutSeconds);
        return ProbeTiming.Checked(new TlsProbeSettings(Host?.Trim() ?? string.Empty, Port ?? 443, WarnDays ?? 14, interval, timeout), errors);
    }
}

/// <summary>A ping monitor: an ICMP echo to <c>host</c> every <c>intervalSeconds</c> within <c>timeoutSeconds</c>.</summary>
public sealed record PingMonitorInput(string? Host, int? IntervalSeconds, double? TimeoutSeconds)
{
    /// <summary>Adds <c>ping.host</c> when the host may not be contacted.</summary>
    public Task CheckHostAsync(OutboundCheck outbound, InputErrors errors) => ProbeTiming.CheckHostAsync(outbound, errors, MonitorKinds.Ping, "host", Host);

    /// <summary>The settings, or null with the reasons under <c>ping.*</c>.</summary>
    public PingProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (interval, timeout) = ProbeTiming.Read(IntervalSeconds, TimeoutSeconds);
        return ProbeTiming.Checked(new PingProbeSettings(Host?.Trim() ?? string.Empty, interval, timeout), errors);
    }
}
