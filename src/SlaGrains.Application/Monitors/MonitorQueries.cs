using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Application.Monitors;

/// <summary>An announced maintenance window of one of a customer's monitors.</summary>
public sealed record ComponentMaintenance(string MonitorId, MaintenanceView Window);

/// <summary>
/// Reading monitors, limited to what the caller may see: a monitor is its customer's, so whoever may read the
/// customer reads its monitors; any other monitor looks like one that does not exist.
/// </summary>
[ApplicationService]
public sealed class MonitorQueries(IGrainFactory grains, CustomerDirectory customers)
{
    /// <summary>How many incidents <see cref="Incidents"/> returns at most.</summary>
    public const int IncidentLimit = 100;

    /// <summary>The monitor: settings, status, open incident, last result, heartbeat deadline.</summary>
    public async Task<Result<MonitorView>> Get(Caller caller, string monitorId)
        => await Visible(caller, monitorId) is { } monitor ? monitor : Failure.NotFound($"Monitor '{monitorId}'");

    /// <summary>The monitor's announced maintenance windows (not cancelled), by start.</summary>
    public async Task<Result<ImmutableArray<MaintenanceView>>> Maintenance(Caller caller, string monitorId)
        => await Visible(caller, monitorId) is null
            ? Failure.NotFound($"Monitor '{monitorId}'")
            : await grains.GetGrain<IMonitorGrain>(monitorId).GetMaintenance();

    /// <summary>The monitor's incidents, newest first (at most <see cref="IncidentLimit"/>).</summary>
    public async Task<Result<ImmutableArray<IncidentView>>> Incidents(Caller caller, string monitorId)
        => await Visible(caller, monitorId) is null
            ? Failure.NotFound($"Monitor '{monitorId}'")
            : await grains.GetGrain<IMonitorGrain>(monitorId).GetIncidents(IncidentLimit);

    /// <summary>The announced maintenance windows of every component of a customer, by component then start.</summary>
    public async Task<Result<IReadOnlyList<ComponentMaintenance>>> MaintenanceOf(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var components = (await grains.GetGrain<ICustomerGrain>(customerId).Get())?.Components ?? [];
        var windows = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).GetMaintenance()));
        return Result<IReadOnlyList<ComponentMaintenance>>.Success([.. components.SelectMany((c, i) => windows[i].Select(w => new ComponentMaintenance(c.MonitorId, w)))]);
    }

    /// <summary>The monitor when it exists and the caller may read its customer; otherwise null.</summary>
    internal async Task<MonitorView?> Visible(Caller caller, string monitorId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Bounds.IsId(monitorId) && await grains.GetGrain<IMonitorGrain>(monitorId).Get() is { } monitor && caller.CanRead(monitor.Settings.CustomerId)
            ? monitor
            : null;
    }
}
