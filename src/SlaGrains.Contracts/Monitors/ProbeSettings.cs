using System.Collections.Immutable;
using System.Globalization;

namespace SlaGrains.Contracts.Monitors;

/// <summary>
/// How a monitor that probes by itself probes, whatever its kind: from each of its regions every <see cref="Interval"/>,
/// waiting at most <see cref="Timeout"/>. Each kind is its own record (http, tcp, dns, tls, ping), one of which
/// <see cref="MonitorSettings.Probe"/> holds; the prober of a region is handed it as this interface.
/// </summary>
public interface IProbeSettings
{
    /// <summary>The monitor kind it probes as (<see cref="MonitorKinds"/>), also the name of its sub-object in the API.</summary>
    string Kind { get; }

    /// <summary>Time between probes; at least <see cref="ProbeRules.MinimumInterval"/>.</summary>
    Duration Interval { get; }

    /// <summary>How long one probe may take; positive and shorter than the interval.</summary>
    Duration Timeout { get; }

    /// <summary>What it probes, in a few words for lists: a URL, <c>host:port</c>, <c>A probe.test</c>, a host.</summary>
    string Target { get; }

    /// <summary>What is wrong with these settings, per field (API names within the kind's sub-object); empty when valid.</summary>
    IEnumerable<(string Field, string Message)> Problems();
}

/// <summary>The kinds of monitor, as the API and the <c>monitors</c> read model name them.</summary>
public static class MonitorKinds
{
    /// <summary>Fed check results by someone else.</summary>
    public const string Push = "push";

    /// <summary>Fed heartbeats; a missed one is a failure.</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>Probes an http(s) URL.</summary>
    public const string Http = "http";

    /// <summary>Opens a TCP connection.</summary>
    public const string Tcp = "tcp";

    /// <summary>Asks a DNS server for a record.</summary>
    public const string Dns = "dns";

    /// <summary>Completes a TLS handshake and checks the certificate.</summary>
    public const string Tls = "tls";

    /// <summary>Sends an ICMP echo.</summary>
    public const string Ping = "ping";

    /// <summary>The kinds that probe by themselves (and so measure response times), in the order the API lists them.</summary>
    public static ImmutableArray<string> Probing { get; } = [Http, Tcp, Dns, Tls, Ping];

    /// <summary>Whether a monitor of <paramref name="kind"/> probes by itself (has response times).</summary>
    public static bool Probes(string? kind) => kind is not null && Probing.Contains(kind);
}

/// <summary>The rules every probing kind shares: interval, timeout, host and port.</summary>
public static class ProbeRules
{
    /// <summary>Probing more often than every 10 seconds is refused: it would be load on the customer's service, not monitoring.</summary>
    public static readonly Duration MinimumInterval = Duration.FromSeconds(10);

    /// <summary>Longest probe interval: a day (a longer one would not be monitoring).</summary>
    public static readonly Duration MaximumInterval = Duration.FromDays(1);

    /// <summary>Longest host name (RFC 1035's 253 characters of a name).</summary>
    public const int MaxHostLength = 253;

    /// <summary>The interval and timeout problems, under <c>intervalSeconds</c> and <c>timeoutSeconds</c>.</summary>
    public static IEnumerable<(string Field, string Message)> TimingProblems(Duration interval, Duration timeout)
    {
        if (interval < MinimumInterval)
        {
            yield return ("intervalSeconds", $"Probes run at most every {MinimumInterval.TotalSeconds:0} seconds; got {interval.TotalSeconds:0.###}.");
        }
        else if (interval > MaximumInterval)
        {
            yield return ("intervalSeconds", $"Probes run at least once a day ({MaximumInterval.TotalSeconds:0} seconds); got {interval.TotalSeconds:0.###}.");
        }

        if (timeout <= Duration.Zero || timeout >= interval)
        {
            yield return ("timeoutSeconds", $"The timeout is positive and shorter than the interval ({interval.TotalSeconds:0.###} s); got {timeout.TotalSeconds:0.###}.");
        }
    }

