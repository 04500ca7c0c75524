using System.Globalization;
using NodaTime.Text;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Monitors;

/// <summary>A monitor's state in words, the same on every page and in the API.</summary>
public static class MonitorWords
{
    private static readonly InstantPattern Minute = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm'Z'");

    /// <summary>The health as the API writes it: <c>up</c>, <c>down</c>, <c>maintenance</c> or <c>unknown</c>.</summary>
    public static string Health(ComponentHealth health) => health switch
    {
        ComponentHealth.Down => "down",
        ComponentHealth.Maintenance => "maintenance",
        ComponentHealth.Unknown => "unknown",
        _ => "up",
    };

    /// <summary>
    /// The status in a sentence: <c>Operational</c>, <c>Outage since …</c>, <c>Under maintenance</c>,
    /// <c>No data since 2026-11-02 14:02Z — status unknown</c>, or <c>Waiting for its first result</c> for a new monitor
    /// (not yet stale, so not unknown, but nothing has said it is up either). Instants are written by
    /// <paramref name="time"/> (a page passes the viewer's zone), in UTC without it (the API).
    /// </summary>
    public static string Status(MonitorView monitor, Func<Instant, string>? time = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        time ??= Minute.Format;
        return monitor.Health switch
        {
            ComponentHealth.Down when monitor.OpenIncident is { } incident => $"Outage since {time(incident.Start)}",
            ComponentHealth.Down => "Outage",
            ComponentHealth.Maintenance => "Under maintenance",
            ComponentHealth.Unknown when monitor.UnknownSince is { } since
                => $"No data since {time(LastData(monitor) ?? since)} — status unknown",
            ComponentHealth.Unknown => "No data — status unknown",
            _ when monitor.LastResultAt is null => "Waiting for its first result",
            _ => "Operational",
        };
    }

    /// <summary>The share of a period with data, e.g. <c>97.5 % of the month so far has data</c>; null when not measured.</summary>
    public static string? Coverage(decimal? percent)
        => percent is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.##} % of the month so far has data") : null;

    /// <summary>The last result before the silence (the monitor's newest result), when it is known.</summary>
    private static Instant? LastData(MonitorView monitor) => monitor.LastResultAt is { } last && monitor.UnknownSince is { } since && last <= since ? last : null;
}
