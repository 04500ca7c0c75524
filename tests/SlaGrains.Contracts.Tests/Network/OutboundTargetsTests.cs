using System.Net;
using System.Net.Sockets;
using SlaGrains.Contracts.Network;

namespace SlaGrains.Contracts.Tests.Network;

/// <summary>
/// The outbound address policy on its own (pure: addresses and URLs are only parsed here, nothing is contacted):
/// every special-purpose range refused in every notation, public addresses allowed, the operator's list winning.
/// </summary>
public sealed class OutboundTargetsTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("100.127.255.255", "shared (CGNAT)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456:789a::1", "unique-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("192.0.0.8", "IETF protocol assignment")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.9", "documentation")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("192.88.99.1", "6to4 relay")]
    [InlineData("100::1", "discard-only")]
    [InlineData("64:ff9b:1::1", "local NAT64")]
    [InlineData("::ffff:127.0.0.1", "loopback (as IPv6)")]
    [InlineData("::ffff:7f00:1", "loopback (as IPv6)")]
    [InlineData("::ffff:169.254.169.254", "link-local (as IPv6)")]
    [InlineData("::ffff:10.0.0.1", "private (as IPv6)")]
    [InlineData("::127.0.0.1", "loopback (as IPv6)")]
    [InlineData("::10.0.0.1", "private (as IPv6)")]
    [InlineData("64:ff9b::7f00:1", "loopback (as IPv6)")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (as IPv6)")]
    [InlineData("2002:7f00:1::", "loopback (as IPv6)")]
    [InlineData("2002:c0a8:101::1", "private (as IPv6)")]
    public void Special_purpose_addresses_are_refused_naming_their_range(string address, string reason)
        => Assert.Equal(reason, OutboundTargets.PublicOnly.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")]
    public void Public_unicast_addresses_are_allowed(string address)
        => Assert.Null(OutboundTargets.PublicOnly.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://0x7f000001/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://017700000001/hook")]
    [InlineData("http://127.1/hook")]
    [InlineData("http://0177.0.0.1/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://LOCALHOST./hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[0:0:0:0:0:ffff:7f00:1]/hook")]
    [InlineData("http://0/")]
    [InlineData("http://[::]/")]
    public void Urls_to_refused_addresses_are_refused_in_every_notation_Uri_accepts(string url)
        => Assert.Contains("address", OutboundTargets.PublicOnly.UrlProblem(new Uri(url)), StringComparison.Ordinal);

    [Theory]
    [InlineData("https://user:pass@hooks.example.com/x")]
    [InlineData("https://token@hooks.example.com/x")]
    [InlineData("https://:secret@hooks.example.com/x")]
    public void Urls_with_credentials_are_refused(string url)
        => Assert.Contains("credentials", OutboundTargets.PublicOnly.UrlProblem(new Uri(url)), StringComparison.Ordinal);

    [Theory]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://hooks.example.com/")]
    public void Other_schemes_are_refused(string url)
        => Assert.Contains("http", OutboundTargets.PublicOnly.UrlProblem(new Uri(url)), StringComparison.Ordinal);

    [Fact]
    public void A_public_url_with_a_host_name_passes_the_static_check()
        => Assert.Null(OutboundTargets.PublicOnly.UrlProblem(new Uri("https://hooks.example.com/sla?x=1")));

    [Fact]
    public void The_operators_list_allows_exactly_its_ranges()
    {
        var targets = Parse("127.0.0.1/32", "10.1.0.0/16", "fd00::/8");

        Assert.Null(targets.Refusal(IPAddress.Parse("127.0.0.1")));
        Assert.Null(targets.Refusal(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Null(targets.Refusal(IPAddress.Parse("10.1.200.3")));
        Assert.Null(targets.Refusal(IPAddress.Parse("fd12::1")));
        Assert.Equal("loopback", targets.Refusal(IPAddress.Parse("127.0.0.2")));
        Assert.Equal("loopback", targets.Refusal(IPAddress.Parse("::1")));
        Assert.Equal("private", targets.Refusal(IPAddress.Parse("10.2.0.1")));
        Assert.Equal("unique-local", targets.Refusal(IPAddress.Parse("fc00::1")));
        Assert.Null(targets.UrlProblem(new Uri("http://127.0.0.1:8080/")));
        Assert.NotNull(targets.UrlProblem(new Uri("http://localhost:8080/")));
        Assert.Null(Parse("127.0.0.0/8", "::1/128").UrlProblem(new Uri("http://localhost:8080/")));
    }

    [Fact]
    public void A_bare_address_in_the_list_is_that_one_address()
    {
        var targets = Parse("127.0.0.1", "::1");

        Assert.Equal(["127.0.0.1/32", "::1/128"], targets.Allowed.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("127.0.0.1/8")]
    [InlineData("localhost")]
    [InlineData("10.0.0.0/33")]
    [InlineData("not a cidr")]
    public void A_bad_cidr_is_refused_naming_the_key_and_value(string value)
    {
        var error = Assert.Throws<FormatException>(() => OutboundTargets.Parse([new("Network:AllowedPrivateTargets:3", value)]));

        Assert.Contains("Network:AllowedPrivateTargets:3", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_is_refused_when_any_of_its_addresses_is()
    {
        var check = new OutboundCheck(OutboundTargets.PublicOnly, new Answers(new()
        {
            ["mixed.example.com"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.5")],
            ["public.example.com"] = [IPAddress.Parse("93.184.215.14")],
            ["metadata.example.com"] = [IPAddress.Parse("169.254.169.254")],
        }));

        Assert.Contains("private", await check.ProblemAsync("https://mixed.example.com/x"), StringComparison.Ordinal);
        Assert.Contains("link-local", await check.ProblemAsync("https://metadata.example.com/x"), StringComparison.Ordinal);
        Assert.Null(await check.ProblemAsync("https://public.example.com/x"));

        // Not resolving (yet) is not a refusal: nothing can be contacted, and the connect-time check judges it later.
        Assert.Null(await check.ProblemAsync("https://nowhere.example.com/x"));
    }

    private static OutboundTargets Parse(params string[] cidrs)
        => OutboundTargets.Parse(cidrs.Select((c, i) => new KeyValuePair<string, string?>($"Network:AllowedPrivateTargets:{i}", c)));

    /// <summary>DNS answers for the names a test uses (a stand-in for the outside world's DNS, which we do not own); others do not resolve.</summary>
    private sealed class Answers(Dictionary<string, IPAddress[]> answers) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
            => answers.TryGetValue(host, out var found) ? Task.FromResult(found) : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
