namespace SlaGrains.Application.Monitors;

/// <summary>
/// How far from now a pushed check result may be dated. A result from the future would become the monitor's newest
/// and push every real one out of its window (so a later outage opened no incident); one older than the raw results
/// are kept would be history nothing can show.
/// </summary>
public sealed class CheckResultWindow
{
    /// <summary>At most this far ahead of the server's clock (clock skew of the sender): 5 minutes by default (<c>Monitors:MaxClockSkewSeconds</c>).</summary>
    public Duration Ahead { get; set; } = Duration.FromMinutes(5);

    /// <summary>At most this far back: the raw results' retention, 90 days by default (<c>ReadModels:CheckResultRetentionDays</c>).</summary>
    public Duration Behind { get; set; } = Contracts.ReadModels.ReadModelRetention.CheckResults;
}
