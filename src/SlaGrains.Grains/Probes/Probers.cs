using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one probe of any kind: hands the settings to the prober of their kind. A prober that throws (a bug, an
/// unexpected socket state) gives a down result saying the probe failed, never an exception: the region's prober keeps
/// its timer, and the failure is what the monitor sees — the service could not be shown to be up.
/// </summary>
public sealed class Probers(HttpProber http, TcpProber tcp, PingProber ping, DnsProber dns, TlsProber tls, ILogger<Probers> logger)
{
    /// <summary>Probes <paramref name="settings"/> from <paramref name="region"/>, dated and timed by <paramref name="time"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(IProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        try
        {
            return settings switch
            {
                HttpProbeSettings h => await http.ProbeAsync(h, region, time, cancellationToken),
                TcpProbeSettings t => await tcp.ProbeAsync(t, region, time, cancellationToken),
                PingProbeSettings p => await ping.ProbeAsync(p, region, time, cancellationToken),
                DnsProbeSettings d => await dns.ProbeAsync(d, region, time, cancellationToken),
                TlsProbeSettings t => await tls.ProbeAsync(t, region, time, cancellationToken),
                _ => new ProbeReport(region, at, false, null, null, $"{settings.Kind} probes are not supported by this silo"),
            };
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(error, "A {Kind} probe of {Target} from {Region} failed", settings.Kind, settings.Target, region);
            return new ProbeReport(region, at, false, null, null, "probe failed");
        }
    }
}
