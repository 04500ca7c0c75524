using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain;

namespace SlaGrains.Ui.Services;

/// <summary>
/// Setting up what a customer's service is made of, the same way from the REST API, the admin page and the demo:
/// ids customers and monitors may have, and adding a monitor as one of a customer's components.
/// </summary>
public static class CustomerSetup
{
    /// <summary>Whether <paramref name="id"/> may name a customer, monitor or ticket: letters, digits, '-' and '_'.</summary>
    public static bool IsId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => !string.IsNullOrWhiteSpace(id) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Configures monitor <paramref name="monitorId"/> (refused with <c>monitor-exists</c> when it belongs to another
    /// customer), then makes it one of its customer's components, critical or not.
    /// </summary>
    public static async Task<MonitorResult> AddMonitorAsync(IGrainFactory grains, string monitorId, MonitorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(settings);
        var monitor = grains.GetGrain<IMonitorGrain>(monitorId);
        if (await monitor.Get() is { } existing && existing.Settings.CustomerId != settings.CustomerId)
        {
            return new MonitorResult(null, new Rejection("monitor-exists", $"Monitor '{monitorId}' already exists."));
        }

        var result = await monitor.Configure(settings);
        if (!result.Accepted)
        {
            return result;
        }

        var customer = grains.GetGrain<ICustomerGrain>(settings.CustomerId);
        var components = (await customer.Get())?.Components ?? [];
        var set = await customer.SetComponents(components.RemoveAll(c => c.MonitorId == monitorId).Add(new CustomerComponent(monitorId, settings.IsCritical)));
        return set.Accepted ? result : new MonitorResult(null, set.Rejection);
    }
}
