using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace SlaGrains.Contracts.Network;

/// <summary>
/// Where the service may send requests on a customer's behalf (webhooks, HTTP probes, later notification channels):
/// absolute <c>http</c>/<c>https</c> URLs without credentials, to public unicast addresses only. Loopback, private,
/// link-local, CGNAT, multicast, unspecified, broadcast, IPv6 unique-local and the other IANA special-purpose ranges are
/// refused, also when written as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 — unless the address is inside one
/// of <see cref="Allowed"/>, the ranges the operator lists in <c>Network:AllowedPrivateTargets</c> (CIDRs; the list
/// wins over every refusal). Pure: no I/O; resolving names is <see cref="OutboundCheck"/>'s job.
/// </summary>
public sealed class OutboundTargets
{
    /// <summary>The configuration list of CIDRs an operator allows, e.g. <c>--Network:AllowedPrivateTargets:0=127.0.0.0/8</c>.</summary>
    public const string ConfigurationKey = "Network:AllowedPrivateTargets";

    // IPv4 ranges refused, first match names the reason (RFC 6890 and the IANA IPv4 special-purpose registry).
    private static readonly (IPNetwork Range, string Reason)[] V4 =
    [
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignment"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    // IPv6 ranges refused outright (the IANA IPv6 special-purpose registry); the forms that embed an IPv4 address
    // (mapped, compatible, NAT64, 6to4) are judged by that address instead, see Embedded.
    private static readonly (IPNetwork Range, string Reason)[] V6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local NAT64"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignment (Teredo, ORCHID, ...)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>A policy that allows <paramref name="allowed"/> besides the public addresses.</summary>
    public OutboundTargets(IEnumerable<IPNetwork> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        Allowed = [.. allowed];
    }

    /// <summary>Public addresses only: nothing private allowed.</summary>
    public static OutboundTargets PublicOnly { get; } = new([]);

    /// <summary>The ranges the operator allows although they are private or special.</summary>
    public ImmutableArray<IPNetwork> Allowed { get; }

    /// <summary>
    /// The policy from the configured list (<see cref="ConfigurationKey"/>'s children as key and value); blank values
    /// are skipped.
    /// </summary>
    /// <exception cref="FormatException">A value is not a CIDR; the message names the key and the value.</exception>
    public static OutboundTargets Parse(IEnumerable<KeyValuePair<string, string?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var allowed = new List<IPNetwork>();
        foreach (var (key, value) in entries)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            // A bare address means that one address: 127.0.0.1 is 127.0.0.1/32, ::1 is ::1/128.
            // Host bits beyond the prefix (10.0.0.1/8) are refused, not masked: the writer meant something narrower
            // than the range it would silently become.
            var text = value.Trim();
            if (!IPNetwork.TryParse(text, out var range) || !IPAddress.TryParse(text.Split('/')[0], out var written) || !written.Equals(range.BaseAddress))
            {
                if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
                {
                    range = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
                }
                else
                {
                    throw new FormatException($"{key} = '{value}' is not a CIDR range; write one like 127.0.0.0/8, 10.1.2.0/24 or ::1/128 (the address part must have no bits set beyond the prefix).");
                }
            }

            allowed.Add(range);
        }

        return new OutboundTargets(allowed);
    }

    /// <summary>Why <paramref name="address"/> is refused (e.g. <c>loopback</c>, <c>private</c>); null when it may be contacted.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var embedded = Embedded(address);
        if (Allowed.Any(range => range.Contains(address) || (embedded is not null && range.Contains(embedded))))
        {
            return null;
        }

        return SpecialRange(address);
    }

    /// <summary>Whether <paramref name="address"/> may be contacted.</summary>
    public bool Allows(IPAddress address) => Refusal(address) is null;

    /// <summary>The special-purpose range <paramref name="address"/> is in (the reason to refuse it); null for a public unicast address.</summary>
    public static string? SpecialRange(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return V4.FirstOrDefault(r => r.Range.Contains(address)).Reason;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        // Scope ids (fe80::1%2) do not change which range an address is in.
        var bare = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        if (V6.FirstOrDefault(r => r.Range.Contains(bare)).Reason is { } reason)
        {
            return reason;
        }

        return Embedded(bare) is { } v4 && SpecialRange(v4) is { } inner ? $"{inner} (as IPv6)" : null;
    }

    /// <summary>
    /// What is wrong with <paramref name="url"/> as an outbound target without resolving its host: not an absolute
    /// http(s) URL, credentials in it, or a host that is an address (in any notation <see cref="Uri"/> accepts,
    /// e.g. <c>0x7f000001</c> or <c>2130706433</c>) or <c>localhost</c> name this policy refuses. Null when it passes
    /// (a host name may still resolve to a refused address).
    /// </summary>
    public string? UrlProblem(Uri? url)
    {
        if (url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            return "Only absolute http or https URLs are allowed.";
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "A URL may not carry credentials (user:password@); authenticate with the signature or a token in the path instead.";
        }

        if (KnownAddresses(url.DnsSafeHost) is { } addresses)
        {
            return AddressProblem(addresses);
        }

        return null;
    }

    /// <summary>The problem with the first refused address among <paramref name="addresses"/> of <paramref name="what"/> (the URL, the host); null when all may be contacted.</summary>
    public string? AddressProblem(IEnumerable<IPAddress> addresses, string what = "The URL")
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                return $"{what} points at a {reason} address; only public addresses are allowed (an operator can allow internal ranges in {ConfigurationKey}).";
            }
        }

        return null;
    }

    /// <summary>
    /// The addresses <paramref name="host"/> stands for without asking DNS: itself when it is an IP address (brackets
    /// and scope allowed), 127.0.0.1 and ::1 for <c>localhost</c> and any <c>*.localhost</c> name (RFC 6761); null for
    /// other names.
    /// </summary>
    public static IPAddress[]? KnownAddresses(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim().TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : null;
    }

    /// <summary>The IPv4 address an IPv6 address carries: IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16); null for others.</summary>
    internal static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    /// <inheritdoc />
    public override string ToString()
        => Allowed.IsEmpty ? "public addresses only" : $"public addresses and {string.Join(", ", Allowed.Select(r => r.ToString()))}";
}
