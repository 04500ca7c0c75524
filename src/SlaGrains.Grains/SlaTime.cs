namespace SlaGrains.Grains;

/// <summary>
/// The clock SLA grains read, registered as a keyed <see cref="TimeProvider"/> so that it can differ from the one
/// Orleans itself schedules with (tests move SLA time to just before a month end; Orleans must keep real time).
/// </summary>
public static class SlaTime
{
    /// <summary>The DI key of the SLA clock.</summary>
    public const string Key = "slagrains.sla-time";
}
