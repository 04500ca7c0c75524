namespace SlaGrains.Ui.Charts;

/// <summary>
/// Colours of the manager and credit charts: mid tones that stand out at least 3:1 against both the light theme's
/// white surface and the dark theme's <c>#2a2a33</c> (WCAG 1.4.11 for graphics); the text beside the charts says the
/// same figures, so no meaning depends on colour alone.
/// </summary>
public static class ManagerChartColours
{
    /// <summary>Months that met their commitment: green.</summary>
    public const string Met = "#3d8b40";

    /// <summary>Months that missed it, and breaches: red.</summary>
    public const string Missed = "#e0413d";

    /// <summary>Months with too little data to judge: grey.</summary>
    public const string NoData = "#8c8c8c";

    /// <summary>Incidents: orange.</summary>
    public const string Incidents = "#e66b00";

    /// <summary>Credits and neutral counts: blue.</summary>
    public const string Neutral = "#2f86d6";

    /// <summary>Root causes, one colour each in turn.</summary>
    public static readonly string[] Causes = ["#2f86d6", "#e66b00", "#3d8b40", "#b05bc9", "#e0413d", "#8c8c8c", "#a88000", "#1a9a9a"];
}
