using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Contracts.Monitors;

/// <summary>The incidents of a customer's components, read from their monitors.</summary>
public static class ComponentIncidents
{
    /// <summary>Every incident of <paramref name="components"/>' monitors, in one list.</summary>
    public static async Task<ImmutableArray<IncidentView>> ListAsync(IGrainFactory grains, IEnumerable<CustomerComponent> components)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var lists = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).GetIncidents(int.MaxValue)));
        return [.. lists.SelectMany(l => l)];
    }
}
