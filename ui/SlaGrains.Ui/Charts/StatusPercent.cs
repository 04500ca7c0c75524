using System.Globalization;

namespace SlaGrains.Ui.Charts;

/// <summary>
/// How the status page writes percentages, so one period never reads as two figures: availability always with four
/// decimals ("99.9924 %", the precision of the SLA reports and credit notices), targets as the contract states them ("99.9 %").
/// </summary>
public static class StatusPercent
{
    /// <summary>An availability figure: four decimals and " %".</summary>
    public static string Availability(decimal percent) => $"{percent.ToString("0.0000", CultureInfo.InvariantCulture)} %";

    /// <summary>An availability figure or "—" when there is none.</summary>
    public static string Availability(decimal? percent) => percent is { } p ? Availability(p) : "—";

    /// <summary>A target or share as stated: up to three decimals ("99.9 %").</summary>
    public static string Target(decimal percent) => $"{percent.ToString("0.###", CultureInfo.InvariantCulture)} %";
}
