using SlaGrains.Domain.Monitors;

namespace SlaGrains.Application.Incidents;

/// <summary>Incident statuses and impacts in words, the same in the API (camelCase) and on every page (sentence case).</summary>
public static class IncidentWords
{
    /// <summary>The words the API takes and writes for <see cref="IncidentUpdateStatus"/>.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["investigating", "identified", "monitoring", "resolved"];

    /// <summary>The words the API takes and writes for <see cref="IncidentImpact"/>.</summary>
    public static IReadOnlyList<string> Impacts { get; } = ["degraded", "partialOutage", "majorOutage"];

    /// <summary>The API's word for a status.</summary>
    public static string Status(IncidentUpdateStatus status) => status switch
    {
        IncidentUpdateStatus.Identified => "identified",
        IncidentUpdateStatus.Monitoring => "monitoring",
        IncidentUpdateStatus.Resolved => "resolved",
        _ => "investigating",
    };

    /// <summary>The API's word for an impact.</summary>
    public static string Impact(IncidentImpact impact) => impact switch
    {
        IncidentImpact.MajorOutage => "majorOutage",
        IncidentImpact.PartialOutage => "partialOutage",
        _ => "degraded",
    };

    /// <summary>A status word read back; null when it is not one (case and surrounding blanks are forgiven).</summary>
    public static IncidentUpdateStatus? ParseStatus(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "investigating" => IncidentUpdateStatus.Investigating,
        "identified" => IncidentUpdateStatus.Identified,
        "monitoring" => IncidentUpdateStatus.Monitoring,
        "resolved" => IncidentUpdateStatus.Resolved,
        _ => null,
    };

    /// <summary>An impact word read back; null when it is not one.</summary>
    public static IncidentImpact? ParseImpact(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "degraded" => IncidentImpact.Degraded,
        "partialoutage" => IncidentImpact.PartialOutage,
        "majoroutage" => IncidentImpact.MajorOutage,
        _ => null,
    };

    /// <summary>A status word as a page shows it: <c>Investigating</c>, <c>Identified</c>, <c>Monitoring</c>, <c>Resolved</c>.</summary>
    public static string StatusLabel(string? status) => status switch
    {
        "identified" => "Identified",
        "monitoring" => "Monitoring",
        "resolved" => "Resolved",
        _ => "Investigating",
    };

    /// <summary>An impact word as a page shows it: <c>Degraded performance</c>, <c>Partial outage</c>, <c>Major outage</c>.</summary>
    public static string ImpactLabel(string? impact) => impact switch
    {
        "majorOutage" => "Major outage",
        "partialOutage" => "Partial outage",
        "degraded" => "Degraded performance",
        _ => "Outage",
    };
}
