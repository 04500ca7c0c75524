using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one DNS probe with DnsClient: asks the monitor's server (its host resolved and every address checked by
/// <see cref="OutboundHttp"/>, so a dns monitor reaches no address a webhook could not) or, with no server, the
/// system's resolvers (the operator's, trusted) for the records of the name. Up when the answer holds at least one
/// record of the type and every expected value matches one of them; the response time is the query's.
/// </summary>
/// <remarks>
/// <para>No cache: a monitor must see the server's answer now, not one remembered for its TTL. Two tries at most (one
/// retry for a lost UDP packet), each half the timeout, so the whole probe stays within the timeout.</para>
/// <para>How a record compares with an expected value (case-insensitive, a final dot ignored on both sides): A/AAAA
/// as addresses (<c>2001:db8::1</c> equals <c>2001:0db8:0:0::1</c>); CNAME, NS, PTR by the host name; MX by
/// <c>"10 mx.example.com"</c> or the host alone; SRV by <c>"10 5 5060 sip.example.com"</c> or the target alone; TXT by
/// its strings joined (as SPF and DKIM read them); CAA by <c>0 issue "ca.example"</c> or the value alone; SOA by the
/// primary name server or the serial.</para>
/// </remarks>
public sealed class DnsProber(OutboundHttp outbound)
{
    /// <summary>Probes <paramref name="settings"/> from <paramref name="region"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(DnsProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        var within = $"no answer within {settings.Timeout.TotalSeconds:0.###} s";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        try
        {
            var options = await OptionsAsync(settings, timeout.Token);
            var client = new LookupClient(options);
            var type = Enum.Parse<QueryType>(settings.RecordType, ignoreCase: true);
            var started = time.GetTimestamp();
            var response = await client.QueryAsync(settings.Name, type, QueryClass.IN, timeout.Token).WaitAsync(timeout.Token);
            var elapsed = Duration.FromTimeSpan(time.GetElapsedTime(started));
            var (up, detail) = Judge(settings, response.Header.ResponseCode, response.Answers);
            return new ProbeReport(region, at, up, null, up ? elapsed : null, detail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, within);
        }
        catch (DnsResponseException error) when (error.Code == DnsResponseCode.ConnectionTimeout)
        {
            return new ProbeReport(region, at, false, null, null, within);
        }
        catch (OutboundAddressRefusedException)
        {
            return new ProbeReport(region, at, false, null, null, $"not probed: {OutboundOutcomes.RefusedAddress}");
        }
        catch (Exception error) when (error is SocketException or DnsResponseException)
        {
            return new ProbeReport(region, at, false, null, null, $"no answer: {OutboundOutcomes.ConnectionFailed}");
        }
    }

    /// <summary>
    /// Whether an answer with <paramref name="code"/> and <paramref name="answers"/> is up for <paramref name="settings"/>,
    /// and why in a few words: "3 A records", "NXDOMAIN", "no MX records", "expected 10.0.0.1 not in answer".
    /// </summary>
    public static (bool Up, string Detail) Judge(DnsProbeSettings settings, DnsHeaderResponseCode code, IEnumerable<DnsResourceRecord> answers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(answers);
        if (code != DnsHeaderResponseCode.NoError)
        {
            return (false, Words(code));
        }

        // A CNAME chain comes with the records it leads to: only those of the type asked for count.
        var records = answers.Where(r => string.Equals(r.RecordType.ToString(), settings.RecordType, StringComparison.OrdinalIgnoreCase))
            .Select(Texts).ToList();
        if (records.Count == 0)
        {
            return (false, $"no {settings.RecordType} records");
        }

        if (settings.ExpectedValues.FirstOrDefault(expected => !records.Any(texts => texts.Any(text => Matches(expected, text)))) is { } missing)
        {
            return (false, $"expected {missing} not in answer");
        }

        return (true, $"{records.Count.ToString(CultureInfo.InvariantCulture)} {settings.RecordType} record{(records.Count == 1 ? string.Empty : "s")}");
    }

    /// <summary>The texts an expected value may match in <paramref name="record"/>: its presentation and, where it has one, its host or value alone.</summary>
    internal static ImmutableArray<string> Texts(DnsResourceRecord record) => record switch
    {
        AddressRecord a => [a.Address.ToString()],
        CNameRecord c => [c.CanonicalName.Value],
        NsRecord n => [n.NSDName.Value],
        PtrRecord p => [p.PtrDomainName.Value],
        MxRecord m => [$"{m.Preference} {m.Exchange.Value}", m.Exchange.Value],
        SrvRecord s => [$"{s.Priority} {s.Weight} {s.Port} {s.Target.Value}", s.Target.Value],
        TxtRecord t => [string.Concat(t.Text)],
        CaaRecord c => [$"{c.Flags} {c.Tag} \"{c.Value}\"", c.Value],
        SoaRecord s => [s.MName.Value, s.Serial.ToString(CultureInfo.InvariantCulture)],
        _ => [record.ToString()],
    };

    /// <summary>Whether <paramref name="expected"/> is <paramref name="text"/>: as addresses when both are, else case-insensitively without a final dot.</summary>
    internal static bool Matches(string expected, string text)
    {
        if (IPAddress.TryParse(expected, out var expectedAddress) && IPAddress.TryParse(text, out var address))
        {
            return expectedAddress.Equals(address);
        }

        return string.Equals(Bare(expected), Bare(text), StringComparison.OrdinalIgnoreCase);

        static string Bare(string value) => value.Length > 1 && value.EndsWith('.') ? value[..^1] : value;
    }

    /// <summary>The response code as dig names it: NXDOMAIN, SERVFAIL, REFUSED.</summary>
    private static string Words(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => $"response code {((int)code).ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>The client's options: the monitor's server (checked) or the system's resolvers; no cache; one retry; errors as answers.</summary>
    private async Task<LookupClientOptions> OptionsAsync(DnsProbeSettings settings, CancellationToken cancellationToken)
    {
        LookupClientOptions options;
        if (settings.Server is null)
        {
            options = new LookupClientOptions();
        }
        else
        {
            if (!DnsProbeSettings.TryParseServer(settings.Server, out var host, out var port))
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            var addresses = await outbound.ResolveCheckedAsync(host, cancellationToken);
            options = new LookupClientOptions([.. addresses.Select(a => new IPEndPoint(a, port))]);
        }

        options.UseCache = false;
        options.Retries = 1;
        options.Timeout = settings.Timeout.ToTimeSpan() / 2;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        options.UseRandomNameServer = false;
        return options;
    }
}
