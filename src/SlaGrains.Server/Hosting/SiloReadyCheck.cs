using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlaGrains.Server.Hosting;

/// <summary>Ready when the co-hosted silo answers a grain call and counts itself an active member of its cluster.</summary>
internal sealed class SiloReadyCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("No active silo in the cluster yet.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The silo does not answer.", error);
        }
    }
}
