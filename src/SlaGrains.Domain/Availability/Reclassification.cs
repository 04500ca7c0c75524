using NodaTime;
using SlaGrains.Domain.Agreements;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// A part <c>[From, To)</c> of a monitor's incident that a manager reclassified to a cause the contract names, with the
/// reason and who did it when (the audit). Never removed: a reclassification is corrected by none, it stands as recorded.
/// </summary>
/// <param name="Id">Stable id, <c>{incident}.c{n}</c> (n: 1, 2, … per incident).</param>
/// <param name="IncidentId">The monitor's incident.</param>
/// <param name="MonitorId">Its monitor (the customer's component).</param>
/// <param name="Class">The cause.</param>
/// <param name="From">First instant reclassified, inside the incident.</param>
/// <param name="To">End (exclusive), inside the incident; after <paramref name="From"/>.</param>
/// <param name="Reason">Why, in the manager's words.</param>
/// <param name="By">Who reclassified it.</param>
/// <param name="At">When, on the SLA clock.</param>
public sealed record IncidentClassification(
    string Id, string IncidentId, string MonitorId, ExclusionClass Class, Instant From, Instant To, string Reason, string By, Instant At)
{
    /// <summary>The reclassified interval, half-open.</summary>
    public Interval Interval => new(From, To);
}

/// <summary>The incident a reclassification is about, as its monitor recorded it.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="MonitorId">Its monitor.</param>
/// <param name="Start">Its first failure.</param>
/// <param name="End">Its first success after; null while ongoing (then it reaches up to now).</param>
public sealed record IncidentBounds(string IncidentId, string MonitorId, Instant Start, Instant? End);

/// <summary>A reclassification as asked: the class, an optional part (default: the whole incident), the reason and who asks.</summary>
public sealed record ReclassifyIncident(ExclusionClass Class, Instant? From, Instant? To, string Reason, string By);

/// <summary>What <see cref="Reclassification.Decide"/> says: the classification to record, or a problem naming the field.</summary>
/// <param name="Classification">The accepted classification; null when refused.</param>
/// <param name="Field">The field at fault (<c>from</c>, <c>to</c>, <c>reason</c>, <c>class</c>); null with an accepted one, or
/// with a refusal that is not the input's fault (the customer's limit).</param>
/// <param name="Message">Why it was refused; null when accepted.</param>
public sealed record ReclassificationDecision(IncidentClassification? Classification, string? Field, string? Message);

/// <summary>Excluded time of a period by cause: announced maintenance first, then each class in its order.</summary>
/// <param name="Maintenance">Excluded maintenance.</param>
/// <param name="CustomerCaused">Excluded customer-caused time not already maintenance.</param>
/// <param name="ForceMajeure">Excluded force majeure not already counted above.</param>
/// <param name="ThirdParty">Excluded third-party time not already counted above.</param>
public sealed record ExcludedTime(Duration Maintenance, Duration CustomerCaused, Duration ForceMajeure, Duration ThirdParty)
{
    /// <summary>Nothing excluded.</summary>
    public static ExcludedTime None { get; } = new(Duration.Zero, Duration.Zero, Duration.Zero, Duration.Zero);

    /// <summary>All excluded time: equals the availability report's <see cref="AvailabilityReport.Excluded"/>.</summary>
    public Duration Total => Maintenance + CustomerCaused + ForceMajeure + ThirdParty;

    /// <summary>The time of one class.</summary>
    public Duration Of(ExclusionClass cause) => cause switch
    {
        ExclusionClass.CustomerCaused => CustomerCaused,
        ExclusionClass.ForceMajeure => ForceMajeure,
        _ => ThirdParty,
    };
}

/// <summary>A customer's availability with its reclassifications applied, and its excluded time by cause.</summary>
public sealed record ReclassifiedAvailability(CustomerAvailability Availability, ExcludedTime ExcludedByClass);

/// <summary>
/// Reclassifying an incident's downtime to a cause the contract names (issue 20): the rules for recording it and what it
/// does to availability.
/// </summary>
/// <remarks>
/// <para>Time reclassified to a class the contract <b>excludes</b> is taken out of the measured period exactly like
/// announced maintenance (neither downtime nor measured); time of a class the contract does not exclude (or has no clause
/// for) stays downtime and is only labelled. As with maintenance, only a <b>critical</b> component's reclassified time is
/// excluded from the customer's period: a non-critical component's downtime never counted against it.</para>
/// <para>Reclassified parts of one incident never overlap; each lies inside the incident (an ongoing incident reaches up
/// to now), so reclassifying can only take downtime out, never raise availability beyond excluding that interval.</para>
/// </remarks>
public static class Reclassification
{
    /// <summary>The longest reason: 2,000 characters.</summary>
    public const int MaxReason = 2_000;

    /// <summary>Most reclassifications one incident has: 20.</summary>
    public const int MaxPerIncident = 20;

    /// <summary>Most reclassifications one customer keeps: 2,000.</summary>
    public const int MaxPerCustomer = 2_000;

