using System.Globalization;
using Microsoft.AspNetCore.Http;
using NodaTime.Text;

namespace SlaGrains.Ui.Services;

/// <summary>
/// How instants are shown to the person looking: in the time zone they chose on the settings page, else their
/// browser's (reported by <c>wwwroot/zone.js</c> in the <see cref="BrowserZoneCookie"/> cookie), else UTC — always
/// with the zone's abbreviation, and the exact UTC instant on hover (<see cref="Exact"/>). One per circuit (scoped),
/// set by <c>Routes</c> from what the document's request carried.
/// </summary>
public sealed class ViewerTime
{
    /// <summary>The cookie <c>wwwroot/zone.js</c> writes: the browser's IANA zone, e.g. <c>Europe/Berlin</c>.</summary>
    public const string BrowserZoneCookie = "sla-browser-zone";

    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");
    private static readonly LocalDateTimePattern Seconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss");
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("uuuu-MM-dd");

    /// <summary>The zone times are shown in.</summary>
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    /// <summary>True when <see cref="Zone"/> is the person's own choice rather than the browser's (or UTC).</summary>
    public bool Chosen { get; private set; }

    /// <summary>The browser's zone as last reported, or null (no cookie yet, or an id the time zone database does not know).</summary>
    public DateTimeZone? BrowserZone { get; private set; }

    /// <summary>Uses the chosen zone when there is one, else the browser's, else UTC; unknown ids count as absent.</summary>
    public void Use(string? chosenZoneId, string? browserZoneId)
    {
        BrowserZone = Known(browserZoneId);
        var chosen = Known(chosenZoneId);
        Chosen = chosen is not null;
        Zone = chosen ?? BrowserZone ?? DateTimeZone.Utc;
    }

    /// <summary>"2026-12-05 15:02 CET": minutes (or seconds) in the viewer's zone with the zone's abbreviation at that instant.</summary>
    public string Text(Instant at, bool withSeconds = false)
    {
        var local = at.InZone(Zone);
        return $"{(withSeconds ? Seconds : Minutes).Format(local.LocalDateTime)} {Abbreviation(local)}";
    }

    /// <summary>"2026-12-05": the date in the viewer's zone.</summary>
    public string Date(Instant at) => Day.Format(at.InZone(Zone).Date);

    /// <summary>The zone as the settings page names it: "Europe/Berlin (CET, UTC+01:00)" at <paramref name="now"/>.</summary>
    public static string Describe(DateTimeZone zone, Instant now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = now.InZone(zone);
        var offset = OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(local.Offset);
        return $"{zone.Id} ({Abbreviation(local)}, UTC{offset})";
    }

    /// <summary>The exact instant in UTC with seconds, for the hover: "2026-12-05 14:02:07 UTC".</summary>
    public static string Exact(Instant at) => $"{Seconds.Format(at.InUtc().LocalDateTime)} UTC";

    /// <summary>The instant as ISO 8601 in UTC, for machines: a <c>&lt;time datetime&gt;</c> attribute, the countdown script's deadline.</summary>
    public static string Iso(Instant at) => InstantPattern.ExtendedIso.Format(at);

    /// <summary>The browser's zone from the request's cookie, or null.</summary>
    public static string? BrowserZoneOf(IRequestCookieCollection cookies)
    {
        ArgumentNullException.ThrowIfNull(cookies);
        return cookies[BrowserZoneCookie] is { Length: > 0 and <= 64 } id ? Uri.UnescapeDataString(id) : null;
    }

    private static DateTimeZone? Known(string? id) => string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());

    // The database's abbreviation ("CET", "EST"); zones without one are named by their offset there ("+03"): fine, as it is what people there read.
    private static string Abbreviation(ZonedDateTime local)
        => local.Zone == DateTimeZone.Utc ? "UTC" : local.GetZoneInterval().Name is { Length: > 0 } name ? name : string.Create(CultureInfo.InvariantCulture, $"UTC{local.Offset}");
}
