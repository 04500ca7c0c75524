using System.Net.Sockets;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one TCP probe: up when a connection to the host and port opens within the timeout (closed again at once); the
/// response time is the connect time. The host is resolved and every address checked by <see cref="OutboundHttp"/>,
/// so a tcp monitor reaches no address a webhook could not. Failures say their outcome class, never the socket's text.
/// </summary>
public sealed class TcpProber(OutboundHttp outbound)
{
    /// <summary>Probes <paramref name="settings"/> from <paramref name="region"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(TcpProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        try
        {
            using var socket = await outbound.ConnectSocketAsync(settings.Host, settings.Port, timeout.Token);
            var elapsed = Duration.FromTimeSpan(time.GetElapsedTime(started));
            return new ProbeReport(region, at, true, null, elapsed, $"connected to port {settings.Port}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, $"no connection within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (OutboundAddressRefusedException)
        {
            return new ProbeReport(region, at, false, null, null, $"not probed: {OutboundOutcomes.RefusedAddress}");
        }
        catch (SocketException)
        {
            return new ProbeReport(region, at, false, null, null, $"no connection: {OutboundOutcomes.ConnectionFailed}");
        }
    }
}