    /// <summary>
    /// Decides a reclassification of <paramref name="incident"/> given the customer's <paramref name="existing"/> ones at
    /// <paramref name="now"/>: the part defaults to the whole incident (to now while it is ongoing), must lie inside it
    /// (<c>from</c>, <c>to</c>), be non-empty (<c>to</c>) and overlap no other part of the same incident (<c>from</c>); the
    /// reason is required (<c>reason</c>).
    /// </summary>
    public static ReclassificationDecision Decide(IReadOnlyList<IncidentClassification> existing, IncidentBounds incident, ReclassifyIncident command, Instant now)
    {
        Guard.NotNull(existing, nameof(existing));
        Guard.NotNull(incident, nameof(incident));
        Guard.NotNull(command, nameof(command));
        static ReclassificationDecision No(string field, string message) => new(null, field, message);

        if (!Enum.IsDefined(command.Class))
        {
            return No("class", "The class is customerCaused, forceMajeure or thirdParty.");
        }

        var reason = command.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return No("reason", "A reclassification needs a reason: why this time is not ours to count.");
        }

        if (reason.Length > MaxReason)
        {
            return No("reason", $"A reason has at most {MaxReason} characters.");
        }

        var end = incident.End ?? now;
        var from = command.From ?? incident.Start;
        var to = command.To ?? end;
        if (from < incident.Start || from >= end)
        {
            return No("from", $"from must lie inside the incident, [{incident.Start}, {end}); got {from}.");
        }

        if (to > end)
        {
            return No("to", $"to must not be after the incident's {(incident.End is null ? "present (it is ongoing)" : "end")}, {end}; got {to}.");
        }

        if (to <= from)
        {
            return No("to", $"to must be after from ({from}); got {to}.");
        }

        var mine = existing.Where(c => c.IncidentId == incident.IncidentId).ToList();
        if (mine.FirstOrDefault(c => c.From < to && from < c.To) is { } overlap)
        {
            return No("from", $"[{from}, {to}) overlaps the incident's reclassification {overlap.Id} [{overlap.From}, {overlap.To}).");
        }

        if (mine.Count >= MaxPerIncident)
        {
            return No("from", $"An incident has at most {MaxPerIncident} reclassified parts.");
        }

        if (existing.Count >= MaxPerCustomer)
        {
            // Not the request's fault: a conflict (no field).
            return new(null, null, $"A customer keeps at most {MaxPerCustomer} reclassifications.");
        }

        var id = $"{incident.IncidentId}.c{mine.Count + 1}";
        return new(new IncidentClassification(id, incident.IncidentId, incident.MonitorId, command.Class, from, to, reason, command.By, now), null, null);
    }

    /// <summary>
    /// The reclassified intervals the contract excludes, as maintenance windows announced in time (so they are excluded
    /// exactly as announced maintenance is): those of a class <paramref name="clauses"/> exclude, on a critical component.
    /// </summary>
    public static IReadOnlyList<MaintenanceWindow> ExcludedWindows(
        IEnumerable<IncidentClassification> classifications, IEnumerable<ExclusionClause>? clauses, Func<string, bool> critical)
    {
        Guard.NotNull(classifications, nameof(classifications));
        Guard.NotNull(critical, nameof(critical));
        var list = (clauses ?? []).ToList();
        return [.. classifications.Where(c => critical(c.MonitorId) && ExclusionClause.Excludes(list, c.Class)).Select(c => new MaintenanceWindow(c.From, c.To))];
    }

    /// <summary>
    /// The customer's availability over <paramref name="period"/> with the reclassifications applied (see the remarks of
    /// <see cref="Reclassification"/>), and the excluded time split by cause: maintenance first, then customer-caused,
    /// force majeure and third-party, each counting only time not already counted, so the parts sum to the excluded total.
    /// </summary>
    public static ReclassifiedAvailability Compute(
        Interval period,
        IReadOnlyList<ComponentDowntime> components,
        IReadOnlyList<MaintenanceWindow> maintenance,
        Duration maintenanceNotice,
        IEnumerable<IncidentClassification> classifications,
        IEnumerable<ExclusionClause>? clauses)
    {
        Guard.NotNull(components, nameof(components));
        Guard.NotNull(maintenance, nameof(maintenance));
        Guard.NotNull(classifications, nameof(classifications));
        var critical = components.Where(c => c.Component.IsCritical).Select(c => c.Component.Id).ToHashSet(StringComparer.Ordinal);
        var list = classifications.ToList();
        var clauseList = (clauses ?? []).ToList();
        var windows = ExcludedWindows(list, clauseList, critical.Contains);
        var availability = CustomerAvailability.Compute(period, components, [.. maintenance, .. windows], maintenanceNotice);

        var counted = IntervalSet.Normalise(maintenance.Where(w => w.IsExcluded(maintenanceNotice)).Select(w => w.Interval), period);
        var byClass = new Dictionary<ExclusionClass, Duration>();
        foreach (var cause in Enum.GetValues<ExclusionClass>())
        {
            var mine = IntervalSet.Normalise(
                list.Where(c => c.Class == cause && critical.Contains(c.MonitorId) && ExclusionClause.Excludes(clauseList, cause)).Select(c => c.Interval), period);
            var fresh = IntervalSet.Subtract(mine, counted);
            byClass[cause] = IntervalSet.Total(fresh);
            counted = IntervalSet.Normalise([.. counted, .. fresh], period);
        }

        var maintenanceTime = IntervalSet.Total(IntervalSet.Normalise(maintenance.Where(w => w.IsExcluded(maintenanceNotice)).Select(w => w.Interval), period));
        return new ReclassifiedAvailability(
            availability,
            new ExcludedTime(maintenanceTime, byClass[ExclusionClass.CustomerCaused], byClass[ExclusionClass.ForceMajeure], byClass[ExclusionClass.ThirdParty]));
    }
}
