using Orleans.Placement;
using Orleans.Runtime.Placement;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Grains.Probes;

/// <summary>Places a prober (key <c>{monitor}/{region}</c>) on a silo of its region (see <see cref="ProbeLocations"/>).</summary>
[GenerateSerializer]
[Immutable]
[Alias("slagrains.probe-region-placement")]
public sealed class ProbeRegionPlacement : PlacementStrategy
{
    internal static readonly ProbeRegionPlacement Instance = new();
}

/// <summary>Marks a grain placed by <see cref="ProbeRegionPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ProbeRegionPlacementAttribute() : PlacementAttribute(ProbeRegionPlacement.Instance);

/// <summary>
/// Picks a silo of the prober's region, the local one when it qualifies (no hop). A region with no active silo is a
/// placement failure, not a fallback: a probe run from elsewhere would vote for a region it is not in. The monitor's
/// minute backstop starts the prober once a silo of the region is back.
/// </summary>
internal sealed class ProbeRegionPlacementDirector(ProbeLocations locations) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var region = ProbeKeys.RegionOf(target.GrainIdentity.Key.ToString() ?? string.Empty);
        var compatible = context.GetCompatibleSilos(target);
        var candidates = compatible.Where(s => locations.RegionOf(s) == region).ToArray();
        if (candidates.Length == 0 && region == ProbeLocations.DefaultRegion && compatible.All(s => locations.RegionOf(s) is null))
        {
            candidates = [.. compatible];
        }

        if (candidates.Length == 0)
        {
            throw new SiloUnavailableException($"No active silo is probe location '{region}' for {target.GrainIdentity}.");
        }

        return Task.FromResult(candidates.Contains(context.LocalSilo) ? context.LocalSilo : candidates[Random.Shared.Next(candidates.Length)]);
    }
}
