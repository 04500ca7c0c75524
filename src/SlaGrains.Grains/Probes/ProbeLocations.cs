using System.Collections.Immutable;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Which silos are probe locations: a silo started with <c>Probes:Region</c> publishes it as Orleans silo metadata
/// (<see cref="MetadataKey"/>), which every silo caches from the membership. A silo without it runs no probes — unless
/// no silo of the cluster is a probe location, then any silo probes, as region <see cref="DefaultRegion"/>.
/// </summary>
/// <remarks>The cache follows membership asynchronously: a silo that just joined may be missing for a moment. The
/// monitor grain re-plans its probers every minute, so a region noticed late is probed from then on.</remarks>
public sealed class ProbeLocations(IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    /// <summary>The silo metadata key naming a silo's probe region.</summary>
    public const string MetadataKey = "slagrains.probe-region";

    /// <summary>The region of probes when the cluster has no probe location.</summary>
    public const string DefaultRegion = "default";

    /// <summary>The probe region of <paramref name="silo"/>; null when it is no probe location (or not known yet).</summary>
    public string? RegionOf(SiloAddress silo)
        => metadata.GetSiloMetadata(silo).Metadata.TryGetValue(MetadataKey, out var region) && !string.IsNullOrEmpty(region) ? region : null;

    /// <summary>The probe regions of the active silos, ordinal order; empty when none is a probe location.</summary>
    public ImmutableArray<string> Regions()
        => [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => RegionOf(m.SiloAddress))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The regions an http monitor without listed regions probes from now: every probe location, or the default region.</summary>
    public ImmutableArray<string> RegionsOrDefault() => Regions() is { Length: > 0 } regions ? regions : [DefaultRegion];
}
