using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using SlaGrains.Application.Dashboard;
using SlaGrains.Application.Incidents;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.StatusPages;

/// <summary>
/// The public status pages, read without sign-in: the page, its feeds and its badges all come from <see cref="Find"/>.
/// </summary>
/// <remarks>
/// <para><b>One path for "no page".</b> A slug that is not a slug, one nobody holds and one whose page is disabled all
/// end at the same directory call answering null: the caller cannot tell them apart, by answer or by the work done.</para>
/// <para><b>Cheap.</b> A page is built from the signed-in status page's data (the customer's and its monitors' grains,
/// the incident, maintenance and rollup tables) at most once per <see cref="CacheFor"/> per slug on this front-end;
/// requests meanwhile share the built page (and a build in progress). The directory is asked on every request, so
/// turning a page off hides it at once everywhere; a change of its settings is seen at once on the front-end that made
/// it (<see cref="Forget"/>) and within <see cref="CacheFor"/> elsewhere.</para>
/// </remarks>
[ApplicationService]
public sealed class PublicStatusPages(IGrainFactory grains, StatusPage statusPage, IMonitorReadModel monitorRows, ISlaNow clock)
{
    /// <summary>How long a built page is served before it is built again: 30 seconds.</summary>
    public static readonly Duration CacheFor = Duration.FromSeconds(30);

    /// <summary>How far back incidents and maintenance are listed: 90 days.</summary>
    public static readonly Duration HistorySpan = Duration.FromDays(90);

    /// <summary>How far back a component's response times reach: 24 hours (hourly buckets).</summary>
    public static readonly Duration ResponseTimeSpan = Duration.FromHours(24);

    /// <summary>Most maintenance windows a page lists.</summary>
    public const int MaintenanceLimit = 200;

    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    /// <summary>The enabled page at <paramref name="slug"/>; null for anything else (not a slug, unknown, disabled).</summary>
    public async Task<PublicStatus?> Find(string? slug)
    {
        if (!StatusPageSlug.IsSlug(slug))
        {
            // Same answer as an unknown slug, without asking anyone: nothing can be stored under it.
            return null;
        }

        if (await grains.GetGrain<IStatusPageDirectoryGrain>(IStatusPageDirectoryGrain.Key).FindEnabled(slug) is not { } page)
        {
            return null;
        }

        var now = clock.Now;
        var fresh = new Cached(page, now, new Lazy<Task<PublicStatus?>>(() => BuildAsync(page, now)));
        var current = _cache.AddOrUpdate(slug, fresh, (_, old) => old.ServesFor(page, now) ? old : fresh);
        try
        {
            return await current.Page.Value;
        }
        catch
        {
            // A failed build is not served to the next visitor: it is tried again.
            _cache.TryRemove(new KeyValuePair<string, Cached>(slug, current));
            throw;
        }
    }

    /// <summary>Drops what this front-end keeps for <paramref name="slug"/> (its settings changed).</summary>
    public void Forget(string slug)
    {
        ArgumentNullException.ThrowIfNull(slug);
        _cache.TryRemove(slug, out _);
    }

    /// <summary>Whether <paramref name="caller"/> (signed in) may see the customer's full SLA page, <c>/status/{id}</c>: its own users and staff.</summary>
    public static bool SeesFullPage(Caller? caller, PublicStatus page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return caller is not null && caller.CanRead(page.CustomerId);
    }

    /// <summary>
    /// An opaque key for one of a customer's incidents, windows or components: the first 16 hex digits of
    /// SHA-256(customer, kind, id). Stable (the feeds' ids and the calendar's UIDs do not change between builds) and
    /// says nothing about monitor ids.
    /// </summary>
    public static string KeyOf(string customerId, string kind, string id)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{kind}\n{id}"));
        return $"{kind}-{Convert.ToHexStringLower(hash, 0, 8)}";
    }

    private async Task<PublicStatus?> BuildAsync(StatusPageEntry page, Instant now)
    {
        if (await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(page.CustomerId) is not { } customer)
        {
            return null;
        }

        var dashboard = await statusPage.BuildFor(customer, now);
        var names = dashboard.Components.ToDictionary(c => c.MonitorId, c => c.Name, StringComparer.Ordinal);
        var windows = await monitorRows.MaintenanceAsync([customer.CustomerId], now - HistorySpan, MaintenanceLimit);
        var maintenance = windows
            .Where(w => names.ContainsKey(w.MonitorId))
            .Select(w => new PublicMaintenance(
                KeyOf(customer.CustomerId, "maintenance", w.Maintenance.MaintenanceId), names[w.MonitorId], w.Maintenance.Start, w.Maintenance.End,
                w.Maintenance.AnnouncedAt, w.Maintenance.Description))
            .OrderBy(m => m.Start).ThenBy(m => m.Key, StringComparer.Ordinal)
            .ToImmutableArray();
        // Probing components (any kind but push and heartbeat) show their hourly response times of the last 24 hours.
        var probing = (await monitorRows.MonitorsAsync([customer.CustomerId]))
            .Where(r => ResponseTimeBucket.Probes(r.Kind) && names.ContainsKey(r.MonitorId))
            .Select(r => r.MonitorId)
            .ToHashSet(StringComparer.Ordinal);
        var hours = probing.Count == 0
            ? Enumerable.Empty<CheckRollupRow>().ToLookup(r => r.MonitorId, StringComparer.Ordinal)
            : (await monitorRows.RollupsAsync(probing, RollupGranularity.Hour, CheckRollup.HourOf(now - ResponseTimeSpan).End, now + Duration.FromTicks(1)))
                .ToLookup(r => r.MonitorId, StringComparer.Ordinal);
        var month = dashboard.CurrentMonth is { } m
            ? new PublicMonth(m.Period, m.TimeZone, m.AvailabilityPct, m.SlaTargetPct, m.MeetingSla)
            : null;
        return new PublicStatus(
            page.Settings.Slug,
            customer.CustomerId,
            customer.Name,
            dashboard.CurrentStatus.Status,
            dashboard.CurrentStatus.Message,
            [.. dashboard.Components.Select(c => new PublicComponent(
                KeyOf(customer.CustomerId, "component", c.MonitorId), c.Name, c.Status, c.Days, probing.Contains(c.MonitorId),
                [.. hours[c.MonitorId].Where(h => h.Figures.Checks > 0).Select(ResponseTimeBucket.From)]))],
            [.. dashboard.Incidents.Select(i => new PublicIncident(
                KeyOf(customer.CustomerId, "incident", i.Id), i.Component, i.Start, i.End, i.DurationMinutes,
                i.Kind == IncidentDetail.ManualKind ? i.Title : null, i.Kind == IncidentDetail.ManualKind ? i.Impact : null,
                [.. i.Updates.Select(u => new PublicIncidentUpdate(u.Status, u.Message, u.At))]))],
            maintenance,
            month,
            page.Settings.ShowAvailability,
            now);
    }

    /// <summary>A built page (or one being built) and what it was built for.</summary>
    private sealed record Cached(StatusPageEntry Entry, Instant BuiltAt, Lazy<Task<PublicStatus?>> Page)
    {
        /// <summary>Still good for <paramref name="page"/> at <paramref name="now"/>: same settings, younger than the cache span (a clock set back counts as stale).</summary>
        public bool ServesFor(StatusPageEntry page, Instant now) => Entry == page && now >= BuiltAt && now - BuiltAt < CacheFor;
    }
}
