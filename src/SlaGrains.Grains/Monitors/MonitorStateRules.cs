using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// The monitor's stored state as the domain's <see cref="MonitorRules"/> and back. The stored shape stays what earlier
/// versions wrote (fields only added), so their state loads: what they lacked is filled at the next load.
/// </summary>
internal static class MonitorStateRules
{
    /// <summary>
    /// The rules the state holds at <paramref name="now"/> (null before configuration). Without
    /// <paramref name="withResults"/> the raw results are left out (reads that need only incidents and unknown time).
    /// </summary>
    public static MonitorRules? ToRules(this MonitorState state, string monitorId, Instant now, bool withResults = true)
    {
        if (state.Settings is not { } settings)
        {
            return null;
        }

        return new MonitorRules
        {
            MonitorId = monitorId,
            Policy = settings.Policy,
            ConfiguredAt = state.ConfiguredAt ?? now,
            Results = withResults ? [.. state.Results] : [],
            Incidents = [.. state.Incidents.Select(i => new MonitorIncident(i.IncidentId, i.Start, i.End, i.OpenedAt, i.ResolvedAt, i.MaintenanceId, i.Note))],
            Maintenance = [.. state.Maintenance.Select(m => new MonitorMaintenance(m.MaintenanceId, m.Start, m.End, m.AnnouncedAt, m.Description))],
            NextIncident = state.NextIncident,
            NextMaintenance = state.NextMaintenance,
            LastHeartbeat = state.LastHeartbeat,
            HeartbeatDueAt = state.HeartbeatDueAt,
            MissedHeartbeats = state.MissedHeartbeats,
            FiringAlerts = [.. state.FiringAlerts.Select(name => new FiringAlert(name, state.AlertsStartedAt.TryGetValue(name, out var since) ? since : now))],
            RecentAlerts = [.. state.RecentBudgetAlerts.Select(a => new AlertFiring(a.Name, a.StartedAt, a.StoppedAt, a.AcknowledgedAt, a.AcknowledgedBy))],
            LastDataAt = state.LastDataAt ?? (state.Results.Count == 0 ? null : state.Results.Max(r => r.At)),
            UnknownSince = state.UnknownSince,
            UnknownIntervals = [.. state.UnknownIntervals],
            Health = state.Health ?? (state.CustomerToldDown == true ? ComponentHealth.Down : ComponentHealth.Up),
            LatencyCounts = state.LatencyBuckets.Count == 0 ? LatencyCounts.Empty : new LatencyCounts(state.LatencyBuckets.Select(b => new EventBucket(b.Start, b.Good, b.Total))),
        };
    }

    /// <summary>Stores <paramref name="rules"/>, keeping what people added to incidents (postmortems, reviews).</summary>
    public static void Store(this MonitorState state, MonitorRules rules, string customerId)
    {
        var annotated = state.Incidents.ToDictionary(i => i.IncidentId, StringComparer.Ordinal);
        state.ConfiguredAt = rules.ConfiguredAt;
        state.Results = [.. rules.Results];
        state.Incidents = [.. rules.Incidents.Select(i => View(i, rules.MonitorId, annotated.GetValueOrDefault(i.Id)?.CustomerId ?? customerId, annotated.GetValueOrDefault(i.Id)))];
        state.Maintenance = [.. rules.Maintenance.Select(View)];
        state.NextIncident = rules.NextIncident;
        state.NextMaintenance = rules.NextMaintenance;
        state.LastHeartbeat = rules.LastHeartbeat;
        state.HeartbeatDueAt = rules.HeartbeatDueAt;
        state.MissedHeartbeats = rules.MissedHeartbeats;
        state.FiringAlerts = [.. rules.FiringAlerts.Select(a => a.Name)];
        state.AlertsStartedAt = rules.FiringAlerts.ToDictionary(a => a.Name, a => a.StartedAt, StringComparer.Ordinal);
        state.LastDataAt = rules.LastDataAt;
        state.UnknownSince = rules.UnknownSince;
        state.UnknownIntervals = [.. rules.UnknownIntervals];
        state.Health = rules.Health;
        state.LatencyBuckets = [.. rules.LatencyCounts.Buckets.Select(b => new LatencyBucket(b.Start, b.Good, b.Total))];
    }

    /// <summary>The contract's view of a domain incident (with what people added to it, if any).</summary>
    public static IncidentView View(MonitorIncident incident, string monitorId, string customerId, IncidentView? annotated = null)
        => new(
            incident.Id, monitorId, customerId, incident.Start, incident.End, incident.OpenedAt, incident.ResolvedAt,
            annotated?.Postmortem, annotated?.RootCause, annotated?.Resolution, incident.MaintenanceId, incident.Note);

    /// <summary>The contract's view of a maintenance window.</summary>
    public static MaintenanceView View(MonitorMaintenance window)
        => new(window.Id, window.Start, window.End, window.AnnouncedAt, window.Description);
}
