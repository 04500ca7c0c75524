using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Probes one probing monitor (http, tcp, dns, tls, ping) from one region, on a silo of that region (<see cref="ProbeRegionPlacementAttribute"/>).
/// It keeps no state: the monitor grain owns the plan, starts its probers when configured and re-starts them from a
/// durable reminder every minute, so a prober lost with its silo resumes on another silo of the region.
/// </summary>
/// <remarks>
/// The interval is a grain timer with <c>KeepAlive</c> (an idle prober must not be collected between probes). Each
/// result goes to the monitor, whose answer is also the prober's check of the plan: <c>not-probing</c> stops it, newer
/// settings are adopted — so a prober the monitor could not reach when the plan changed still learns of it.
/// </remarks>
[ProbeRegionPlacement]
public sealed class ProbeGrain(
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    Probers prober,
    ILogger<ProbeGrain> logger) : Grain, IProbeGrain
{
    private IProbeSettings? _settings;
    private IGrainTimer? _timer;

    private string Key => this.GetPrimaryKeyString();

    private string Region => ProbeKeys.RegionOf(Key);

    private IMonitorGrain Monitor => GrainFactory.GetGrain<IMonitorGrain>(ProbeKeys.MonitorOf(Key));

    /// <inheritdoc />
    public Task Start(IProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_timer is null || !settings.Equals(_settings))
        {
            Arm(settings);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Stop()
    {
        Disarm();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ProbeReport?> ProbeNow()
    {
        var settings = _settings ?? (await Monitor.Get())?.Settings.Probe;
        return settings is null ? null : await ProbeOnce(settings, CancellationToken.None);
    }

    private void Arm(IProbeSettings settings)
    {
        _settings = settings;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(
            async cancellationToken =>
            {
                if (_settings is { } current)
                {
                    await ProbeOnce(current, cancellationToken);
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, settings.Interval.ToTimeSpan()) { KeepAlive = true });
    }

    private void Disarm()
    {
        _settings = null;
        _timer?.Dispose();
        _timer = null;
        DeactivateOnIdle();
    }

    private async Task<ProbeReport?> ProbeOnce(IProbeSettings settings, CancellationToken cancellationToken)
    {
        var report = await prober.ProbeAsync(settings, Region, time, cancellationToken);
        MonitorResult result;
        try
        {
            result = await Monitor.IngestProbe(report);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The next probe tries again; the monitor's reminder restarts this prober if it is lost meanwhile.
            logger.LogWarning(error, "Probe {Probe}: result not recorded", Key);
            SlaMetrics.Probe(settings.Kind, report.Up, recorded: false);
            return report;
        }

        SlaMetrics.Probe(settings.Kind, report.Up, recorded: result.Rejection is null);
        if (result.Rejection is { } rejection)
        {
            logger.LogInformation("Probe {Probe} stops: {Reason}", Key, rejection.Message);
            Disarm();
            return null;
        }

        if (result.Monitor?.Settings.Probe is { } planned && !planned.Equals(_settings) && _settings is not null)
        {
            Arm(planned);
        }

        return report;
    }
}
