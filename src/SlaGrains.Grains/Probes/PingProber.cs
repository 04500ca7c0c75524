using System.Net.NetworkInformation;
using System.Net.Sockets;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one ping probe: an ICMP echo (<see cref="Ping"/>) to the host's first address, up when the reply comes within
/// the timeout; the response time is the round trip. The host is resolved and every address checked by
/// <see cref="OutboundHttp"/> first. On Linux, .NET sends raw ICMP when the process may (root, or CAP_NET_RAW) and
/// otherwise runs the system's <c>ping</c>.
/// </summary>
public sealed class PingProber(OutboundHttp outbound)
{
    /// <summary>Probes <paramref name="settings"/> from <paramref name="region"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(PingProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        try
        {
            var addresses = await outbound.ResolveCheckedAsync(settings.Host, timeout.Token);
            using var ping = new Ping();
            var left = settings.Timeout.ToTimeSpan();
            var reply = await ping.SendPingAsync(addresses[0], left, buffer: null, options: null, timeout.Token);
            return reply.Status == IPStatus.Success
                ? new ProbeReport(region, at, true, null, Duration.FromMilliseconds(reply.RoundtripTime), $"echo reply from {addresses[0]}")
                : new ProbeReport(region, at, false, null, null, reply.Status == IPStatus.TimedOut
                    ? $"no echo reply within {settings.Timeout.TotalSeconds:0.###} s"
                    : $"no echo reply: {Words(reply.Status)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, $"no echo reply within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (OutboundAddressRefusedException)
        {
            return new ProbeReport(region, at, false, null, null, $"not probed: {OutboundOutcomes.RefusedAddress}");
        }
        catch (Exception error) when (error is SocketException or PingException)
        {
            return new ProbeReport(region, at, false, null, null, $"no echo reply: {OutboundOutcomes.ConnectionFailed}");
        }
    }

    /// <summary>The reply status in a few words: "destination host unreachable" from <c>DestinationHostUnreachable</c>.</summary>
    private static string Words(IPStatus status)
        => string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
