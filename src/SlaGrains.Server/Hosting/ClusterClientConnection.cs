using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// A front-end's Orleans client connection: keeps retrying the first connection (every 2 s, logged) while the silos
/// are not up yet, tracks whether the client has gateways, and is <c>/health/ready</c> in client mode.
/// </summary>
internal sealed class ClusterClientConnection(ILogger<ClusterClientConnection> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private volatile bool _connected = true; // The client's start completes only once it has connected.
    private int _attempts;

    public bool Connected => _connected;

    public void GatewayCountChanged(object? sender, GatewayCountChangedEventArgs e) => _connected = e.NumberOfConnectedGateways > 0;

    public void ConnectionLost(object? sender, EventArgs e) => _connected = false;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        logger.LogWarning("Could not connect to the Orleans cluster (attempt {Attempt}): {Error}; retrying in {Delay}", attempt, exception.Message, RetryDelay);
        await Task.Delay(RetryDelay, cancellationToken);
        return true;
    }
}

/// <summary>Ready when the Orleans client has a gateway and a grain call answers (there is an active silo behind it).</summary>
internal sealed class ClientReadyCheck(ClusterClientConnection connection, IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.Connected)
        {
            return HealthCheckResult.Unhealthy("The Orleans client has no gateway to the cluster.");
        }

        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"client of a cluster of {hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("No active silo in the cluster.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", error);
        }
    }
}