    /// <summary>Whether <paramref name="host"/> is a DNS name or an IP address (IPv6 with or without brackets), at most <see cref="MaxHostLength"/> characters.</summary>
    public static bool IsHost([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? host)
        => host is { Length: > 0 and <= MaxHostLength }
            && Uri.CheckHostName(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;

    /// <summary>The host problem under <paramref name="field"/>, if any.</summary>
    public static IEnumerable<(string Field, string Message)> HostProblems(string? host, string field = "host")
    {
        if (!IsHost(host))
        {
            yield return (field, $"A host name (e.g. mail.example.com) or an IP address, at most {MaxHostLength} characters.");
        }
    }

    /// <summary>The port problem under <c>port</c>, if any.</summary>
    public static IEnumerable<(string Field, string Message)> PortProblems(int port)
    {
        if (port is < 1 or > 65535)
        {
            yield return ("port", $"A port is 1–65535; got {port.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary><paramref name="host"/> as written in <c>host:port</c> (IPv6 addresses in brackets).</summary>
    public static string HostPort(string host, int port)
        => $"{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A tcp monitor: up when a connection to <paramref name="Host"/>:<paramref name="Port"/> opens within the timeout; the response time is the connect time.</summary>
[GenerateSerializer]
[Alias("slagrains.tcp-probe-settings")]
[Immutable]
public sealed record TcpProbeSettings(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] Duration Interval,
    [property: Id(3)] Duration Timeout) : IProbeSettings
{
    /// <inheritdoc />
    public string Kind => MonitorKinds.Tcp;

    /// <inheritdoc />
    public string Target => ProbeRules.HostPort(Host, Port);

    /// <inheritdoc />
    public IEnumerable<(string Field, string Message)> Problems()
        => ProbeRules.HostProblems(Host).Concat(ProbeRules.PortProblems(Port)).Concat(ProbeRules.TimingProblems(Interval, Timeout));
}

/// <summary>
/// A dns monitor: asks <paramref name="Server"/> (or the operating system's resolvers when null) for the
/// <paramref name="RecordType"/> records of <paramref name="Name"/>; up when an answer arrives in time with at least
/// one record of the type and, when <paramref name="Expected"/> is not empty, every expected value among them
/// (compared as the record's text: an address, a host name without the final dot, TXT text; case-insensitive).
/// </summary>
/// <param name="Name">The name asked for, e.g. <c>mail.example.com</c>.</param>
/// <param name="RecordType">One of <see cref="RecordTypes"/>.</param>
/// <param name="Server">The DNS server, <c>host</c> or <c>host:port</c> (default port 53); null: the system's resolvers.</param>
/// <param name="Expected">Values the answer must contain; empty: any answer of the type.</param>
/// <param name="Interval">Time between probes.</param>
/// <param name="Timeout">How long a probe waits for the answer.</param>
[GenerateSerializer]
[Alias("slagrains.dns-probe-settings")]
[Immutable]
public sealed record DnsProbeSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] string RecordType,
    [property: Id(2)] string? Server,
    [property: Id(3)] ImmutableArray<string> Expected,
    [property: Id(4)] Duration Interval,
    [property: Id(5)] Duration Timeout) : IProbeSettings
{
    /// <summary>The record types a dns monitor asks for.</summary>
    public static ImmutableArray<string> RecordTypes { get; } = ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "CAA", "PTR", "SOA"];

    /// <summary>Most expected values.</summary>
    public const int MaxExpected = 20;

    /// <summary>Longest expected value.</summary>
    public const int MaxExpectedLength = 500;

    /// <inheritdoc />
    public string Kind => MonitorKinds.Dns;

    /// <inheritdoc />
    public string Target => Server is null ? $"{RecordType} {Name}" : $"{RecordType} {Name} @{Server}";

    /// <summary>The expected values, none when default.</summary>
    public ImmutableArray<string> ExpectedValues => Expected.IsDefault ? [] : Expected;

    /// <summary>Equal settings probe alike: the expected values compare by value.</summary>
    public bool Equals(DnsProbeSettings? other)
        => other is not null && Name == other.Name && RecordType == other.RecordType && Server == other.Server
            && ExpectedValues.SequenceEqual(other.ExpectedValues) && Interval == other.Interval && Timeout == other.Timeout;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, RecordType, Server, Interval, Timeout);

    /// <summary><paramref name="server"/> (<c>host</c> or <c>host:port</c>, IPv6 in brackets with a port) split; false when it is neither.</summary>
    public static bool TryParseServer(string? server, out string host, out int port)
    {
        (host, port) = (string.Empty, 53);
        if (server is null)
        {
            return false;
        }

        var text = server.Trim();
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        if (colon > 0 && (bracketed ? text[colon - 1] == ']' : text.IndexOf(':') == colon))
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            text = text[..colon];
        }

        host = bracketed && text.EndsWith(']') ? text[1..^1] : text;
        return ProbeRules.IsHost(host);
    }

