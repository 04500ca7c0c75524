using NodaTime;

namespace SlaGrains.Domain.Tickets;

/// <summary>How a clock stands for the people watching it: the one rule behind every label, filter and count.</summary>
public enum ClockStanding
{
    /// <summary>Running (or not yet decided) and below the policy's first warning threshold.</summary>
    OnTrack,

    /// <summary>Running, past the first warning threshold and still within its target.</summary>
    AtRisk,

    /// <summary>Past its target: running, paused or stopped late.</summary>
    Breached,

    /// <summary>Stopped by a pause status within its target.</summary>
    Paused,

    /// <summary>Stopped within its target.</summary>
    Met,
}

/// <summary>
/// The standing of a clock at an instant, from what a list row keeps: its state, when it becomes at risk (the first
/// warning threshold of the policy in force, <see cref="MetricClock.AtRiskAt"/>) and when it breaches.
/// </summary>
public static class ClockStandings
{
    /// <summary>The standing at <paramref name="now"/>.</summary>
    /// <param name="state">The clock's state when the row was written.</param>
    /// <param name="atRiskAt">When a running clock reaches its first warning threshold (past once reached); null when it has none or is not running.</param>
    /// <param name="breachAt">When a running clock uses up its target; null when not running.</param>
    /// <param name="now">The instant to judge at.</param>
    public static ClockStanding At(ClockState state, Instant? atRiskAt, Instant? breachAt, Instant now) => state switch
    {
        ClockState.Met => ClockStanding.Met,
        ClockState.BreachedRunning or ClockState.BreachedPaused or ClockState.BreachedStopped => ClockStanding.Breached,
        ClockState.Paused => ClockStanding.Paused,
        _ when breachAt <= now => ClockStanding.Breached,
        _ when atRiskAt <= now => ClockStanding.AtRisk,
        _ => ClockStanding.OnTrack,
    };

    /// <summary>The words shown for a standing: on track, at risk, breached, paused, met.</summary>
    public static string Words(ClockStanding standing) => standing switch
    {
        ClockStanding.AtRisk => "at risk",
        ClockStanding.Breached => "breached",
        ClockStanding.Paused => "paused",
        ClockStanding.Met => "met",
        _ => "on track",
    };
}
