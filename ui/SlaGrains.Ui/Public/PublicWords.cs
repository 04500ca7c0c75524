namespace SlaGrains.Ui.Public;

/// <summary>The public page's words and tones for a status, in one place (the banner, the chips).</summary>
internal static class PublicWords
{
    /// <summary>The tone class suffix of the customer's status: ok, warn, bad, info or none.</summary>
    public static string StatusTone(string status) => status switch
    {
        "operational" => "ok",
        "degraded" => "warn",
        "outage" => "bad",
        "maintenance" => "info",
        _ => "none",
    };

    /// <summary>A component's health in words.</summary>
    public static string Health(string health) => health switch
    {
        "up" => "Operational",
        "down" => "Outage",
        "partial_outage" => "Partial outage",
        "degraded" => "Degraded",
        "maintenance" => "Maintenance",
        _ => "No data",
    };

    /// <summary>The tone of a component's health.</summary>
    public static string HealthTone(string health) => health switch
    {
        "up" => "ok",
        "down" => "bad",
        "partial_outage" or "degraded" => "warn",
        "maintenance" => "info",
        _ => "none",
    };

    /// <summary>A duration in minutes, as people say it: "45 min", "2 h 5 min", "3 d 4 h".</summary>
    public static string Duration(double minutes)
    {
        var total = (long)Math.Ceiling(minutes);
        if (total < 60)
        {
            return $"{total} min";
        }

        var days = total / 1440;
        var hours = total % 1440 / 60;
        var rest = total % 60;
        return days > 0 ? $"{days} d {hours} h" : rest > 0 ? $"{hours} h {rest} min" : $"{hours} h";
    }
}