    /// <inheritdoc />
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (!ProbeRules.IsHost(Name) || Uri.CheckHostName(Name) != UriHostNameType.Dns)
        {
            yield return ("name", $"The name asked for is a DNS name, e.g. mail.example.com, at most {ProbeRules.MaxHostLength} characters.");
        }

        if (!RecordTypes.Contains(RecordType))
        {
            yield return ("recordType", $"A record type is one of {string.Join(", ", RecordTypes)}.");
        }

        if (Server is not null && !TryParseServer(Server, out _, out _))
        {
            yield return ("server", "A DNS server is a host or an IP address, optionally with a port: 192.0.2.53, ns1.example.com:5353, [2001:db8::53]:53.");
        }

        if (ExpectedValues.Length > MaxExpected)
        {
            yield return ("expected", $"At most {MaxExpected} expected values.");
        }
        else if (ExpectedValues.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > MaxExpectedLength))
        {
            yield return ("expected", $"An expected value has 1–{MaxExpectedLength} characters.");
        }

        foreach (var problem in ProbeRules.TimingProblems(Interval, Timeout))
        {
            yield return problem;
        }
    }
}

/// <summary>
/// A tls monitor: a TLS handshake with <paramref name="Host"/>:<paramref name="Port"/> (SNI = the host); down when it
/// fails or the certificate is expired, not valid for the host or not trusted; up but warned of (a
/// <c>certificate.expiring</c> event) when the certificate expires within <paramref name="WarnDays"/> days.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.tls-probe-settings")]
[Immutable]
public sealed record TlsProbeSettings(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] int WarnDays,
    [property: Id(3)] Duration Interval,
    [property: Id(4)] Duration Timeout) : IProbeSettings
{
    /// <summary>Longest warning: a year ahead.</summary>
    public const int MaxWarnDays = 365;

    /// <inheritdoc />
    public string Kind => MonitorKinds.Tls;

    /// <inheritdoc />
    public string Target => ProbeRules.HostPort(Host, Port);

    /// <inheritdoc />
    public IEnumerable<(string Field, string Message)> Problems()
    {
        var warn = WarnDays is < 0 or > MaxWarnDays
            ? [("warnDays", $"Warn 0–{MaxWarnDays} days before the certificate expires; got {WarnDays}.")]
            : Array.Empty<(string, string)>();
        return ProbeRules.HostProblems(Host).Concat(ProbeRules.PortProblems(Port)).Concat(warn).Concat(ProbeRules.TimingProblems(Interval, Timeout));
    }
}

/// <summary>A ping monitor: an ICMP echo to <paramref name="Host"/>; up when the reply comes within the timeout; the response time is the round trip.</summary>
[GenerateSerializer]
[Alias("slagrains.ping-probe-settings")]
[Immutable]
public sealed record PingProbeSettings(
    [property: Id(0)] string Host,
    [property: Id(1)] Duration Interval,
    [property: Id(2)] Duration Timeout) : IProbeSettings
{
    /// <inheritdoc />
    public string Kind => MonitorKinds.Ping;

    /// <inheritdoc />
    public string Target => Host;

    /// <inheritdoc />
    public IEnumerable<(string Field, string Message)> Problems()
        => ProbeRules.HostProblems(Host).Concat(ProbeRules.TimingProblems(Interval, Timeout));
}
