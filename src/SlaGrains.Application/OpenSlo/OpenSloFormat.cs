using System.Text.RegularExpressions;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.OpenSlo;

/// <summary>
/// How SlaGrains' SLOs are written in OpenSLO v1, stated once for the importer, the exporter and the rules:
/// <list type="bullet">
/// <item>A <c>Service</c> is a customer (<c>metadata.name</c> = customer id).</item>
/// <item>A monitor's availability: an SLO whose indicator is a <c>ratioMetric</c> with <c>good</c> and <c>total</c>
/// from <c>metricSource.type: SlaGrains</c>, <c>spec.monitorId</c>; <c>budgetingMethod: Timeslices</c> (availability
/// is time: downtime measured to the instant, i.e. a slice is good only when the monitor was up through it, so
/// <c>timeSliceTarget</c> is 1); a calendar month in the customer's zone.</item>
/// <item>A monitor's latency SLO: a <c>thresholdMetric</c> from <c>SlaGrains</c> with <c>spec.monitorId</c>, one
/// objective <c>op: lte</c>, <c>value</c> = the threshold in milliseconds; <c>Occurrences</c> (each check is an
/// event); the calendar month.</item>
/// <item>A request SLI (<c>/api/v1/slis</c>): any other <c>ratioMetric</c> (good or bad, and total), id =
/// <c>metadata.name</c>, customer = <c>spec.service</c>; <c>Occurrences</c>; rolling 1–90 days (<c>28d</c>,
/// <c>4w</c>) or the calendar month. Prometheus <c>spec.query</c>s are kept for the rules.</item>
/// <item>A contract (export only, checked on import): <c>ratioMetric</c> from <c>SlaGrains</c> with
/// <c>spec.customerId</c>, objectives SLA then SLO.</item>
/// </list>
/// </summary>
public static partial class OpenSloFormat
{
    /// <summary>The <c>apiVersion</c> read and written.</summary>
    public const string ApiVersion = "openslo/v1";

    /// <summary>The <c>metricSource.type</c> of SlaGrains' own measurements.</summary>
    public const string SourceType = "SlaGrains";

    /// <summary>Most documents one upload holds.</summary>
    public const int MaxDocuments = 200;

    /// <summary>Largest upload: 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Longest metric query kept for an SLI.</summary>
    public const int MaxQueryLength = 2_000;

    /// <summary>The <c>timeSliceWindow</c> written for availability: informative (downtime is measured to the instant).</summary>
    public const string AvailabilitySlice = "1m";

    /// <summary>The calendar window's start as written (any first of a month at midnight is read).</summary>
    public const string CalendarStart = "2020-01-01 00:00:00";

    /// <summary>The burn-rate alerts the product evaluates (<see cref="BurnRateAlert.SreWorkbook"/>), as OpenSLO names them.</summary>
    public static IReadOnlyList<BurnRateAlert> Alerts => BurnRateAlert.SreWorkbook;

    /// <summary>An alert's AlertPolicy and AlertCondition name: <c>slagrains-page-fast</c>.</summary>
    public static string AlertName(BurnRateAlert alert) => $"slagrains-{alert?.Name}";

    /// <summary>A duration shorthand (<c>5m</c>, <c>1h</c>, <c>3d</c>) for a whole number of minutes, hours or days.</summary>
    public static string Shorthand(Duration duration)
        => duration.TotalDays is var d && d >= 1 && d == Math.Floor(d) ? $"{(int)d}d"
            : duration.TotalHours is var h && h >= 1 && h == Math.Floor(h) ? $"{(int)h}h"
            : $"{(int)duration.TotalMinutes}m";

    /// <summary>
    /// A duration shorthand read: minutes, hours, days and weeks as durations; months (<c>M</c>), quarters and years
    /// have no fixed length and come back as null with <paramref name="unit"/> and <paramref name="count"/> set.
    /// </summary>
    public static bool TryShorthand(string? text, out int count, out char unit, out Duration? duration)
    {
        (count, unit, duration) = (0, ' ', null);
        if (text is null || Shape().Match(text) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, out count) || count <= 0)
        {
            return false;
        }

        unit = match.Groups[2].Value[0];
        duration = unit switch
        {
            'm' => Duration.FromMinutes(count),
            'h' => Duration.FromHours(count),
            'd' => Duration.FromDays(count),
            'w' => Duration.FromDays(7L * count),
            _ => null,
        };
        return true;
    }

    [GeneratedRegex("^([0-9]{1,6})([mhdwMQY])$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
