using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// Carries the maintenance notice of a customer's contract (<c>maintenanceNoticeHours</c>) into its monitors, so a monitor
/// judges whether maintenance was announced in time — "during maintenance", no customer-visible incident, no alert; or
/// downtime that says the notice was too short — with the notice availability, credits and reports use. The contract
/// is the one source; a customer without a contract has the default 48 hours.
/// </summary>
/// <remarks>
/// The application carries it, not the customer grain: each monitor calls its customer with its status, so the customer
/// calling its monitors back could deadlock the two non-reentrant grains. It is carried when a monitor is created (with
/// the contract of the moment, checked again once the monitor is a component, see <see cref="MonitorCommands.Create"/>),
/// to every monitor of the customer once a contract is committed (<see cref="ToMonitorsOf"/>), and to the one monitor
/// before maintenance is announced on it (<see cref="ToMonitor"/>). A monitor a contract save could not reach is logged
/// and put right by the next save or announcement. Monitors judge with the notice they have at each decision, so a new
/// notice applies to outages from then on, in windows announced before or after it.
/// </remarks>
[ApplicationService]
public sealed class ContractNotice(IGrainFactory grains, IMonitorReadModel monitorRows, ILogger<ContractNotice> logger)
{
    /// <summary>
    /// Gives every monitor of the customer — its components and any other monitor of it in the monitors table — the
    /// notice of the customer's contract as it is now, where it differs. Never fails for one monitor: a monitor that
    /// cannot be reached or refuses is logged and left for the next time.
    /// </summary>
    public async Task ToMonitorsOf(string customerId)
    {
        var customer = await grains.GetGrain<ICustomerGrain>(customerId).Get();
        var notice = MonitorSettings.NoticeOf(customer?.Agreement);
        var rows = await monitorRows.MonitorsAsync([customerId]);
        var monitorIds = (customer?.Components ?? []).Select(c => c.MonitorId)
            .Concat(rows.Select(r => r.MonitorId))
            .Distinct(StringComparer.Ordinal);
        await Task.WhenAll(monitorIds.Select(async monitorId =>
        {
            try
            {
                var monitor = grains.GetGrain<IMonitorGrain>(monitorId);
                if (await monitor.Get() is { } view && view.Settings.CustomerId == customerId)
                {
                    await Carry(monitor, view, notice);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Monitor {Monitor} keeps its maintenance notice until the next contract save or announcement: it could not be given customer {Customer}'s.", monitorId, customerId);
            }
        }));
    }

    /// <summary>
    /// Gives one monitor the notice of its customer's contract as it is now, where it differs; the monitor as it is
    /// after, or null when it does not exist, refused or could not be reached (logged).
    /// </summary>
    public async Task<MonitorView?> ToMonitor(string monitorId)
    {
        try
        {
            var monitor = grains.GetGrain<IMonitorGrain>(monitorId);
            if (await monitor.Get() is not { } view)
            {
                return null;
            }

            var notice = MonitorSettings.NoticeOf((await grains.GetGrain<ICustomerGrain>(view.Settings.CustomerId).Get())?.Agreement);
            return await Carry(monitor, view, notice);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Monitor {Monitor} keeps its maintenance notice: it could not be given its customer's contract notice.", monitorId);
            return null;
        }
    }

    private async Task<MonitorView?> Carry(IMonitorGrain monitor, MonitorView view, Duration? notice)
    {
        if (view.Settings.MaintenanceNotice == notice)
        {
            return view;
        }

        var result = await monitor.SetMaintenanceNotice(notice);
        if (result.Accepted)
        {
            return result.Monitor;
        }

        logger.LogWarning("Monitor {Monitor} refused the contract's maintenance notice: {Reason}", view.MonitorId, result.Rejection!.Message);
        return null;
    }
}
