using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Application.Incidents;

/// <summary>
/// Reading incidents with their update timelines, limited to what the caller may see: an incident is its customer's,
/// so whoever may read the customer reads its incidents; any other looks like one that does not exist. Incidents inside
/// announced, in-time maintenance are internal (staff only), and staff names on updates are shown to staff only.
/// </summary>
/// <remarks>
/// The public status page reads through the same two queries with <see cref="PublicCaller"/>: a caller that reads one
/// customer as that customer's own users do (and sees no staff names).
/// </remarks>
[ApplicationService]
public sealed class IncidentQueries(
    IGrainFactory grains, IMonitorReadModel monitorRows, IIncidentReadModel incidentRows, CustomerDirectory customers, MonitorQueries monitors, ISlaNow clock,
    ITicketReadModel ticketRows)
{
    /// <summary>Most linked tickets <see cref="LinkedTickets"/> returns (the read model's largest page).</summary>
    public const int LinkedTicketLimit = 500;

    /// <summary>How far back <see cref="ListForCustomer"/> reaches by default: 90 days, like the status page's incidents.</summary>
    public static Duration DefaultWindow { get; } = Duration.FromDays(90);

    /// <summary>Most incidents <see cref="ListForCustomer"/> returns.</summary>
    public const int ListLimit = 1_000;

    /// <summary>Most updates one list reads (an incident holds at most 200).</summary>
    private const int UpdateLimit = 10_000;

    /// <summary>
    /// The caller an anonymous visitor of <paramref name="customerId"/>'s public status page reads as: the customer's
    /// view (no internal incidents), without staff names. Build it only for a customer whose public page is enabled.
    /// </summary>
    public static Caller PublicCaller(string customerId) => new("public", UserRole.Customer, customerId, null, IngestionOnly: false);

    /// <summary>One incident (a monitor's or a manual one) with its updates, newest first.</summary>
    public async Task<Result<IncidentDetail>> Get(Caller caller, string incidentId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await FindAsync(caller, incidentId) is not { } found)
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        // Issue 20 — exclusions: the incident's reclassifications are part of its detail.
        ImmutableArray<IncidentClassificationView> classified = found.Monitor is null ? [] : await grains.GetGrain<ICustomerGrain>(found.CustomerId).GetClassifications(incidentId);
        return await DetailAsync(caller, found) with { Classifications = [.. classified.Select(c => IncidentClassifications.Detail(caller, c))] };
    }

    /// <summary>
    /// Issue 20 — incidents linked to tickets: the tickets linked to an incident the caller may read, newest first (at
    /// most <see cref="LinkedTicketLimit"/>), from the <c>tickets</c> read model; only the incident's customer's tickets,
    /// and only those the caller may see. Not found when the caller may not read the incident.
    /// </summary>
    public async Task<Result<IReadOnlyList<Contracts.Tickets.TicketSummary>>> LinkedTickets(Caller caller, string incidentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await FindAsync(caller, incidentId) is not { } found)
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        var page = await ticketRows.ListAsync(
            new TicketListQuery
            {
                Customers = caller.VisibleCustomers(found.CustomerId),
                IncidentId = incidentId,
                Order = TicketListOrder.Newest,
                PageSize = LinkedTicketLimit,
                Now = clock.Now,
            },
            cancellationToken);
        return Result<IReadOnlyList<Contracts.Tickets.TicketSummary>>.Success(page.Items);
    }

    /// <summary>
    /// The customer's incidents — its monitors' and the manual ones — that were ongoing at some point in the last
    /// <see cref="DefaultWindow"/> (or since <paramref name="since"/>), newest start first (at most <see cref="ListLimit"/>),
    /// each with its updates newest first.
    /// </summary>
    public async Task<Result<ImmutableArray<IncidentDetail>>> ListForCustomer(Caller caller, string customerId, Instant? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var from = since ?? clock.Now - DefaultWindow;
        var view = await grains.GetGrain<ICustomerGrain>(customerId).Get();
        var components = (view?.Components ?? []).Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        var names = (await monitorRows.MonitorsAsync([customerId], cancellationToken)).ToDictionary(m => m.MonitorId, m => m.Component, StringComparer.Ordinal);
        var monitorIncidents = (await monitorRows.IncidentsAsync([customerId], from, ListLimit, cancellationToken)).Where(r => components.Contains(r.Incident.MonitorId)).ToList();
        var manual = await incidentRows.ManualIncidentsAsync([customerId], from, ListLimit, cancellationToken);
        var ids = monitorIncidents.Select(r => r.Incident.IncidentId).Concat(manual.Select(m => m.Incident.IncidentId)).ToList();
        var updates = (await incidentRows.UpdatesAsync(ids, UpdateLimit, cancellationToken)).ToLookup(u => u.IncidentId, StringComparer.Ordinal);

        // Issue 20 — exclusions: each incident with its reclassifications.
        var classified = (await grains.GetGrain<ICustomerGrain>(customerId).GetClassifications(null)).ToLookup(c => c.IncidentId, StringComparer.Ordinal);
        var list = monitorIncidents.Select(r => Monitor(caller, r.Incident, r.Component, updates[r.Incident.IncidentId])
                with { Classifications = [.. classified[r.Incident.IncidentId].Select(c => IncidentClassifications.Detail(caller, c))] })
            .Concat(manual.Select(m => Manual(caller, m.Incident, names, updates[m.Incident.IncidentId])))
            .OrderByDescending(i => i.Start).ThenByDescending(i => i.Id, StringComparer.Ordinal)
            .Take(ListLimit);
        return ImmutableArray.CreateRange(list);
    }

    /// <summary>An incident's detail from a monitor's incident and its updates (any order).</summary>
    internal static IncidentDetail Monitor(Caller caller, IncidentView incident, string component, IEnumerable<IncidentUpdateView> updates)
    {
        var timeline = Timeline(caller, updates);
        return new IncidentDetail(
            incident.IncidentId, incident.CustomerId, IncidentDetail.MonitorKind, $"{component} outage", incident.MonitorId, [component], [incident.MonitorId],
            IncidentWords.Impact(IncidentImpact.MajorOutage), incident.Start, incident.End, incident.End is not null,
            timeline.IsEmpty ? null : timeline[0].Status, timeline);
    }

    /// <summary>An incident's detail from a manual incident and its updates (any order); components named by <paramref name="names"/> (monitor id → name).</summary>
    internal static IncidentDetail Manual(Caller caller, ManualIncidentView incident, IReadOnlyDictionary<string, string> names, IEnumerable<IncidentUpdateView> updates)
    {
        var timeline = Timeline(caller, updates);
        var ids = incident.Components.IsDefault ? [] : incident.Components;
        return new IncidentDetail(
            incident.IncidentId, incident.CustomerId, IncidentDetail.ManualKind, incident.Title, null, [.. ids.Select(c => names.GetValueOrDefault(c, c))], ids,
            IncidentWords.Impact(incident.Impact), incident.OpenedAt, incident.ResolvedAt, !incident.IsOpen, timeline.IsEmpty ? null : timeline[0].Status, timeline);
    }

    /// <summary>
    /// The incident when it exists and the caller may read it: a manual one from its grain, a monitor's from its monitor
    /// (its customer's, and not an internal one inside maintenance unless the caller is staff). Null otherwise.
    /// </summary>
    internal async Task<FoundIncident?> FindAsync(Caller caller, string incidentId)
    {
        if (!Bounds.IsChildId(incidentId))
        {
            return null;
        }

        var timeline = await grains.GetGrain<IIncidentGrain>(incidentId).Get();
        if (timeline?.Manual is { } manual)
        {
            return caller.CanRead(manual.CustomerId) ? new FoundIncident(incidentId, manual.CustomerId, null, manual, timeline) : null;
        }

        // A monitor's incident is "{monitor}-{sequence}".
        var dash = incidentId.LastIndexOf('-');
        if (dash <= 0 || dash == incidentId.Length - 1 || !incidentId[(dash + 1)..].All(char.IsAsciiDigit)
            || await monitors.Visible(caller, incidentId[..dash]) is not { } monitor)
        {
            return null;
        }

        var incident = (await grains.GetGrain<IMonitorGrain>(monitor.MonitorId).GetIncidents(int.MaxValue)).FirstOrDefault(i => i.IncidentId == incidentId);
        return incident is null || (incident.DuringMaintenance && !caller.IsStaff)
            ? null
            : new FoundIncident(incidentId, monitor.Settings.CustomerId, (incident, monitor.Settings.ComponentName), null, timeline);
    }

    private async Task<IncidentDetail> DetailAsync(Caller caller, FoundIncident found)
    {
        var updates = found.Timeline?.Updates ?? [];
        if (found.Monitor is { } monitor)
        {
            return Monitor(caller, monitor.Incident, monitor.Component, updates);
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in found.Manual!.Components.IsDefault ? [] : found.Manual.Components)
        {
            names[id] = (await grains.GetGrain<IMonitorGrain>(id).Get())?.Settings.ComponentName ?? id;
        }

        return Manual(caller, found.Manual, names, updates);
    }

    private static ImmutableArray<IncidentUpdateDetail> Timeline(Caller caller, IEnumerable<IncidentUpdateView> updates)
        => [.. updates.OrderByDescending(u => u.Sequence).Select(u => new IncidentUpdateDetail(u.Sequence, IncidentWords.Status(u.Status), u.Message, caller.IsStaff ? u.By : null, u.At))];
}

/// <summary>An incident a caller may read: a monitor's (with its component's name) or a manual one, and its timeline if any.</summary>
internal sealed record FoundIncident(
    string IncidentId, string CustomerId, (IncidentView Incident, string Component)? Monitor, ManualIncidentView? Manual, IncidentTimelineView? Timeline);
