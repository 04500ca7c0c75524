using System.Collections.Immutable;
using System.Globalization;
using SlaGrains.Application.Dashboard;

namespace SlaGrains.Application.StatusPages;

/// <summary>
/// What a public status page shows, and nothing more: the customer's name, the status now, components with their 90
/// daily bars, incidents of the last 90 days, recent, ongoing and upcoming maintenance, and this month's availability
/// against the commitment. Built from the signed-in status page's own data (<see cref="StatusPage"/>), field by field:
/// no fee, credit, budget, ticket, internal SLO, monitor id or address, root cause or review note is carried here, so
/// none can leak into the page, its feeds or its badges. Ids are replaced by opaque keys (<see cref="PublicStatusPages.KeyOf"/>).
/// </summary>
/// <param name="Slug">The page's slug.</param>
/// <param name="CustomerId">The customer: used only to tell whether a signed-in visitor may see its full page; never rendered for others.</param>
/// <param name="Name">The customer's name.</param>
/// <param name="Status">operational, degraded, outage, maintenance, unknown or no_monitors.</param>
/// <param name="Message">The status in words with the components' names, e.g. "All systems operational".</param>
/// <param name="Components">The components, as the customer lists them.</param>
/// <param name="Incidents">Incidents that began in the last 90 days, newest first.</param>
/// <param name="Maintenance">Maintenance windows that ended in the last 90 days, are going on or are announced, by start.</param>
/// <param name="Month">This month so far; null without monitors or a contract. Shown to anonymous visitors only when <paramref name="ShowAvailability"/>.</param>
/// <param name="ShowAvailability">Whether the customer lets anonymous visitors see <paramref name="Month"/>.</param>
/// <param name="AsOf">When it was built (the page is served from a cache for a few seconds).</param>
public sealed record PublicStatus(
    string Slug,
    string CustomerId,
    string Name,
    string Status,
    string Message,
    ImmutableArray<PublicComponent> Components,
    ImmutableArray<PublicIncident> Incidents,
    ImmutableArray<PublicMaintenance> Maintenance,
    PublicMonth? Month,
    bool ShowAvailability,
    Instant AsOf)
{
    /// <summary>Most entries a feed lists.</summary>
    public const int FeedLimit = 50;

    /// <summary>
    /// Uptime over the last <paramref name="days"/> days (today included) across the components, from the same daily
    /// figures as the bars: up ÷ (up + down) of the measured time, percent, rounded down to 4 decimals; time without
    /// data counts neither way. Null when nothing was measured.
    /// </summary>
    public decimal? UptimePercent(int days)
    {
        var recent = Components.SelectMany(c => c.Days.IsDefault ? Enumerable.Empty<DashboardDay>() : c.Days.TakeLast(days)).ToList();
        var up = (decimal)recent.Sum(d => d.UpMinutes);
        var measured = up + (decimal)recent.Sum(d => d.DownMinutes);
        return measured > 0 ? Math.Floor(1_000_000m * up / measured) / 10_000m : null;
    }

    /// <summary>The windows going on at <paramref name="now"/>.</summary>
    public IEnumerable<PublicMaintenance> OngoingAt(Instant now) => Maintenance.Where(m => m.Start <= now && now < m.End);

    /// <summary>The windows announced to start after <paramref name="now"/>.</summary>
    public IEnumerable<PublicMaintenance> UpcomingAt(Instant now) => Maintenance.Where(m => m.Start > now);

    /// <summary>
    /// The history the feeds list: incidents and maintenance, newest first (by when each last changed: an incident's end
    /// or start, a window's announcement), at most <see cref="FeedLimit"/>.
    /// </summary>
    public ImmutableArray<PublicHistoryEntry> History()
    {
        // An incident changes when it ends and with each update: the feeds' entry says so, newest update first.
        var incidents = Incidents.Select(i => new PublicHistoryEntry(
            i.Key,
            "incident",
            i.Title is { } title ? $"{(i.Resolved ? "Resolved" : "Incident")}: {title}" : i.Resolved ? $"Resolved: {i.Component} outage" : $"Outage: {i.Component}",
            (i.Resolved
                ? $"{i.Component} was affected from {Utc(i.Start)} to {Utc(i.End!.Value)} ({Minutes(i.DurationMinutes)})."
                : $"{i.Component} has been affected since {Utc(i.Start)}.")
                + string.Concat(i.Timeline.Select(u => $" {Utc(u.At)} {u.Status}: {u.Message}")),
            i.Start,
            new[] { i.End ?? i.Start }.Concat(i.Timeline.Select(u => u.At)).Max()));
        var maintenance = Maintenance.Select(m => new PublicHistoryEntry(
            m.Key,
            "maintenance",
            $"Maintenance: {m.Component}, {Utc(m.Start)}",
            $"{m.Component}: maintenance from {Utc(m.Start)} to {Utc(m.End)}." + (string.IsNullOrWhiteSpace(m.Description) ? "" : $" {m.Description}"),
            m.AnnouncedAt,
            m.AnnouncedAt));
        return [.. incidents.Concat(maintenance).OrderByDescending(e => e.Updated).ThenBy(e => e.Key, StringComparer.Ordinal).Take(FeedLimit)];
    }

    /// <summary>An instant as the feeds write it: "2026-12-01 10:00 UTC".</summary>
    public static string Utc(Instant at) => at.InUtc().ToString("uuuu-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Minutes(double minutes)
        => minutes < 120 ? $"{Math.Ceiling(minutes).ToString("0", CultureInfo.InvariantCulture)} min" : $"{(minutes / 60).ToString("0.#", CultureInfo.InvariantCulture)} h";
}

/// <summary>A component on the public page.</summary>
/// <param name="Key">An opaque key (not the monitor's id).</param>
/// <param name="Name">The component's name.</param>
/// <param name="Status">up, down, maintenance or unknown.</param>
/// <param name="Days">The last 90 UTC days, oldest first (<see cref="DashboardDay"/>).</param>
/// <param name="Probes">Whether its monitor probes (so measures response times): every kind but push and heartbeat.</param>
/// <param name="ResponseTimes">A probing component's hourly response times over the last 24 hours, oldest first (hours with checks).</param>
public sealed record PublicComponent(
    string Key, string Name, string Status, ImmutableArray<DashboardDay> Days, bool Probes = false,
    ImmutableArray<SlaGrains.Application.Monitors.ResponseTimeBucket> ResponseTimes = default)
{
    /// <summary>The hourly response times (never default).</summary>
    public ImmutableArray<SlaGrains.Application.Monitors.ResponseTimeBucket> Hours => ResponseTimes.IsDefault ? [] : ResponseTimes;

    /// <summary>As the day bars take it (<c>DailyUptimeBars</c>), with the opaque key in place of the monitor id.</summary>
    public DashboardComponent ForBars() => new(Key, Name, false, Status, null, null, Days);
}

/// <summary>
/// An incident on the public page: which component, when, how long, and the updates staff posted (without their names);
/// no review, note or postmortem link.
/// </summary>
/// <param name="Key">An opaque, stable key (the feeds' entry id).</param>
/// <param name="Component">The component's name (the components', for a manual incident).</param>
/// <param name="Start">When the outage began.</param>
/// <param name="End">When it ended; null while it goes on.</param>
/// <param name="DurationMinutes">Its length so far, minutes.</param>
/// <param name="Title">What staff called it (manual incidents); null for a monitor's outage, which is named after its component.</param>
/// <param name="Impact">degraded, partialOutage or majorOutage for a manual incident; null for a monitor's outage.</param>
/// <param name="Updates">The posted updates, newest first.</param>
public sealed record PublicIncident(
    string Key, string Component, Instant Start, Instant? End, double DurationMinutes, string? Title = null, string? Impact = null, ImmutableArray<PublicIncidentUpdate> Updates = default)
{
    /// <summary>True once it ended.</summary>
    public bool Resolved => End is not null;

    /// <summary>The heading: staff's title, else the component's outage.</summary>
    public string Heading => Title ?? (Resolved ? $"{Component} outage" : $"{Component} is down");

    /// <summary>The updates, newest first (never default).</summary>
    public ImmutableArray<PublicIncidentUpdate> Timeline => Updates.IsDefault ? [] : Updates;
}

/// <summary>One update of an incident as the public reads it: the status word, the message, when; never who.</summary>
/// <param name="Status">investigating, identified, monitoring or resolved.</param>
/// <param name="Message">What staff wrote.</param>
/// <param name="At">When it was posted.</param>
public sealed record PublicIncidentUpdate(string Status, string Message, Instant At);

/// <summary>A maintenance window on the public page.</summary>
/// <param name="Key">An opaque, stable key (the calendar's UID and the feeds' entry id).</param>
/// <param name="Component">The component's name.</param>
/// <param name="Start">First instant.</param>
/// <param name="End">End (exclusive).</param>
/// <param name="AnnouncedAt">When it was announced.</param>
/// <param name="Description">What is done, as announced.</param>
public sealed record PublicMaintenance(string Key, string Component, Instant Start, Instant End, Instant AnnouncedAt, string Description);

/// <summary>This month so far against the commitment: the figure and the target, nothing about money or budgets.</summary>
/// <param name="Month">The calendar month in the customer's zone.</param>
/// <param name="TimeZone">The customer's zone.</param>
/// <param name="AvailabilityPct">Availability so far, percent (4 decimals).</param>
/// <param name="CommitmentPct">The SLA target, percent.</param>
/// <param name="Meeting">Whether the month is on track to meet it.</param>
public sealed record PublicMonth(YearMonth Month, string TimeZone, decimal AvailabilityPct, decimal CommitmentPct, bool Meeting);

/// <summary>One entry of the Atom and RSS feeds.</summary>
/// <param name="Key">Stable id.</param>
/// <param name="Kind">incident or maintenance.</param>
/// <param name="Title">A line.</param>
/// <param name="Summary">A sentence or two.</param>
/// <param name="Published">When it first appeared.</param>
/// <param name="Updated">When it last changed.</param>
public sealed record PublicHistoryEntry(string Key, string Kind, string Title, string Summary, Instant Published, Instant Updated);
